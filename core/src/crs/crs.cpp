#include <lantern/core/crs/crs.hpp>

#include <algorithm>
#include <cmath>
#include <regex>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/gdal.hpp>

namespace lantern::core {

namespace {

constexpr int vn2000_epsg = 4756;

std::unique_ptr<OGRSpatialReference> new_srs()
{
    auto srs = std::make_unique<OGRSpatialReference>();
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

// "107.75", "107d45", "107d45'" or "107d45'00\"" as decimal degrees.
std::optional<double> parse_meridian(const std::string& text)
{
    static const std::regex decimal(R"(^(\d{2,3}(?:\.\d+)?)$)");
    static const std::regex dms(R"(^(\d{2,3})d(\d{1,2})(?:'(\d{1,2}(?:\.\d+)?)(?:\")?)?'?$)");
    std::smatch m;
    // The patterns admit only digits and a '.', so every part parses.
    auto part = [&m](int i) { return m[i].matched ? *parse_number(m[i].str()) : 0.0; };
    if (std::regex_match(text, m, decimal))
        return part(1);
    if (std::regex_match(text, m, dms))
        return part(1) + part(2) / 60.0 + part(3) / 3600.0;
    return std::nullopt;
}

std::string meridian_label(double lon0)
{
    int degrees = static_cast<int>(std::floor(lon0));
    int minutes = static_cast<int>(std::lround((lon0 - degrees) * 60.0));
    return std::to_string(degrees) + "d" + (minutes < 10 ? "0" : "") + std::to_string(minutes);
}

// VN-2000 transverse Mercator zone: the base geographic CRS stays EPSG:4756 so
// PROJ picks the registered VN-2000 -> WGS 84 Helmert transformation.
std::unique_ptr<OGRSpatialReference> vn2000_zone(const std::string& text)
{
    static const std::regex alias(R"(^VN-?2000:TM([36]):(.+)$)", std::regex::icase);
    std::smatch m;
    if (!std::regex_match(text, m, alias))
        return nullptr;
    auto lon0 = parse_meridian(m[2]);
    if (!lon0 || *lon0 < 100.0 || *lon0 > 112.0)
        throw UsageError("unknown CRS '" + text +
                         "': the central meridian must be between 100 and 112 degrees, "
                         "e.g. VN2000:TM3:107.75");
    auto srs = new_srs();
    if (srs->importFromEPSG(vn2000_epsg) != OGRERR_NONE)
        throw UsageError("unknown CRS '" + text + "': PROJ does not know VN-2000 (EPSG:4756)");
    std::string zone = "TM-" + std::string(m[1]);
    srs->SetProjCS(("VN-2000 / " + zone + " " + meridian_label(*lon0)).c_str());
    double scale = m[1] == "3" ? 0.9999 : 0.9996;
    srs->SetTM(0.0, *lon0, scale, 500000.0, 0.0);
    srs->SetLinearUnits(SRS_UL_METER, 1.0);
    return srs;
}

}  // namespace

Crs::Crs(std::string definition, std::unique_ptr<OGRSpatialReference> srs)
    : m_definition(std::move(definition)), m_srs(std::move(srs))
{
}

Crs Crs::from_user(const std::string& text)
{
    if (auto srs = vn2000_zone(text))
        return Crs(text, std::move(srs));
    auto srs = new_srs();
    ScopedGdalErrors quiet;
    if (text.empty() || srs->SetFromUserInput(text.c_str()) != OGRERR_NONE)
        throw UsageError("unknown CRS '" + text +
                         "' (try EPSG:32649, EPSG:4326 or VN2000:TM3:107.75)");
    return Crs(text, std::move(srs));
}

Crs Crs::wgs84()
{
    return from_user("EPSG:4326");
}

std::string Crs::name() const
{
    const char* n = m_srs->GetName();
    return n ? n : m_definition;
}

std::string Crs::wkt() const
{
    char* out = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    m_srs->exportToWkt(&out, options);
    std::string text = out ? out : "";
    CPLFree(out);
    return text;
}

std::string Crs::proj4() const
{
    char* out = nullptr;
    m_srs->exportToProj4(&out);
    std::string text = out ? out : "";
    CPLFree(out);
    return text;
}

std::optional<int> Crs::epsg() const
{
    const char* authority = m_srs->GetAuthorityName(nullptr);
    const char* code = m_srs->GetAuthorityCode(nullptr);
    if (authority && code && std::string(authority) == "EPSG")
        return parse_integer<int>(code);
    return std::nullopt;
}

bool Crs::is_geographic() const
{
    return m_srs->IsGeographic();
}

bool Crs::same_as(const Crs& other) const
{
    const char* options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", "CRITERION=EQUIVALENT",
                             nullptr};
    return m_srs->IsSame(other.m_srs.get(), options);
}

std::optional<Crs> crs_from_srs(const OGRSpatialReference* srs)
{
    if (!srs)
        return std::nullopt;
    auto copy = std::unique_ptr<OGRSpatialReference>(srs->Clone());
    copy->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const char* authority = copy->GetAuthorityName(nullptr);
    const char* code = copy->GetAuthorityCode(nullptr);
    std::string label = authority && code ? std::string(authority) + ":" + code
                                          : std::string(copy->GetName() ? copy->GetName() : "");
    return Crs(label, std::move(copy));
}

Transform::Transform(const Crs& from, const Crs& to)
{
    if (from.same_as(to))
        return;
    m_transform = OGRCreateCoordinateTransformation(&from.srs(), &to.srs());
    if (!m_transform)
        throw UsageError("no coordinate operation from " + from.name() + " to " + to.name());
}

Transform::~Transform()
{
    OGRCoordinateTransformation::DestroyCT(m_transform);
}

void Transform::apply(double& x, double& y) const
{
    if (!m_transform)
        return;
    if (!m_transform->Transform(1, &x, &y))
        throw DataError("cannot transform the point (" + fixed_text(x, 6) + ", " + fixed_text(y, 6) + ")");
}

bool Transform::apply(OGRGeometry& geometry) const
{
    return !m_transform || geometry.transform(m_transform) == OGRERR_NONE;
}

Bounds Transform::apply(const Bounds& box) const
{
    if (!m_transform)
        return box;
    Bounds out;
    if (!m_transform->TransformBounds(box.min_x, box.min_y, box.max_x, box.max_y, &out.min_x,
                                      &out.min_y, &out.max_x, &out.max_y, 21))
        throw DataError("cannot transform the extent of the data");
    return out;
}

}  // namespace lantern::core
