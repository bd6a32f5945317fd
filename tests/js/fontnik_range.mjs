// Glyph ranges made by node-fontnik (Mapbox's generator, the npm package with
// its prebuilt native module), for the tests that compare Lantern's glyphs
// with an independent generator's from the same font file.
//
//   node fontnik_range.mjs FONT_FILE START OUT.pbf [START OUT.pbf ...]
//
// writes each range of 256 code points from START and prints {"written": N}.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const fontnik = createRequire(import.meta.url)('fontnik');

const [fontFile, ...pairs] = process.argv.slice(2);
if (!fontFile || pairs.length === 0 || pairs.length % 2) {
    process.stderr.write('usage: node fontnik_range.mjs FONT_FILE START OUT.pbf [START OUT.pbf ...]\n');
    process.exit(2);
}
const font = readFileSync(fontFile);
for (let i = 0; i < pairs.length; i += 2) {
    const start = Number(pairs[i]);
    const pbf = await new Promise((resolve, reject) =>
        fontnik.range({ font, start, end: start + 255 }, (error, data) => (error ? reject(error) : resolve(data))));
    writeFileSync(pairs[i + 1], pbf);
}
process.stdout.write(JSON.stringify({ written: pairs.length / 2 }) + '\n');
