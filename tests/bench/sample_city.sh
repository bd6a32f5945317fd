#!/usr/bin/env bash
# Builds the sample city with its flood and coverage results in WORKDIR, as
# the lookup and stall benchmarks read it, unless it is there already.
#   tests/bench/sample_city.sh LANTERN WORKDIR
set -euo pipefail
lantern=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
city=$work/hoian.sqlite
[ -f "$city" ] && exit 0
mkdir -p "$work"
echo "== building the sample city with its flood and coverage results"
"$lantern" sample-city "$work" --force -q
"$lantern" hydrology "$city" -q
"$lantern" flood "$city" -q --stage alarm-1 --stage alarm-2 --stage alarm-3 --stage record-1964 \
  --hydrograph "$here/../../data/hoian/hydrograph_synthetic_3day.csv"
"$lantern" coverage "$city" cameras -q
"$lantern" coverage "$city" lighting -q
