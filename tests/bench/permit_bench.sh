#!/usr/bin/env bash
# Permit-check benchmark: `lantern serve`'s POST /api/permit-check under wrk
# at 32 connections (checks/s, p50 and p99 latency, the server's peak
# memory) with proposals made from the sample city's buildings (their
# footprints, one to six floors), against the zone rules of the same
# proposals (uses, height, floors, coverage and floor-area ratio per zone
# part) as SpatiaLite SQL in one process per core (tests/bench/permit_sql.py),
# in one run on the same machine. Prints markdown rows for docs/benchmarks.md.
#
#   bash tests/bench/permit_bench.sh [WORKDIR]
#
# WORKDIR (default /tmp/lantern-permit-bench) keeps a sample city with its
# flood and coverage results, built once. LANTERN_BUILD names the build
# folder (default build/); WRK_DURATION (default 10s), WRK_CONNECTIONS
# (default 32) and PROPOSALS (default 2000) size the run. Installs wrk, GNU
# time and SpatiaLite's SQLite module with apt when they are missing.
set -euo pipefail
work=${1:-/tmp/lantern-permit-bench}
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
duration=${WRK_DURATION:-10s}
connections=${WRK_CONNECTIONS:-32}
proposals=${PROPOSALS:-2000}
threads=$(nproc)
missing=()
command -v wrk > /dev/null || missing+=(wrk)
[ -x /usr/bin/time ] || missing+=(time)
command -v ogr2ogr > /dev/null || missing+=(gdal-bin)
ls /usr/lib/*/mod_spatialite.so > /dev/null 2>&1 || missing+=(libsqlite3-mod-spatialite)
[ ${#missing[@]} -eq 0 ] || apt-get install -y -qq "${missing[@]}" > /dev/null
mkdir -p "$work"
city=$work/hoian.sqlite
bash "$here/sample_city.sh" "$lantern" "$work"
bodies=$work/proposals.jsonl
shapes=$work/proposals.tsv
[ -f "$bodies" ] || /usr/bin/python3 "$here/permit_sql.py" proposals "$city" "$proposals" "$bodies" "$shapes"

echo "== lantern serve POST /api/permit-check under wrk ($connections connections, $duration)"
port=$(/usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
/usr/bin/time -f "%M" -o "$work/serve.time" "$lantern" serve "$city" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'pkill -P $server 2> /dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break
  sleep 0.1
done
head -1 "$bodies" | curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @- \
  "http://127.0.0.1:$port/api/permit-check"  # reads the city
PROPOSALS=$bodies POINT_THREADS=$threads wrk -t "$threads" -c "$connections" -d "$duration" --latency \
  -s "$here/wrk_permit.lua" "http://127.0.0.1:$port" > "$work/permit.wrk" 2>&1
cat "$work/permit.wrk"
pkill -INT -P $server  # the server; GNU time itself ignores SIGINT
wait $server 2> /dev/null || true
trap - EXIT
peak_mb=$(( $(tail -1 "$work/serve.time") / 1024 ))
rps=$(awk '/^Requests\/sec/ {print $2}' "$work/permit.wrk")
line=$(grep '^CHECKS' "$work/permit.wrk")
p50=$(sed 's/.*p50_ms=\([0-9.]*\).*/\1/' <<< "$line")
p99=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<< "$line")
status_errors=$(sed 's/.*errors_status=\([0-9]*\).*/\1/' <<< "$line")

echo "== the zone rules of the same proposals as SpatiaLite SQL, $threads processes"
sql=$(/usr/bin/python3 "$here/permit_sql.py" check "$city" "$shapes" "$threads" 4)
echo "$sql"
sql_rps=$(sed 's/.*per_s=\([0-9.]*\).*/\1/' <<< "$sql")
sql_p50=$(sed 's/.*p50_ms=\([0-9.]*\).*/\1/' <<< "$sql")
sql_p99=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<< "$sql")

echo
echo "| route | checks/s | p50 | p99 | peak memory |"
echo "|---|---|---|---|---|"
printf '| lantern serve, POST /api/permit-check (every rule, over HTTP), %s connections | %.0f | %s ms | %s ms | %s MB |\n' \
  "$connections" "$rps" "$p50" "$p99" "$peak_mb"
printf '| SpatiaLite SQL, the zone rules only (no HTTP), %s processes | %.0f | %s ms | %s ms | |\n' \
  "$threads" "$sql_rps" "$sql_p50" "$sql_p99"
echo
echo "answers other than 200: $status_errors"
