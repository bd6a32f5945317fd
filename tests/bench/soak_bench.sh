#!/usr/bin/env bash
# A bounded soak of `lantern serve`: MINUTES (default 10) one-minute wrk runs
# in a row at 32 connections of mixed reads (lookups, the Ancient Town's
# tiles, tiles across the city, OGC API items pages, searches) while
# tests/bench/stall_writer.py commits a flood stage every 30 s (three stages
# in turn: after the first three, the same results again) and
# tests/bench/device_writer.py switches a camera or a lamp out of service or
# back every second (lantern serve --writable, coverage updated). Prints,
# per minute, requests/s, p50, p99 and the largest latency, non-2xx answers,
# timeouts, and the server's resident memory at the minute's end.
#
#   tests/bench/soak_bench.sh [WORKDIR]
#   LANTERN_BUILD (default build/), MINUTES (10), CONNECTIONS (32)
set -euo pipefail
work=${1:-/tmp/lantern-soak-bench}
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
minutes=${MINUTES:-10}
connections=${CONNECTIONS:-32}
command -v wrk > /dev/null || apt-get install -y -qq wrk > /dev/null
bash "$here/sample_city.sh" "$lantern" "$work/base"
rm -rf "$work/run" && mkdir -p "$work/run"
city=$work/run/hoian.sqlite
sqlite3 "$work/base/hoian.sqlite" "VACUUM INTO '$city'"
cp "$work"/base/*.tif "$work/run/"
/usr/bin/python3 "$here/lookup_sql.py" points "$city" 4000 "$work/points.txt" > /dev/null
# The mixed list: 4 lookups, 3 town tiles, 1 city tile, 1 OGC page, 1 search
# in every 10 requests.
/usr/bin/python3 - "$work/points.txt" "$work/paths.txt" <<'PY'
import math, random, sys
random.seed(7)
points = [line.split() for line in open(sys.argv[1]) if line.strip()]
def tile(lon, lat, z):
    n = 2 ** z
    return z, int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
town = [tile(108.318 + 0.018 * random.random(), 15.872 + 0.012 * random.random(), random.choice((14, 15, 16)))
        for _ in range(60)]
words = ["pho", "cam", "chua", "minh an", "hoi", "tran phu", "P-1", "P-22", "nguyen", "an hoi"]
with open(sys.argv[2], "w") as out:
    for k in range(4000):
        lon, lat = points[k % len(points)]
        for j in range(4):
            lon, lat = points[(4 * k + j) % len(points)]
            out.write(f"/api/lookup?lon={lon}&lat={lat}\n")
        for j in range(3):
            z, x, y = town[(3 * k + j) % len(town)]
            out.write(f"/tiles/parcels,buildings,roads/{z}/{x}/{y}.mvt\n")
        z, x, y = tile(float(lon), float(lat), random.choice((15, 16, 17)))
        out.write(f"/tiles/zones,heritage_zones,lamps/{z}/{x}/{y}.mvt\n")
        out.write(f"/ogc/collections/parcels/items?limit=20&offset={(k * 37) % 15000}\n")
        out.write(f"/api/search?q={words[k % len(words)].replace(' ', '+')}\n")
PY
port=$(/usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
token=$("$lantern" tokens add "$city" soak --scope devices | head -1)
"$lantern" serve "$city" --port "$port" --writable > "$work/run/serve.log" 2>&1 &
server=$!
trap 'kill $server 2> /dev/null || true' EXIT
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
read -r lon lat < "$work/points.txt"
/usr/bin/python3 "$here/stall_writer.py" "$lantern" "$city" "http://127.0.0.1:$port" "$lon" "$lat" \
  $((minutes * 60)) 30 3 > "$work/run/writer.txt" &
writer=$!
/usr/bin/python3 "$here/device_writer.py" "$city" "http://127.0.0.1:$port" "$token" $((minutes * 60)) 1 \
  > "$work/run/devices.txt" &
devices=$!
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$server/status"; }
echo "| minute | requests/s | p50 ms | p99 ms | max ms | non-2xx | timeouts | server RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
for minute in $(seq "$minutes"); do
  PATH_LIST=$work/paths.txt PATH_THREADS=1 wrk -t 1 -c "$connections" -d 60s --timeout 10s --latency \
    -s "$here/wrk_paths.lua" "http://127.0.0.1:$port" > "$work/run/minute$minute.wrk" 2>&1
  line=$(grep '^PATHS' "$work/run/minute$minute.wrk")
  field() { sed "s/.*$1=\([0-9.]*\).*/\1/" <<< "$line"; }
  rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$work/run/minute$minute.wrk")
  echo "| $minute | $rps | $(field p50_ms) | $(field p99_ms) | $(field max_ms) | $(field non_2xx) | $(field timeouts) | $(rss) |"
done
wait $writer || true
wait $devices || true
tail -1 "$work/run/writer.txt"
tail -1 "$work/run/devices.txt"
