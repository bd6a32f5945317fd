#!/usr/bin/env bash
# Before and after: Lantern's side of the tiles, lookup, coverage and
# hydrology benchmarks for two builds of Lantern (an older commit's and this
# one's), on the same machine in one run, the two builds taking turns so that
# whatever else the machine does weighs on both alike. Each row is the median
# of ROUNDS runs with the wall time and the peak resident memory of that run.
# Prints a markdown table for docs/benchmarks.md.
#
#   bash tests/bench/compare_builds.sh BEFORE_BUILD AFTER_BUILD [WORKDIR]
#
# A build folder needs the lantern, lantern_hydrology_bench,
# lantern_tiles_bench and lantern_lookup_points_bench targets. WORKDIR
# (default /tmp/lantern-compare-builds) keeps what both builds read: the
# sample city (built by each build for itself, flooded at alarm III), a
# synthetic DEM of SIZE x SIZE cells (default 3000), the tile list (zooms
# 12-16) and the lookup points. ROUNDS (default 3), POINTS (default 5000).
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,17p' "$0" >&2; exit 2; }
before=$(cd "$1" && pwd)
after=$(cd "$2" && pwd)
work=${3:-/tmp/lantern-compare-builds}
rounds=${ROUNDS:-3}
size=${SIZE:-3000}
points=${POINTS:-5000}
here=$(cd "$(dirname "$0")" && pwd)
threads=$(nproc)
[ -x /usr/bin/time ] || apt-get install -y -qq time > /dev/null
mkdir -p "$work"

# --- what both read ------------------------------------------------------------
for side in before after; do
  build=${!side}
  city=$work/$side/hoian.sqlite
  if [ ! -f "$city" ]; then
    echo "== the sample city, flooded at alarm III, by the $side build"
    "$build/cli/lantern" sample-city "$work/$side" --force -q
    "$build/cli/lantern" flood "$city" --stage alarm-3 -q
  fi
done
[ -f "$work/dem.tif" ] && [ -f "$work/levels" ] ||
  "$after/tests/lantern_hydrology_bench" make-dem "$work/dem.tif" "$size" | sed -n 's/^LEVELS //p' > "$work/levels"
[ -f "$work/tiles.tsv" ] || "$after/tests/lantern_tiles_bench" tiles "$work/after/hoian.sqlite" 12 16 "$work/tiles.tsv"
[ -f "$work/points.txt" ] ||
  /usr/bin/python3 "$here/lookup_sql.py" points "$work/after/hoian.sqlite" "$points" "$work/points.txt"

# --- one measurement -------------------------------------------------------------

# measure SIDE NAME COMMAND...: runs the command of one build, keeping its
# wall time and peak memory (GNU time) as a line of WORKDIR/NAME.SIDE.
measure() {
  local side=$1 name=$2
  shift 2
  /usr/bin/time -f '%e %M' -o "$work/last.time" "$@" > "$work/last.log" 2>&1 ||
    { cat "$work/last.log" >&2; exit 1; }
  cat "$work/last.time" >> "$work/$name.$side"
}

# median NAME SIDE: the median run's "seconds s, MB MB".
median() {
  sort -n "$work/$1.$2" | awk '{ s[NR] = $1; m[NR] = $2 } END {
    i = int((NR + 1) / 2); printf "%.2f s, %.0f MB", s[i], m[i] / 1024 }'
}

steps=(fill flowdir threshold stage tiles lookup cameras lighting)
for name in "${steps[@]}"; do rm -f "$work/$name.before" "$work/$name.after"; done
rm -f "$work/lookup_us.before" "$work/lookup_us.after"
read -r level_low level level_high < "$work/levels"
for round in $(seq "$rounds"); do
  for side in before after; do
    build=${!side}
    city=$work/$side/hoian.sqlite
    echo "== round $round, $side"
    bench=$build/tests/lantern_hydrology_bench
    measure "$side" fill "$bench" fill "$work/dem.tif" "$work/$side.filled.tif"
    measure "$side" flowdir "$bench" flowdir "$work/$side.filled.tif" "$work/$side.flowdir.tif"
    measure "$side" threshold "$bench" threshold "$work/dem.tif" "$work/$side.threshold.tif"
    measure "$side" stage "$bench" stage "$work/dem.tif" "$work/$side.threshold.tif" "$work/$side.depth.tif" \
      "$level" "$level_low" "$level_high"
    measure "$side" tiles "$build/tests/lantern_tiles_bench" render "$city" "$work/tiles.tsv" "$threads" \
      "$work/$side.non_empty.tsv"
    measure "$side" lookup "$build/tests/lantern_lookup_points_bench" "$city" "$work/points.txt" 20
    sed -n 's/.*us_per_lookup=\([0-9.]*\).*/\1/p' "$work/last.log" >> "$work/lookup_us.$side"
    measure "$side" cameras "$build/cli/lantern" coverage "$city" cameras --json -q
    measure "$side" lighting "$build/cli/lantern" coverage "$city" lighting --json -q
  done
done

# The outputs agree: the same rasters from the hydrology steps.
for raster in filled flowdir threshold depth; do
  cmp -s "$work/before.$raster.tif" "$work/after.$raster.tif" && same=identical || same=different
  echo "$raster.tif: $same"
done

label() {
  case $1 in
    fill) echo "hydrology: fill ${size}²" ;;
    flowdir) echo "hydrology: flow directions ${size}²" ;;
    threshold) echo "hydrology: flood threshold ${size}²" ;;
    stage) echo "hydrology: three stages ${size}²" ;;
    tiles) echo "tiles: render zooms 12-16, sample city, $threads threads" ;;
    lookup) echo "lookup: $points points x 20 rounds, one thread" ;;
    cameras) echo "coverage: cameras, sample city" ;;
    lighting) echo "coverage: lighting, sample city" ;;
  esac
}
echo
echo "| benchmark (process wall time, peak memory; median of $rounds) | before | after |"
echo "|---|---|---|"
for name in "${steps[@]}"; do
  echo "| $(label "$name") | $(median "$name" before) | $(median "$name" after) |"
done
us() { sort -n "$work/lookup_us.$1" | awk '{ v[NR] = $1 } END { printf "%.2f µs", v[int((NR + 1) / 2)] }'; }
echo "| lookup: time of one lookup, without loading the city | $(us before) | $(us after) |"
