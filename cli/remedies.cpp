#include "remedies.hpp"

namespace lantern::cli {

std::string remedy(core::Choice about)
{
    using core::Choice;
    switch (about) {
    case Choice::none: return {};
    case Choice::source_layer: return "choose one with --layer";
    case Choice::source_crs: return "name it with --s-srs (e.g. EPSG:4326, EPSG:32649 or VN2000:TM3:107.75)";
    case Choice::field_mapping: return "map class fields to source fields with --map CLASS_FIELD=SOURCE_FIELD";
    case Choice::existing_features: return "pass --append or --replace";
    case Choice::output_format: return "name a GDAL driver with --format";
    case Choice::existing_output: return "pass --overwrite to replace it";
    case Choice::map_size: return "ask for a smaller --width";
    case Choice::missing_class: return "import it with lantern import CITY CLASS FILE";
    case Choice::missing_city: return "create one with lantern init";
    case Choice::existing_city: return "lantern init will not overwrite it";
    case Choice::damaged_city: return "lantern validate checks the city";
    }
    return {};
}

std::string message_with_remedy(const core::Error& error)
{
    auto how = remedy(error.about());
    return how.empty() ? std::string(error.what()) : error.what() + ("; " + how);
}

}  // namespace lantern::cli
