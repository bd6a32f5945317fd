#!/usr/bin/env bash
# Coverage benchmark: `lantern coverage` for cameras and lighting on the
# sample city and larger copies of it (--scale), with each step's time and
# the peak memory, against gdal_viewshed (GDAL's viewshed on a raster)
# computing one camera's view on a 1 m building surface, in one run on the
# same machine. Prints markdown tables; the numbers go to docs/benchmarks.md.
#
#   bash tests/bench/coverage_bench.sh [WORKDIR] [SCALE...]
#
# Defaults: /tmp/lantern-coverage-bench, scales 1 and 100 (a city is built
# once in WORKDIR/scaleK and kept). LANTERN_BUILD names the build folder
# (default build/). VIEWSHED_CAMERAS (default 20): gdal_viewshed runs for
# this many online cameras of the scale-1 city, each on a 1 m surface of the
# buildings around it (burnt 1000 m high: buildings hide everything behind
# them, whatever their height) cut to its range; the surface is made before
# the clock starts. Installs GNU time with apt when it is missing.
set -euo pipefail
work=${1:-/tmp/lantern-coverage-bench}
shift || true
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(1 100)
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
viewshed_cameras=${VIEWSHED_CAMERAS:-20}
[ -x /usr/bin/time ] || apt-get install -y -qq time > /dev/null
mkdir -p "$work"
runs=$work/runs.md
viewshed=$work/viewshed.md
: > "$runs"
: > "$viewshed"

# json FILE EXPRESSION: a value of a JSON summary.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

for scale in "${scales[@]}"; do
  dir=$work/scale$scale
  city=$dir/hoian.sqlite
  if [ ! -f "$city" ]; then
    echo "== building the scale $scale city"
    "$lantern" sample-city "$dir" --scale "$scale" --force -q
  fi
  for network in cameras lighting; do
    echo "== lantern coverage $network, scale $scale"
    /usr/bin/time -f "%e %M" -o "$dir/$network.time" \
      "$lantern" coverage "$city" "$network" --json -q > "$dir/$network.json"
    read -r wall peak_kb < "$dir/$network.time"
    s=$dir/$network.json
    devices=$(json "$s" "d['devices']['counted']")
    # Cameras sweep one ring per detail band, lamps one.
    rings=1
    [ "$network" = cameras ] && rings=4
    footprints=$(json "$s" "d['step_seconds']['footprints']")
    printf '| scale %s | %s | %s | %.2f s | %s | %.2f s | %.2f s | %.2f s | %.2f s | %s s | %s MB |\n' \
      "$scale" "$network" "$devices" "$footprints" \
      "$(python3 -c "print(f'{$devices * $rings / max($footprints, 1e-9):,.0f}')")" \
      "$(json "$s" "d['step_seconds']['read']")" "$(json "$s" "d['step_seconds']['measure']")" \
      "$(json "$s" "d['step_seconds']['store']")" "$(json "$s" "d['seconds']")" "$wall" \
      "$(( peak_kb / 1024 ))" >> "$runs"
  done
done

# --- gdal_viewshed, one camera at a time, on the scale-1 city ---------------
dir=$work/scale${scales[0]}
city=$dir/hoian.sqlite
vs=$work/viewshed
rm -rf "$vs" && mkdir -p "$vs"
"$lantern" export "$city" buildings "$vs/buildings.gpkg" > /dev/null
"$lantern" export "$city" cameras "$vs/cameras.gpkg" > /dev/null
ogr2ogr -f CSV -lco GEOMETRY=AS_XY -where "status = 'online' OR status IS NULL" \
  "$vs/cameras_xy.csv" "$vs/cameras.gpkg"
python3 - "$vs/cameras_xy.csv" "$viewshed_cameras" > "$vs/chosen.txt" <<'PY'
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
n = int(sys.argv[2])
step = max(1, len(rows) // n)
defaults = {"traffic": 2688, "socialised": 1280}
for r in rows[::step][:n]:
    fov = float(r["fov_deg"] or 90)
    px = float(r.get("resolution_px") or defaults.get(r["purpose"], 1920))
    reach = min(float(r["range_m"] or 50), px / (25 * 2 * math.tan(math.radians(fov) / 2)))
    print(r["X"], r["Y"], r["height_m"] or 3, f"{reach:.1f}")
PY
count=0
total=0
while read -r x y height reach; do
  count=$((count + 1))
  surface=$vs/surface_$count.tif
  te=$(python3 -c "print($x - $reach - 2, $y - $reach - 2, $x + $reach + 2, $y + $reach + 2)")
  # shellcheck disable=SC2086
  gdal_rasterize -q -burn 1000 -init 0 -tr 1 1 -te $te -ot Float32 "$vs/buildings.gpkg" "$surface"
  start=$(date +%s.%N)
  gdal_viewshed -q -ox "$x" -oy "$y" -oz "$height" -md "$reach" "$surface" "$vs/view_$count.tif"
  end=$(date +%s.%N)
  total=$(python3 -c "print($total + $end - $start)")
done < "$vs/chosen.txt"
cameras_json=$dir/cameras.json
lantern_cameras=$(json "$cameras_json" "d['devices']['counted']")
lantern_seconds=$(json "$cameras_json" "d['step_seconds']['footprints']")
python3 - "$count" "$total" "$lantern_cameras" "$lantern_seconds" >> "$viewshed" <<'PY'
import sys
n, total, cams, secs = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
vs = total / n * 1000
la = secs / cams * 1000
print(f"| gdal_viewshed, 1 m surface | {n} | {vs:.1f} ms |")
print(f"| lantern coverage (4 detail rings each) | {cams} | {la:.3f} ms |")
print(f"| ratio | | {vs / la:,.0f}x |")
PY

echo
echo "| city | network | devices | footprints | rings/s | read | measure | store | total (run) | wall | peak memory |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
cat "$runs"
echo
echo "| per camera | cameras | time per camera |"
echo "|---|---|---|"
cat "$viewshed"
