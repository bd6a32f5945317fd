#include <lantern/layers/catalogue.hpp>

#include "layers.hpp"

namespace lantern::layers {

// Land-use codes of the Vietnamese land law's classification (Circular
// 08/2024/TT-BTNMT and its predecessors), the codes cadastral maps carry,
// with their names.
const std::vector<LandUse>& land_uses()
{
    static const std::vector<LandUse> uses = {
        {"LUC", "Đất chuyên trồng lúa", "rice land"},
        {"LUK", "Đất trồng lúa còn lại", "other rice land"},
        {"LUN", "Đất trồng lúa nương", "upland rice"},
        {"BHK", "Đất bằng trồng cây hàng năm khác", "other annual crops"},
        {"NHK", "Đất nương rẫy trồng cây hàng năm khác", "other annual crops on hill fields"},
        {"CLN", "Đất trồng cây lâu năm", "perennial crops"},
        {"RSX", "Đất rừng sản xuất", "production forest"},
        {"RPH", "Đất rừng phòng hộ", "protection forest"},
        {"RDD", "Đất rừng đặc dụng", "special-use forest"},
        {"NTS", "Đất nuôi trồng thủy sản", "aquaculture"},
        {"LMU", "Đất làm muối", "salt making"},
        {"NKH", "Đất nông nghiệp khác", "other agricultural land"},
        {"ONT", "Đất ở tại nông thôn", "rural residential"},
        {"ODT", "Đất ở tại đô thị", "urban residential"},
        {"TSC", "Đất xây dựng trụ sở cơ quan", "government offices"},
        {"DTS", "Đất xây dựng trụ sở của tổ chức sự nghiệp", "offices of public-service bodies"},
        {"DVH", "Đất xây dựng cơ sở văn hóa", "cultural facilities"},
        {"DXH", "Đất xây dựng cơ sở dịch vụ xã hội", "social services"},
        {"DYT", "Đất xây dựng cơ sở y tế", "health care"},
        {"DGD", "Đất xây dựng cơ sở giáo dục và đào tạo", "education and training"},
        {"DTT", "Đất xây dựng cơ sở thể dục thể thao", "sports"},
        {"DKH", "Đất xây dựng cơ sở khoa học và công nghệ", "science and technology"},
        {"DNG", "Đất xây dựng cơ sở ngoại giao", "diplomatic missions"},
        {"CQP", "Đất quốc phòng", "defence"},
        {"CAN", "Đất an ninh", "security"},
        {"SKK", "Đất khu công nghiệp", "industrial park"},
        {"SKN", "Đất cụm công nghiệp", "industrial cluster"},
        {"SKC", "Đất cơ sở sản xuất phi nông nghiệp", "non-agricultural production"},
        {"TMD", "Đất thương mại, dịch vụ", "commerce and services"},
        {"SKS", "Đất sử dụng cho hoạt động khoáng sản", "mining"},
        {"SKX", "Đất sản xuất vật liệu xây dựng, làm đồ gốm", "building materials and pottery"},
        {"DGT", "Đất giao thông", "transport"},
        {"DTL", "Đất thủy lợi", "irrigation and drainage works"},
        {"DNL", "Đất công trình năng lượng", "energy works"},
        {"DBV", "Đất công trình bưu chính, viễn thông", "post and telecommunications"},
        {"DSH", "Đất sinh hoạt cộng đồng", "community activities"},
        {"DKV", "Đất khu vui chơi, giải trí công cộng", "public parks and recreation"},
        {"DCH", "Đất chợ", "market"},
        {"DRA", "Đất bãi thải, xử lý chất thải", "waste disposal and treatment"},
        {"DDT", "Đất có di tích lịch sử - văn hóa", "historical and cultural relic"},
        {"DDL", "Đất danh lam thắng cảnh", "scenic landscape"},
        {"TON", "Đất cơ sở tôn giáo", "religious establishment"},
        {"TIN", "Đất cơ sở tín ngưỡng", "communal house, shrine or temple of worship"},
        {"NTD", "Đất nghĩa trang, nhà tang lễ, cơ sở hỏa táng", "cemetery and funeral services"},
        {"SON", "Đất sông, ngòi, kênh, rạch, suối", "river, canal or stream"},
        {"MNC", "Đất có mặt nước chuyên dùng", "specialised water surface"},
        {"PNK", "Đất phi nông nghiệp khác", "other non-agricultural land"},
        {"BCS", "Đất bằng chưa sử dụng", "unused flat land"},
        {"DCS", "Đất đồi núi chưa sử dụng", "unused hilly land"},
        {"NCS", "Núi đá không có rừng cây", "bare rocky mountain"},
    };
    return uses;
}

const LandUse* land_use(const std::string& code)
{
    for (const auto& use : land_uses())
        if (use.code == code)
            return &use;
    return nullptr;
}

bool is_agricultural(const std::string& code)
{
    // The law lists the agricultural group first, up to "other agricultural land".
    const auto& uses = land_uses();
    for (const auto& use : uses) {
        if (use.code == code)
            return true;
        if (use.code == "NKH")
            return false;
    }
    return false;
}

}  // namespace lantern::layers

namespace lantern::layers::detail {

const std::vector<std::string>& land_use_codes()
{
    static const std::vector<std::string> codes = [] {
        std::vector<std::string> out;
        for (const auto& use : land_uses())
            out.push_back(use.code);
        return out;
    }();
    return codes;
}

ClassDescription parcels()
{
    ClassDescription d;
    auto& s = d.schema;
    s.name = "parcels";
    s.layer = "land";
    s.description = "Cadastral land parcels with their land-use code and address.";
    s.geometry = core::GeometryKind::polygon;
    s.id_field = "parcel_id";
    s.fields = {
        text("parcel_id", "cadastral parcel identifier", Need::required),
        text("land_use", "land-use code (ODT urban residential, ONT rural residential, LUC "
                         "rice, TMD commercial, DGD education, NTS aquaculture, DDT relic, ...)",
             Need::required, land_use_codes()),
        real("area_m2", "registered area in square metres", 0.0, 1e8),
        text("ward", "ward or commune code"),
        text("address", "street address"),
        text("land_status", "what a land inventory found: vacant (no building) or underbuilt; empty where "
                            "built",
             Need::optional, {"vacant", "underbuilt"}),
        source_field(),
    };
    d.tiles = {14, 17, 15, {"parcel_id", "land_use", "area_m2", "ward", "address"}};
    d.style = {draw({0, 0, 0, 0}, {170, 170, 170, 80}, 1, 6)};
    d.draw_order = 50;
    d.search = {search_part({"address"}, "address", 3), search_part({"parcel_id"}, "parcel", 4)};
    return d;
}

}  // namespace lantern::layers::detail
