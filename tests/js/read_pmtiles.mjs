// Reads a PMTiles archive with the pmtiles package (Protomaps' own reader)
// so tests can check what Lantern writes against an independent decoder.
//
//   node read_pmtiles.mjs ARCHIVE [Z/X/Y ...]
//
// Prints one JSON object: the header and metadata as the package decodes
// them and, for each tile asked for, its tile id by the package's
// zxyToTileId and its decompressed bytes as hex (null when absent).

import { open } from "node:fs/promises";
import { PMTiles, zxyToTileId } from "pmtiles";

class NodeFileSource {
  constructor(path, handle) {
    this.path = path;
    this.handle = handle;
  }

  getKey() {
    return this.path;
  }

  async getBytes(offset, length) {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset);
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead) };
  }
}

const [archive, ...tiles] = process.argv.slice(2);
if (!archive) {
  console.error("usage: node read_pmtiles.mjs ARCHIVE [Z/X/Y ...]");
  process.exit(2);
}

const handle = await open(archive, "r");
try {
  const reader = new PMTiles(new NodeFileSource(archive, handle));
  const header = await reader.getHeader();
  delete header.etag;
  const result = { header, metadata: await reader.getMetadata(), tiles: [] };
  for (const name of tiles) {
    const [z, x, y] = name.split("/").map(Number);
    const tile = await reader.getZxy(z, x, y);
    result.tiles.push({
      z,
      x,
      y,
      tile_id: zxyToTileId(z, x, y),
      hex: tile ? Buffer.from(tile.data).toString("hex") : null,
    });
  }
  console.log(JSON.stringify(result));
} finally {
  await handle.close();
}
