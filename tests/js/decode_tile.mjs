// Decodes Mapbox Vector Tiles with @mapbox/vector-tile (the decoder of
// Mapbox GL and MapLibre) and prints them as JSON in tile coordinates, for
// the tests that compare Lantern's tiles with an independent decoder.
//
//   node decode_tile.mjs TILE.mvt [MORE.mvt ...]
//
// prints one JSON array with, per file in the order given:
//   {"layers": [{"name", "version", "extent",
//                "features": [{"id" (null when absent), "type" (0-3),
//                              "properties": {...},
//                              "geometry": loadGeometry() as [[[x, y], ...], ...]}]}]}
// loadGeometry() gives one path per MoveTo: for points one single-point
// path each, for polygons every ring closed by repeating its first point.

import { readFileSync } from 'node:fs';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

function decode(path) {
    const tile = new VectorTile(new PbfReader(readFileSync(path)));
    const layers = [];
    for (const name of Object.keys(tile.layers)) {
        const layer = tile.layers[name];
        const features = [];
        for (let i = 0; i < layer.length; i++) {
            const feature = layer.feature(i);
            features.push({
                id: feature.id === undefined ? null : feature.id,
                type: feature.type,
                properties: feature.properties,
                geometry: feature.type === 0 ? [] :
                    feature.loadGeometry().map((path) => path.map((p) => [p.x, p.y])),
            });
        }
        layers.push({ name: layer.name, version: layer.version, extent: layer.extent, features });
    }
    return { layers };
}

const files = process.argv.slice(2);
if (files.length === 0) {
    process.stderr.write('usage: node decode_tile.mjs TILE.mvt [MORE.mvt ...]\n');
    process.exit(2);
}
process.stdout.write(JSON.stringify(files.map(decode)) + '\n');
