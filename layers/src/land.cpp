#include "layers.hpp"

namespace lantern::layers::detail {

// Land-use codes of the Vietnamese land law's classification (Circular
// 08/2024/TT-BTNMT and its predecessors), the codes cadastral maps carry.
const std::vector<std::string>& land_use_codes()
{
    static const std::vector<std::string> codes = {
        "LUC", "LUK", "LUN", "BHK", "NHK", "CLN", "RSX", "RPH", "RDD", "NTS", "LMU", "NKH",
        "ONT", "ODT", "TSC", "DTS", "DVH", "DXH", "DYT", "DGD", "DTT", "DKH", "DNG", "CQP",
        "CAN", "SKK", "SKN", "SKC", "TMD", "SKS", "SKX", "DGT", "DTL", "DNL", "DBV", "DSH",
        "DKV", "DCH", "DRA", "DDT", "DDL", "TON", "TIN", "NTD", "SON", "MNC", "PNK", "BCS",
        "DCS", "NCS"};
    return codes;
}

core::ClassSchema parcels()
{
    core::ClassSchema s;
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
        source_field(),
    };
    return s;
}

}  // namespace lantern::layers::detail
