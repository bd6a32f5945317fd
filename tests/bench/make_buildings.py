#!/usr/bin/env python3
"""Writes N synthetic building footprints as GeoJSON in EPSG:32649 (UTM 49N).

Rectangles of 8-14 m by 10-20 m on a 20 m grid placed over Hoi An, with the
buildings class's fields. Deterministic: the same N gives the same file.

    python3 tests/bench/make_buildings.py 1000000 buildings.geojson
"""
import random
import sys


def main():
    count = int(sys.argv[1])
    path = sys.argv[2]
    rng = random.Random(42)
    columns = 1000
    x0, y0 = 212000.0, 1750000.0  # south-west of the mainland, metres
    uses = ["house", "shop-house", "hotel", "temple", "school", "office"]
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","crs":{"type":"name","properties":'
                  '{"name":"urn:ogc:def:crs:EPSG::32649"}},"features":[\n')
        for i in range(count):
            row, col = divmod(i, columns)
            x = x0 + col * 20.0 + rng.uniform(0, 4)
            y = y0 + row * 20.0 + rng.uniform(0, 4)
            w = rng.uniform(8, 14)
            h = rng.uniform(10, 16)
            levels = rng.randint(1, 4)
            ring = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
            coords = ",".join(f"[{px:.2f},{py:.2f}]" for px, py in ring)
            sep = "," if i + 1 < count else ""
            out.write(
                f'{{"type":"Feature","properties":{{"building_id":"B-{i + 1}",'
                f'"height_m":{levels * 3.5:.1f},"levels":{levels},'
                f'"use":"{uses[i % len(uses)]}"}},'
                f'"geometry":{{"type":"Polygon","coordinates":[[{coords}]]}}}}{sep}\n')
        out.write("]}\n")


if __name__ == "__main__":
    main()
