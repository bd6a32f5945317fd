#!/usr/bin/env bash
# Terrain hydrology benchmark: Lantern's fill, flow directions, accumulation,
# HAND, flood threshold and stages against SAGA "Fill Sinks XXL (Wang & Liu)"
# and GRASS r.watershed, r.lake and r.fill.dir, on the same synthetic DEMs in
# the same run. Every step is one process under GNU time (wall time, peak
# resident memory); Lantern's steps also print the time of the algorithm
# alone and the peak while it ran. Prints a markdown table at the end.
# Numbers go to docs/benchmarks.md.
#
#   bash tests/bench/hydrology_bench.sh [WORKDIR] [SIZE...]
#
# Defaults: /tmp/lantern-hydrology-bench, sizes 3600 and 10000. r.fill.dir
# runs on sizes up to FILL_DIR_MAX (3600): it takes minutes there.
# LANTERN_HYDROLOGY_BENCH names the bench executable.
set -euo pipefail
work=${1:-/tmp/lantern-hydrology-bench}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(3600 10000)
here=$(cd "$(dirname "$0")" && pwd)
bench=${LANTERN_HYDROLOGY_BENCH:-$here/../../build/tests/lantern_hydrology_bench}
fill_dir_max=${FILL_DIR_MAX:-3600}
stream_cells=1000
# The same small GDAL block cache for every tool that reads through GDAL.
export GDAL_CACHEMAX=128

