#!/usr/bin/env python3
"""The permit check's zone rules as SpatiaLite SQL, for tests/bench/permit_bench.sh.

  permit_sql.py proposals CITY N OUT_JSONL OUT_WKT
      N proposals from the city's buildings (their footprints, a random
      number of floors): the API's JSON bodies in WGS 84, one a line, and
      the same footprints as WKT in the city CRS.
  permit_sql.py check CITY WKT_LIST PROCESSES ROUNDS
      per proposal, in SQL: the zones under the footprint with their parts,
      the parcels under it, the other buildings on them, and each zone's
      height, floors, coverage and floor-area ratio against the proposal;
      one process per core; prints CHECKS checks=... seconds=... p99_ms=...
"""
import json
import multiprocessing
import random
import sqlite3
import subprocess
import sys
import time

ZONE_RULES = """
SELECT z.zone_id, z.max_height_m, z.max_floors, z.max_coverage_pct, z.max_far, z.land_uses,
       ST_Area(ST_Intersection(z.geom, f.g)) AS part, z.geom
FROM zones z, (SELECT GeomFromText(?, 32649) AS g) f
WHERE z.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'zones' AND search_frame = f.g)
  AND ST_Intersects(z.geom, f.g)"""

SITE = """
SELECT ST_Union(p.geom) FROM parcels p, (SELECT GeomFromText(?, 32649) AS g) f
WHERE p.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'parcels' AND search_frame = f.g)
  AND ST_Area(ST_Intersection(p.geom, f.g)) >= 0.5"""

PER_ZONE = """
SELECT ST_Area(ST_Intersection(s.g, z.g)),
       COALESCE((SELECT SUM(ST_Area(ST_Intersection(ST_Difference(ST_Intersection(b.geom, s.g), f.g), z.g)))
                 FROM buildings b WHERE b.fid IN (SELECT rowid FROM SpatialIndex
                      WHERE f_table_name = 'buildings' AND search_frame = s.g)), 0),
       COALESCE((SELECT SUM(ST_Area(ST_Intersection(ST_Difference(ST_Intersection(b.geom, s.g), f.g), z.g))
                            * COALESCE(b.levels, 1))
                 FROM buildings b WHERE b.fid IN (SELECT rowid FROM SpatialIndex
                      WHERE f_table_name = 'buildings' AND search_frame = s.g)), 0)
FROM (SELECT ? AS g) s, (SELECT GeomFromText(?, 32649) AS g) f, (SELECT ? AS g) z"""


def connect(city):
    db = sqlite3.connect(city)
    db.enable_load_extension(True)
    db.load_extension("mod_spatialite")
    return db


def proposals(city, n, out_jsonl, out_wkt):
    geojson = subprocess.run(
        ["ogr2ogr", "-f", "GeoJSONSeq", "/vsistdout/", city, "buildings", "-t_srs", "EPSG:4326",
         "-lco", "COORDINATE_PRECISION=8", "-select", "building_id"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    wkt = subprocess.run(
        ["ogr2ogr", "-f", "CSV", "/vsistdout/", city, "buildings", "-lco", "GEOMETRY=AS_WKT",
         "-select", "building_id"], check=True, capture_output=True, text=True).stdout.splitlines()[1:]
    rng = random.Random(1)
    picks = rng.sample(range(min(len(geojson), len(wkt))), n)
    with open(out_jsonl, "w") as bodies, open(out_wkt, "w") as shapes:
        for i in picks:
            feature = json.loads(geojson[i])
            floors = rng.randint(1, 6)
            bodies.write(json.dumps({"footprint": feature["geometry"], "floors": floors,
                                     "height_m": round(floors * 3.4 + 0.6, 1), "land_use": "ODT",
                                     "floor_level_m": 3.5}) + "\n")
            shapes.write(wkt[i].split('"')[1] + "\t%d\n" % floors)


def check_one(db, footprint, floors):
    verdict = True
    site = db.execute(SITE, (footprint,)).fetchone()[0]
    for zone_id, height, max_floors, coverage, far, uses, part, zone in db.execute(ZONE_RULES, (footprint,)):
        height_m = floors * 3.4 + 0.6
        verdict &= (max_floors is None or floors <= max_floors) and (height is None or height_m <= height)
        verdict &= uses is None or "ODT" in uses.split(",")
        if site is None:
            continue
        land, built, floor_area = db.execute(PER_ZONE, (site, footprint, zone)).fetchone()
        if not land:
            continue
        built += part
        floor_area += part * floors
        verdict &= (coverage is None or 100 * built / land <= coverage) and (far is None or floor_area / land <= far)
    return verdict


def worker(args):
    city, items = args
    db = connect(city)
    times = []
    for footprint, floors in items:
        start = time.perf_counter()
        check_one(db, footprint, floors)
        times.append(time.perf_counter() - start)
    return times


def check(city, wkt_list, processes, rounds):
    items = []
    for line in open(wkt_list):
        footprint, floors = line.rstrip("\n").split("\t")
        items.append((footprint, int(floors)))
    items = items * rounds
    chunks = [items[k::processes] for k in range(processes)]
    start = time.perf_counter()
    with multiprocessing.Pool(processes) as pool:
        times = [t for part in pool.map(worker, [(city, c) for c in chunks]) for t in part]
    seconds = time.perf_counter() - start
    times.sort()
    print("CHECKS checks=%d seconds=%.2f per_s=%.0f p50_ms=%.2f p99_ms=%.2f" % (
        len(times), seconds, len(times) / seconds, 1000 * times[len(times) // 2],
        1000 * times[int(len(times) * 0.99)]))


if __name__ == "__main__":
    if sys.argv[1] == "proposals":
        proposals(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        check(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
