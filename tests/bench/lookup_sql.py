"""The planning lookup done as SpatiaLite SQL, for tests/bench/lookup_bench.sh.

  python3 lookup_sql.py points CITY N OUT      N random points in the city's wards, "lon lat" lines
  python3 lookup_sql.py run CITY POINTS PROCS [ROUNDS]
                                               the lookups, one query per layer per point, in PROCS
                                               processes, ROUNDS times over the list (default 1)

Each lookup transforms the point to the city CRS and asks, through each
table's SpatiaLite R*Tree index: the ward, parcel, planning zone and
heritage zone covering it, the heritage sites within 100 m, the nearest
drainage node (within 500 m), and the camera and lighting footprints
covering it. Flood depths live in GeoTIFF results that SQL cannot read, so
the SQL route does less than /api/lookup. Needs Debian's python3 (its
sqlite3 module loads extensions) and mod_spatialite.
"""
import multiprocessing
import random
import sqlite3
import statistics
import sys
import time

AREAS = ["wards", "parcels", "zones", "heritage_zones", "result_camera_coverage", "result_lighting_coverage"]


def connect(city):
    # The city database keeps only its own CRS; SpatiaLite's full table of
    # reference systems lives in a memory database beside it.
    db = sqlite3.connect(":memory:", uri=True)
    db.enable_load_extension(True)
    db.load_extension("mod_spatialite")
    db.execute("SELECT InitSpatialMetadata(1)")
    db.execute("ATTACH DATABASE ? AS c", (f"file:{city}?mode=ro",))
    return db


def covering(table):
    return (f"SELECT * FROM c.\"{table}\" WHERE ROWID IN (SELECT pkid FROM c.\"idx_{table}_geom\" "
            "WHERE xmin <= :x AND xmax >= :x AND ymin <= :y AND ymax >= :y) "
            "AND ST_Covers(geom, MakePoint(:x, :y, :srid))")


def near(table, radius, limit):
    return (f"SELECT *, ST_Distance(geom, MakePoint(:x, :y, :srid)) AS d FROM c.\"{table}\" WHERE ROWID IN "
            f"(SELECT pkid FROM c.\"idx_{table}_geom\" WHERE xmin <= :x + {radius} AND xmax >= :x - {radius} "
            f"AND ymin <= :y + {radius} AND ymax >= :y - {radius}) AND d <= {radius} ORDER BY d LIMIT {limit}")


def lookups(args):
    city, points, rounds = args
    db = connect(city)
    srid = db.execute("SELECT srid FROM c.geometry_columns WHERE f_table_name = 'wards'").fetchone()[0]
    tables = {row[0] for row in db.execute("SELECT f_table_name FROM c.geometry_columns")}
    queries = [covering(t) for t in AREAS if t in tables]
    queries += [near("heritage_sites", 100, 100), near("drainage_nodes", 500, 1)]
    latencies = []
    begun = time.perf_counter()
    for lon, lat in points * rounds:
        start = time.perf_counter()
        x, y = db.execute("SELECT X(p), Y(p) FROM (SELECT ST_Transform(MakePoint(?, ?, 4326), ?) AS p)",
                          (lon, lat, srid)).fetchone()
        for q in queries:
            db.execute(q, {"x": x, "y": y, "srid": srid}).fetchall()
        latencies.append(time.perf_counter() - start)
    return latencies, time.perf_counter() - begun


def make_points(city, n, out):
    db = connect(city)
    srid = db.execute("SELECT srid FROM c.geometry_columns WHERE f_table_name = 'wards'").fetchone()[0]
    w, s, e, n_ = db.execute("SELECT MbrMinX(b), MbrMinY(b), MbrMaxX(b), MbrMaxY(b) FROM "
                             "(SELECT ST_Transform(Extent(geom), 4326) AS b FROM c.wards)").fetchone()
    rng = random.Random(1)
    inside = covering("wards")
    points = []
    while len(points) < n:
        lon, lat = rng.uniform(w, e), rng.uniform(s, n_)
        x, y = db.execute("SELECT X(p), Y(p) FROM (SELECT ST_Transform(MakePoint(?, ?, 4326), ?) AS p)",
                          (lon, lat, srid)).fetchone()
        if db.execute(inside, {"x": x, "y": y, "srid": srid}).fetchone():
            points.append((lon, lat))
    with open(out, "w") as f:
        for lon, lat in points:
            f.write(f"{lon:.7f} {lat:.7f}\n")


def run(city, points_file, procs, rounds):
    points = [tuple(map(float, line.split())) for line in open(points_file)]
    shares = [points[i::procs] for i in range(procs)]
    with multiprocessing.Pool(procs) as pool:
        parts = pool.map(lookups, [(city, s, rounds) for s in shares])
    latencies = [t for part, _ in parts for t in part]
    # The processes run side by side: the time is the slowest one's, from
    # its first lookup to its last (not its start-up and connection).
    wall = max(seconds for _, seconds in parts)
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    print(f"SQL lookups={len(latencies)} seconds={wall:.2f} per_s={len(latencies) / wall:.1f} "
          f"p50_ms={statistics.median(latencies) * 1000:.2f} p99_ms={p99 * 1000:.2f}")


if __name__ == "__main__":
    if sys.argv[1] == "points":
        make_points(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 1)
