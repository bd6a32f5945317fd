#include "tileserver/mvt_layers.hpp"

#include <protozero/pbf_reader.hpp>

namespace lantern::test {

std::vector<MvtLayerCount> mvt_layer_counts(const std::string& tile)
{
    std::vector<MvtLayerCount> layers;
    protozero::pbf_reader reader(tile);
    while (reader.next(3, protozero::pbf_wire_type::length_delimited)) {
        protozero::pbf_reader layer = reader.get_message();
        MvtLayerCount count;
        while (layer.next()) {
            if (layer.tag() == 1)
                count.name = layer.get_string();
            else if (layer.tag() == 2 && layer.wire_type() == protozero::pbf_wire_type::length_delimited) {
                layer.skip();
                ++count.features;
            } else
                layer.skip();
        }
        layers.push_back(count);
    }
    return layers;
}

}  // namespace lantern::test
