#!/usr/bin/env bash
# `lantern serve` while a writer commits analyses: lookups at random points,
# then cached tiles, each under wrk (32 connections) for DURATION while
# tests/bench/stall_writer.py commits a new flood stage at most every 2 s
# (one analysis thread, so that it takes one core of two). Prints wrk's
# latency distribution for each and, per commit, how long until the lookup
# answered with the new stage; the server's peak memory.
#
#   tests/bench/stall_bench.sh [WORKDIR]
#   LANTERN_BUILD (default build/), DURATION (default 60s), CONNECTIONS (32)
set -euo pipefail
work=${1:-/tmp/lantern-stall-bench}
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
duration=${DURATION:-60s}
connections=${CONNECTIONS:-32}
command -v wrk > /dev/null || apt-get install -y -qq wrk > /dev/null
bash "$here/sample_city.sh" "$lantern" "$work/base"
/usr/bin/python3 "$here/lookup_sql.py" points "$work/base/hoian.sqlite" 5000 "$work/points.txt" > /dev/null
# The Ancient Town's tiles from zoom 14 to 16: few enough to stay cached.
/usr/bin/python3 - "$work/tiles.txt" <<'PY'
import math, sys
with open(sys.argv[1], "w") as out:
    for z in (14, 15, 16):
        n = 2 ** z
        x0 = int((108.318 + 180) / 360 * n); x1 = int((108.336 + 180) / 360 * n)
        def row(lat):
            return int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        for x in range(x0, x1 + 1):
            for y in range(row(15.884), row(15.872) + 1):
                out.write(f"{z} {x} {y}\n")
PY

run() {  # run NAME WRK_SCRIPT: a fresh copy of the city, the server, wrk and the writer
  local name=$1 script=$2 city=$work/$1/hoian.sqlite
  rm -rf "$work/$name" && mkdir -p "$work/$name"
  sqlite3 "$work/base/hoian.sqlite" "VACUUM INTO '$city'"
  cp "$work"/base/*.tif "$work/$name/"
  local port
  port=$(/usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  /usr/bin/time -f "%M" -o "$work/$name/serve.time" "$lantern" serve "$city" --port "$port" \
    > "$work/$name/serve.log" 2>&1 &
  local server=$!
  for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
  read -r lon lat < "$work/points.txt"
  # Warm: every tile once, so that the tile run asks cached ones.
  while read -r z x y; do
    curl -sf -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/tiles/parcels,buildings,roads/$z/$x/$y.mvt" || true
  done < "$work/tiles.txt"
  POINT_LIST=$work/points.txt POINT_THREADS=1 TILE_LIST=$work/tiles.txt TILE_THREADS=1 \
    TILE_URL='/tiles/parcels,buildings,roads/{z}/{x}/{y}.mvt' \
    wrk -t 1 -c "$connections" -d "$duration" --latency --timeout 10s -s "$here/$script" \
    "http://127.0.0.1:$port" > "$work/$name/wrk.txt" 2>&1 &
  local load=$!
  /usr/bin/python3 "$here/stall_writer.py" "$lantern" "$city" "http://127.0.0.1:$port" "$lon" "$lat" \
    "${duration%s}" 2 > "$work/$name/writer.txt"
  wait $load
  pkill -INT -P $server; wait $server 2> /dev/null || true
  echo "== $name under wrk while the writer commits"
  sed -n '/Latency Distribution/,/requests in/p;/Requests\/sec/p;/Non-2xx/p;/Socket errors/p' "$work/$name/wrk.txt"
  tail -1 "$work/$name/writer.txt"
  echo "server peak memory: $(( $(tail -1 "$work/$name/serve.time") / 1024 )) MB"
}
run lookups wrk_lookup.lua
run tiles wrk_tiles.lua
