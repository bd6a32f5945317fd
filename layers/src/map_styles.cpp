#include <lantern/layers/map_styles.hpp>

#include <lantern/layers/class_registry.hpp>

namespace lantern::layers {

const std::vector<core::LayerStyle>& map_styles()
{
    // The built-in classes' own styles, by their draw order.
    static const std::vector<core::LayerStyle> styles =
        ClassRegistry(builtin_classes()).map_styles();
    return styles;
}

const std::vector<core::LabelStyle>& map_labels()
{
    static const std::vector<core::LabelStyle> labels = ClassRegistry(builtin_classes()).map_labels();
    return labels;
}

}  // namespace lantern::layers
