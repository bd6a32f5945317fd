// Decodes MapLibre glyph protobufs with protobufjs, from the schema below
// (node-fontnik's glyphs.proto, whose required fields protobufjs insists
// on), for the tests that read Lantern's /fonts ranges with a decoder that
// shares no code with Lantern's encoder.
//
//   node decode_glyphs.mjs RANGE.pbf [MORE.pbf ...]
//
// prints one JSON array with, per file in the order given:
//   {"stacks": [{"name", "range",
//                "glyphs": [{"id", "width", "height", "left", "top", "advance",
//                            "bitmap" (hex, "" when absent)}]}]}

import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const schema = `
syntax = "proto2";
package llmr.glyphs;

message glyph {
    required uint32 id = 1;
    optional bytes bitmap = 2;
    required uint32 width = 3;
    required uint32 height = 4;
    required sint32 left = 5;
    required sint32 top = 6;
    required uint32 advance = 7;
}

message fontstack {
    required string name = 1;
    required string range = 2;
    repeated glyph glyphs = 3;
}

message glyphs {
    repeated fontstack stacks = 1;
    extensions 16 to 8191;
}
`;

const Glyphs = protobuf.parse(schema).root.lookupType('llmr.glyphs.glyphs');

function decode(path) {
    const message = Glyphs.decode(readFileSync(path));
    const problem = Glyphs.verify(message);
    if (problem)
        throw new Error(`${path}: ${problem}`);
    return {
        stacks: message.stacks.map((stack) => ({
            name: stack.name,
            range: stack.range,
            glyphs: stack.glyphs.map((g) => ({
                id: g.id, width: g.width, height: g.height, left: g.left, top: g.top, advance: g.advance,
                bitmap: Buffer.from(g.bitmap ?? []).toString('hex'),
            })),
        })),
    };
}

const files = process.argv.slice(2);
if (files.length === 0) {
    process.stderr.write('usage: node decode_glyphs.mjs RANGE.pbf [MORE.pbf ...]\n');
    process.exit(2);
}
process.stdout.write(JSON.stringify(files.map(decode)) + '\n');
