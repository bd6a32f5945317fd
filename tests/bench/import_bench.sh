#!/usr/bin/env bash
# Import benchmark: one million building polygons from one GeoPackage, Lantern
# against ogr2ogr -f SQLite -dsco SPATIALITE=YES, in the same run. Prints wall
# time and peak resident memory (GNU time) for each. Numbers go to docs/benchmarks.md.
#
#   bash tests/bench/import_bench.sh [COUNT] [WORKDIR]
set -euo pipefail
count=${1:-1000000}
work=${2:-/tmp/lantern-bench}
here=$(cd "$(dirname "$0")" && pwd)
lantern=${LANTERN:-$here/../../build/cli/lantern}
mkdir -p "$work"
cd "$work"
if [ ! -f "buildings-$count.gpkg" ]; then
  python3 "$here/make_buildings.py" "$count" "buildings-$count.geojson"
  ogr2ogr -f GPKG "buildings-$count.gpkg" "buildings-$count.geojson" -nln buildings
  rm "buildings-$count.geojson"
fi
rm -f ogr2ogr.sqlite lantern.sqlite lantern.sqlite-wal lantern.sqlite-shm
sync
/usr/bin/time -f "ogr2ogr  %e s  %M KB peak" \
  ogr2ogr -f SQLite -dsco SPATIALITE=YES ogr2ogr.sqlite "buildings-$count.gpkg"
"$lantern" init lantern.sqlite --name bench --crs EPSG:32649 >/dev/null
sync
/usr/bin/time -f "lantern  %e s  %M KB peak" \
  "$lantern" import lantern.sqlite buildings "buildings-$count.gpkg" -q
ls -l ogr2ogr.sqlite lantern.sqlite
