#!/usr/bin/env bash
# Lookup benchmark: `lantern serve`'s /api/lookup under wrk at random points
# in the city (requests/s, p50 and p99 latency, the server's peak memory),
# against the same lookups done as SpatiaLite SQL queries, one per layer per
# point, in one process per core (tests/bench/lookup_sql.py), in one run on
# the same machine. /health under the same wrk gives the most an HTTP
# answer can reach here, lookup or not, and lantern_lookup_points_bench the
# lookup's own time, without HTTP. Prints markdown rows for
# docs/benchmarks.md.
#
#   bash tests/bench/lookup_bench.sh [WORKDIR]
#
# WORKDIR (default /tmp/lantern-lookup-bench) keeps a sample city with its
# flood and coverage results, built once. LANTERN_BUILD names the build
# folder (default build/); WRK_DURATION (default 10s), WRK_CONNECTIONS
# (default 64), POINTS (default 5000) and SQL_ROUNDS (default 8: the SQL
# route goes through the list that many times, about as long as wrk runs)
# size the run. Installs wrk, GNU time and SpatiaLite's SQLite module with
# apt when they are missing.
set -euo pipefail
work=${1:-/tmp/lantern-lookup-bench}
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
duration=${WRK_DURATION:-10s}
connections=${WRK_CONNECTIONS:-64}
points=${POINTS:-5000}
sql_rounds=${SQL_ROUNDS:-8}
threads=$(nproc)
missing=()
command -v wrk > /dev/null || missing+=(wrk)
[ -x /usr/bin/time ] || missing+=(time)
/usr/bin/python3 -c "import sqlite3" 2> /dev/null || missing+=(python3)
ls /usr/lib/*/mod_spatialite.so > /dev/null 2>&1 || missing+=(libsqlite3-mod-spatialite)
[ ${#missing[@]} -eq 0 ] || apt-get install -y -qq "${missing[@]}" > /dev/null
mkdir -p "$work"
city=$work/hoian.sqlite
bash "$here/sample_city.sh" "$lantern" "$work"
list=$work/points.txt
[ -f "$list" ] || /usr/bin/python3 "$here/lookup_sql.py" points "$city" "$points" "$list"

echo "== lantern serve /api/lookup under wrk ($connections connections, $duration)"
port=$(/usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
/usr/bin/time -f "%M" -o "$work/serve.time" "$lantern" serve "$city" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'pkill -P $server 2> /dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break
  sleep 0.1
done
read -r lon lat < "$list"
curl -sf -o /dev/null "http://127.0.0.1:$port/api/lookup?lon=$lon&lat=$lat"  # reads the city
POINT_LIST=$list POINT_THREADS=$threads wrk -t "$threads" -c "$connections" -d "$duration" --latency \
  -s "$here/wrk_lookup.lua" "http://127.0.0.1:$port" > "$work/lookup.wrk" 2>&1
cat "$work/lookup.wrk"
echo "== lantern serve /health under wrk: HTTP alone"
wrk -t "$threads" -c "$connections" -d "$duration" --latency "http://127.0.0.1:$port/health" > "$work/health.wrk" 2>&1
cat "$work/health.wrk"
pkill -INT -P $server  # the server; GNU time itself ignores SIGINT
wait $server 2> /dev/null || true
trap - EXIT
peak_mb=$(( $(cat "$work/serve.time" | tail -1) / 1024 ))
rps=$(awk '/^Requests\/sec/ {print $2}' "$work/lookup.wrk")
line=$(grep '^LOOKUPS' "$work/lookup.wrk")
p50=$(sed 's/.*p50_ms=\([0-9.]*\).*/\1/' <<< "$line")
p99=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<< "$line")
health_rps=$(awk '/^Requests\/sec/ {print $2}' "$work/health.wrk")
# wrk's latency distribution ("764.00us", "2.24ms", "1.02s") in milliseconds.
wrk_ms() {
  awk -v p="$1" '$1 == p {
    v = $2 + 0
    if ($2 ~ /us$/) v /= 1000; else if ($2 ~ /[0-9]s$/) v *= 1000; else if ($2 ~ /m$/) v *= 60000
    printf "%.2f", v }' "$2"
}
health_p50=$(wrk_ms 50% "$work/health.wrk")
health_p99=$(wrk_ms 99% "$work/health.wrk")

echo "== the lookup alone, no HTTP, one thread"
alone_us=
if [ -x "$build/tests/lantern_lookup_points_bench" ]; then  # a build of an older commit has none
  alone=$("$build/tests/lantern_lookup_points_bench" "$city" "$list" 20)
  echo "$alone"
  alone_us=$(sed 's/.*us_per_lookup=\([0-9.]*\).*/\1/' <<< "$alone")
fi

echo "== the same lookups as SpatiaLite SQL, $threads processes"
sql=$(/usr/bin/python3 "$here/lookup_sql.py" run "$city" "$list" "$threads" "$sql_rounds")
echo "$sql"
sql_rps=$(sed 's/.*per_s=\([0-9.]*\).*/\1/' <<< "$sql")
sql_p50=$(sed 's/.*p50_ms=\([0-9.]*\).*/\1/' <<< "$sql")
sql_p99=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<< "$sql")

echo
echo "| route | lookups/s | p50 | p99 | peak memory |"
echo "|---|---|---|---|---|"
printf '| lantern serve, /api/lookup, %s connections | %.0f | %s ms | %s ms | %s MB |\n' "$connections" "$rps" "$p50" "$p99" "$peak_mb"
printf '| lantern serve, /health (HTTP alone, no lookup), %s connections | %.0f | %s ms | %s ms | |\n' "$connections" "$health_rps" "$health_p50" "$health_p99"
[ -z "$alone_us" ] ||
  printf '| the lookup alone (no HTTP), one thread | %.0f | %s us each | | |\n' "$(awk -v us="$alone_us" 'BEGIN { print 1e6 / us }')" "$alone_us"
printf '| SpatiaLite SQL, one query per layer, %s processes | %.0f | %s ms | %s ms | |\n' "$threads" "$sql_rps" "$sql_p50" "$sql_p99"
awk -v lookup="$rps" -v health="$health_rps" -v sql="$sql_rps" \
  'BEGIN { printf "\nlookups %.1fx the SQL route; /health %.1fx\n", lookup / sql, health / sql }'
