#!/usr/bin/env bash
# Map drawing before and after, in one run: the overview of the sample city
# at 1600 px, an A3 landscape flood map at 300 dpi (4961 x 3508 pixels; the
# earlier renderer, which had no paper, draws the same pixels wide) and the
# flood atlas. A flood map's time is the flood run with the map less the same
# run without it, medians of three; peak memory from GNU time.
#   tests/bench/render_bench.sh OLD_LANTERN NEW_LANTERN WORKDIR
set -euo pipefail
old=$1
new=$2
work=$3
here=$(cd "$(dirname "$0")" && pwd)
# Built by the earlier binary, which does not know the label rules of
# the newer class descriptions; the newer one reads its city as it is.
bash "$here/sample_city.sh" "$old" "$work"
city=$work/hoian.sqlite
town=108.286,15.852,108.400,15.925
hydrograph=$here/../../data/hoian/hydrograph_synthetic_3day.csv

# Seconds and peak resident kilobytes of a command, as "S KB".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>&1
  cat "$work/time.txt"
}

# The median of three runs' seconds, and the largest peak memory.
median3() {
  local a b c
  a=$(measure "$@"); b=$(measure "$@"); c=$(measure "$@")
  printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | sed -n 2p | awk '{print $1}'
  printf '%s\n%s\n%s\n' "$a" "$b" "$c" | awk '$2 > m {m = $2} END {print m}'
}

row() {  # label, then the command
  local label=$1
  shift
  local out
  out=$(median3 "$@")
  printf '| %s | %s s | %s MB |\n' "$label" "$(echo "$out" | sed -n 1p)" \
    "$(( $(echo "$out" | sed -n 2p) / 1024 ))"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| what | median time | peak memory |"
echo "|---|---|---|"
for side in old new; do
  bin=${!side}
  row "$side: overview, 1600 px PNG" "$bin" render "$city" "$work/overview_$side.png" --width 1600
  row "$side: flood alarm III, no map" "$bin" flood "$city" --stage alarm-3 -q
  row "$side: flood alarm III, map 4961 px wide PNG" "$bin" flood "$city" --stage alarm-3 -q \
    --bounds "$town" --png "$work/flood_$side.png" --width 4961
done
row "new: flood alarm III, A3 landscape 300 dpi PNG" "$new" flood "$city" --stage alarm-3 -q \
  --bounds "$town" --map "$work/flood_a3.png" --layout a3-landscape --dpi 300
row "new: flood alarm III, A3 landscape 300 dpi PDF" "$new" flood "$city" --stage alarm-3 -q \
  --bounds "$town" --map "$work/flood_a3.pdf" --layout a3-landscape --dpi 300
row "new: flood, 4 stages and the hydrograph, no atlas" "$new" flood "$city" -q --stage alarm-1 \
  --stage alarm-2 --stage alarm-3 --stage record-1964 --hydrograph "$hydrograph"
row "new: the same with the atlas (A4 landscape, 150 dpi)" "$new" flood "$city" -q --stage alarm-1 \
  --stage alarm-2 --stage alarm-3 --stage record-1964 --hydrograph "$hydrograph" --bounds "$town" \
  --atlas "$work/atlas.pdf"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
