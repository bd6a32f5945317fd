#!/usr/bin/env bash
# Device status changes through `lantern serve --writable` on the sample
# city with its coverage results: tests/bench/device_writer.py switches a
# camera or a lamp out of service or back every second for SECONDS (60),
# and reports the time to write each change (coverage updated in place)
# and until /api/devices/summary serves it. Beside it, what a full
# `lantern coverage` run of each network takes on the same city, the way to
# bring the results up to date without the live update.
#
#   tests/bench/device_bench.sh [WORKDIR]
#   LANTERN_BUILD (default build/), SECONDS_TOTAL (60)
set -euo pipefail
work=${1:-/tmp/lantern-device-bench}
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
seconds=${SECONDS_TOTAL:-60}
bash "$here/sample_city.sh" "$lantern" "$work/base"
rm -rf "$work/run" && mkdir -p "$work/run"
city=$work/run/hoian.sqlite
sqlite3 "$work/base/hoian.sqlite" "VACUUM INTO '$city'"
cp "$work"/base/*.tif "$work/run/"
for network in cameras lighting; do
  /usr/bin/time -f "%e s, %M KB" -o "$work/run/$network.time" "$lantern" coverage "$city" "$network" -q --json \
    > "$work/run/$network.json"
  echo "full lantern coverage $network: $(cat "$work/run/$network.time") (store $(python3 -c \
    "import json,sys; print(round(json.load(open(sys.argv[1]))['step_seconds']['store'], 2))" "$work/run/$network.json") s)"
done
token=$("$lantern" tokens add "$city" bench --scope devices | head -1)
port=$(/usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$lantern" serve "$city" --port "$port" --writable > "$work/run/serve.log" 2>&1 &
server=$!
trap 'kill $server 2> /dev/null || true' EXIT
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
sleep 2  # the writer reads the coverage ahead
/usr/bin/python3 "$here/device_writer.py" "$city" "http://127.0.0.1:$port" "$token" "$seconds" 1 > "$work/run/devices.txt"
/usr/bin/python3 - "$work/run/devices.txt" <<'PY'
import re, sys
rows = [re.match(r"(\w+) \S+ \w+: written (\d+) ms, in the summary (\d+) ms", line) for line in open(sys.argv[1])]
for cls in ("cameras", "lamps"):
    mine = [(int(m[2]), int(m[3])) for m in rows if m and m[1] == cls]
    if not mine:
        continue
    writes, visible = sorted(w for w, _ in mine), sorted(v for _, v in mine)
    print(f"{cls}: {len(mine)} changes, write p50 {writes[len(writes) // 2]} ms max {writes[-1]} ms, "
          f"in the summary p50 {visible[len(visible) // 2]} ms max {visible[-1]} ms")
PY
tail -1 "$work/run/devices.txt"
echo "server RSS: $(awk '/^VmRSS/ {print int($2 / 1024)}' /proc/$server/status) MB"
