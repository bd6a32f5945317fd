#include <lantern/layers/map_styles.hpp>

namespace lantern::layers {

namespace {

core::LayerStyle zone(const char* type, core::Rgba fill)
{
    return {"zones", fill, {0, 0, 0, 0}, 1, 6, "zone_type", type};
}

}  // namespace

const std::vector<core::LayerStyle>& map_styles()
{
    // Opacity below 255 is blended over what is drawn before.
    static const std::vector<core::LayerStyle> styles = {
        // class             fill                   stroke                 stroke px  dot px
        {"water",           {166, 206, 227, 255}, {112, 160, 200, 255}, 1, 6},
        {"wards",           {0, 0, 0, 0},         {90, 90, 90, 255},    2, 6},
        // Zones tinted by their type, as planning maps colour them, then outlined.
        zone("residential",    {245, 200, 110, 110}),
        zone("mixed-use",      {235, 130, 90, 110}),
        zone("heritage",       {175, 95, 45, 120}),
        zone("tourism",        {225, 110, 170, 100}),
        zone("public",         {165, 120, 205, 110}),
        zone("green",          {100, 175, 80, 120}),
        zone("agriculture",    {205, 225, 150, 90}),
        zone("infrastructure", {150, 150, 165, 110}),
        {"zones",           {0, 0, 0, 0},         {200, 184, 130, 140}, 1, 6},
        {"heritage_zones",  {255, 160, 60, 90},   {230, 120, 20, 255},  2, 6},
        {"parcels",         {0, 0, 0, 0},         {170, 170, 170, 80},  1, 6},
        {"roads",           {0, 0, 0, 0},         {150, 150, 150, 255}, 5, 6},  // casing
        {"roads",           {0, 0, 0, 0},         {255, 255, 255, 255}, 3, 6},
        {"buildings",       {120, 84, 60, 255},   {0, 0, 0, 0},         1, 6},
        {"drainage_pipes",  {0, 0, 0, 0},         {40, 110, 200, 255},  1, 6},
        {"drainage_nodes",  {40, 110, 200, 255},  {0, 0, 0, 0},         1, 4},
        {"lamps",           {255, 210, 0, 255},   {110, 90, 0, 255},    1, 7},
        {"cameras",         {220, 30, 30, 255},   {90, 0, 0, 255},      1, 7},
        {"heritage_sites",  {200, 20, 20, 200},   {120, 0, 0, 255},     2, 11},
    };
    return styles;
}

}  // namespace lantern::layers