if [ ! -x /usr/bin/time ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends time
fi
for tool in saga_cmd grass; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: bash .ci/install-references" >&2; exit 1; }
done
[ -x "$bench" ] || { echo "no $bench: build the lantern_hydrology_bench target" >&2; exit 1; }

mkdir -p "$work"
work=$(cd "$work" && pwd)
# saga_cmd lists a library's tools (and fails: no tool chosen).
xxl=$( (saga_cmd ta_preprocessor 2>&1 || true) | sed -n 's/^ *\[\([0-9]*\)\]\tFill Sinks XXL (Wang & Liu) *$/\1/p')
[ -n "$xxl" ] || { echo "saga_cmd has no Fill Sinks XXL (Wang & Liu)" >&2; exit 1; }
grassdb=$work/grassdata
[ -d "$grassdb/bench" ] || grass -c EPSG:32649 -e "$grassdb/bench" >/dev/null 2>&1

table=$work/table.md
{
  echo "| DEM | step | tool | process time | algorithm time | cells/s | process peak memory | peak while running |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$table"

# field NAME LINE: the value of NAME=value in a RESULT line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MB", kb / 1024 }'; }
# rate CELLS SECONDS: millions of cells per second.
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f M", n / s / 1e6; else printf "-" }'; }

# ours LABEL ARGS...: one bench process; a table row per RESULT line it
# prints (the process's time and memory on the first).
ours() {
  local label=$1 first=1 line secs kb peak dem_mb process memory
  shift
  /usr/bin/time -f '%e %M' -o "$dir/$label.time" "$bench" "$@" > "$dir/$label.log" 2>&1
  cat "$dir/$label.log"
  read -r secs kb < "$dir/$label.time"
  while read -r line; do
    process="(same process)"
    memory=""
    if [ $first -eq 1 ]; then
      process="$secs s"
      memory=$(mb "$kb")
    fi
    peak=$(field step_peak_mb "$line")
    dem_mb=$(field dem_float32_mb "$line")
    printf '| %s | %s | Lantern | %s | %s s | %s | %s | %.0f MB (%.2f x DEM) |\n' "$size" \
      "$(field step "$line" | sed 's/_\(.*\)/ \1 m/')" "$process" "$(field seconds "$line")" \
      "$(rate "$(field cells "$line")" "$(field seconds "$line")")" "$memory" "$peak" \
      "$(awk -v p="$peak" -v d="$dem_mb" 'BEGIN { print p / d }')" >> "$table"
    first=0
  done < <(grep '^RESULT ' "$dir/$label.log")
}

# theirs TOOL STEP LABEL [SECONDS]: a row for a process timed into
# $dir/LABEL.time; SECONDS, the time the tool reports for its algorithm, if
# any, gives the cells per second (else the process time does).
theirs() {
  local tool=$1 step=$2 label=$3 algorithm=${4:-} secs kb
  read -r secs kb < "$dir/$label.time"
  printf '| %s | %s | %s | %s s | %s | %s | %s | - |\n' "$size" "$step" "$tool" "$secs" \
    "$([ -n "$algorithm" ] && echo "$algorithm s" || echo -)" "$(rate "$cells" "${algorithm:-$secs}")" "$(mb "$kb")" >> "$table"
}

for size in "${sizes[@]}"; do
  dir=$work/$size
  mkdir -p "$dir"
  cells=$((size * size))
  echo "== ${size} x ${size}"
  [ -f "$dir/dem.tif" ] && [ -f "$dir/levels" ] ||
    "$bench" make-dem "$dir/dem.tif" "$size" | tee "$dir/make-dem.log" | sed -n 's/^LEVELS //p' > "$dir/levels"
  read -r level_low level level_high < "$dir/levels"
  echo "stages: $level_low $level $level_high"
  sync

  # Lantern, one step per process, each reading what the one before wrote.
  ours fill fill "$dir/dem.tif" "$dir/filled.tif"
  ours flowdir flowdir "$dir/filled.tif" "$dir/flowdir.tif"
  ours accumulation accumulation "$dir/flowdir.tif" "$dir/accumulation.tif"
  ours hand hand "$dir/filled.tif" "$dir/flowdir.tif" "$dir/accumulation.tif" "$stream_cells" "$dir/hand.tif"
  ours threshold threshold "$dir/dem.tif" "$dir/threshold.tif"
  ours stage stage "$dir/dem.tif" "$dir/threshold.tif" "$dir/depth.tif" "$level" "$level_low" "$level_high"

  # SAGA reads its own grid format, so that its time is not GeoTIFF decoding.
  [ -f "$dir/dem.sdat" ] || gdal_translate -q -of SAGA "$dir/dem.tif" "$dir/dem.sdat"
  sync
  /usr/bin/time -f '%e %M' -o "$dir/saga-xxl.time" \
    saga_cmd ta_preprocessor "$xxl" -ELEV "$dir/dem.sdat" -FILLED "$dir/saga-filled.sdat" -MINSLOPE 0 \
    > "$dir/saga-xxl.log" 2>&1
  # SAGA reports the tool's own time in whole seconds.
  saga_ms=$(sed -n 's/^total execution time: \([0-9]*\) milliseconds.*/\1/p' "$dir/saga-xxl.log" | tail -1)
  theirs "SAGA 8.5 Fill Sinks XXL (Wang & Liu)" fill saga-xxl \
    "$([ -n "$saga_ms" ] && awk -v ms="$saga_ms" 'BEGIN { print ms / 1000 }')"

  # GRASS: import (not timed), then each module under GNU time.
  cat > "$dir/grass.sh" <<EOF
set -euo pipefail
cd "$dir"
r.in.gdal --q --overwrite input=dem.tif output=dem
g.region raster=dem
r.mapcalc --q --overwrite "seeds = if(dem <= -2, 1, null())"
run() { local label=\$1; shift; /usr/bin/time -f '%e %M' -o "\$label.time" "\$@" > "\$label.log" 2>&1; }
run grass-watershed-sfd r.watershed --overwrite -s elevation=dem accumulation=acc_sfd drainage=dir_sfd
run grass-watershed-mfd r.watershed --overwrite elevation=dem accumulation=acc_mfd drainage=dir_mfd
run grass-lake r.lake --overwrite elevation=dem water_level=$level seed=seeds lake=lake
if [ "$size" -le "$fill_dir_max" ]; then
  run grass-fill-dir r.fill.dir --overwrite input=dem output=filled direction=fill_dir
fi
EOF
  sync
  grass "$grassdb/bench/PERMANENT" --exec bash "$dir/grass.sh" > "$dir/grass.log" 2>&1
  theirs "GRASS 8.2 r.watershed -s (D8, in memory)" "fill + flowdir + accumulation" grass-watershed-sfd
  theirs "GRASS 8.2 r.watershed (MFD, in memory)" "fill + flowdir + accumulation" grass-watershed-mfd
  theirs "GRASS 8.2 r.lake" "stage $level m" grass-lake
  if [ "$size" -le "$fill_dir_max" ]; then
    theirs "GRASS 8.2 r.fill.dir" "fill + flowdir" grass-fill-dir
  fi
done

echo
echo "$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); GDAL_CACHEMAX=$GDAL_CACHEMAX"
cat "$table"
