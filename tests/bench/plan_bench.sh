#!/usr/bin/env bash
# Planning benchmark: `lantern audit` and `lantern land` on the sample city
# and larger copies of it (--scale), wall time and peak memory, against the
# same audit and land fund as SpatiaLite SQL (the queries of
# tests/layers/sql, which the sample_plan tests check Lantern against) run
# by the sqlite3 shell with mod_spatialite, in one run on the same machine;
# each SQL run right before Lantern's. Checks that both find the same
# number of violations by rule and of vacant and underused parcels, and
# prints a markdown table; the numbers go to docs/benchmarks.md.
#
#   bash tests/bench/plan_bench.sh [WORKDIR] [SCALE...]
#
# Defaults: /tmp/lantern-plan-bench, scales 1 and 10 (a city is built once in
# WORKDIR/scaleK and kept). LANTERN_BUILD names the build folder (default
# build/). The SQL audit is the buildings' and the parcels' query in one
# sqlite3 process; it only selects, where Lantern also finds each feature's
# ward and stores its results (feature tables, ward totals) in the city.
# Installs GNU time with apt when it is missing. Exits 1 when a count differs.
set -euo pipefail
work=${1:-/tmp/lantern-plan-bench}
shift || true
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(1 10)
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
sql=$here/../layers/sql
[ -x /usr/bin/time ] || apt-get install -y -qq time > /dev/null
mkdir -p "$work"
rows=$work/rows.md
: > "$rows"
agree=true

# json FILE EXPRESSION: a value of a JSON summary.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# timed NAME COMMAND...: runs it under GNU time into NAME.time.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$name.time" "$@"
}
# row CITY TASK TOOL NAME FOUND: a table row from NAME.time.
row() {
  local wall peak_kb
  read -r wall peak_kb < "$4.time"
  printf '| %s | %s | %s | %s s | %s MB | %s |\n' "$1" "$2" "$3" "$wall" "$(( peak_kb / 1024 ))" "$5" >> "$rows"
}
# same WHAT LANTERN SQL: notes whether two counts agree.
same() {
  if [ "$2" = "$3" ]; then
    echo "   $1: $2 both"
  else
    echo "   $1: lantern $2, SQL $3: DIFFER"
    agree=false
  fi
}
thousands() { python3 -c "print(f'{int($1):,}')"; }

sqlite_version=$(sqlite3 --version | cut -d' ' -f1)
spatialite_version=$(sqlite3 -cmd ".load mod_spatialite" :memory: "SELECT spatialite_version() || ', GEOS ' || geos_version()" | sed 's/-CAPI.*//')
peer="SpatiaLite SQL (sqlite3 $sqlite_version, SpatiaLite $spatialite_version)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

for scale in "${scales[@]}"; do
  dir=$work/scale$scale
  city=$dir/hoian.sqlite
  if [ ! -f "$city" ]; then
    echo "== building the scale $scale city"
    "$lantern" sample-city "$dir" --scale "$scale" --force -q
  fi
  buildings=$(sqlite3 "$city" "SELECT count(*) FROM buildings")
  parcels=$(sqlite3 "$city" "SELECT count(*) FROM parcels")
  label="scale $scale ($(thousands "$buildings") buildings, $(thousands "$parcels") parcels)"

  echo "== the audit, scale $scale: SQL, then lantern audit"
  cat "$sql/plan_views.sql" "$sql/audit_buildings.sql" "$sql/audit_parcels.sql" |
    timed "$dir/audit_sql" sqlite3 -cmd ".load mod_spatialite" "$city" > "$dir/audit_sql.txt"
  timed "$dir/audit" "$lantern" audit "$city" --json -q > "$dir/audit.json"
  declare -A by_rule=()
  for rule in max_floors max_height_m max_coverage_pct max_far; do
    by_rule[$rule]=$(awk -F'|' -v r="$rule" '$3 == r' "$dir/audit_sql.txt" | wc -l)
    same "$rule" "$(json "$dir/audit.json" "d['by_rule'].get('$rule', 0)")" "${by_rule[$rule]}"
  done
  sql_buildings=$(( by_rule[max_floors] + by_rule[max_height_m] ))
  sql_parcels=$(( by_rule[max_coverage_pct] + by_rule[max_far] ))
  row "$label" audit "$peer" "$dir/audit_sql" \
    "$(thousands "$sql_buildings") building and $(thousands "$sql_parcels") parcel violations"
  row "$label" audit "lantern audit" "$dir/audit" \
    "$(thousands "$(json "$dir/audit.json" "d['buildings']['violations']")") building and $(thousands "$(json "$dir/audit.json" "d['parcels']['violations']")") parcel violations"

  echo "== the land fund, scale $scale: SQL, then lantern land"
  cat "$sql/plan_views.sql" "$sql/land_fund.sql" |
    timed "$dir/land_sql" sqlite3 -cmd ".load mod_spatialite" "$city" > "$dir/land_sql.txt"
  timed "$dir/land" "$lantern" land "$city" --json -q > "$dir/land.json"
  sql_vacant=$(awk -F'|' '$2 == "vacant"' "$dir/land_sql.txt" | wc -l)
  sql_underused=$(awk -F'|' '$2 == "underused"' "$dir/land_sql.txt" | wc -l)
  vacant=$(json "$dir/land.json" "d['totals']['vacant']")
  underused=$(json "$dir/land.json" "d['totals']['underused']")
  same vacant "$vacant" "$sql_vacant"
  same underused "$underused" "$sql_underused"
  row "$label" "land fund" "$peer" "$dir/land_sql" \
    "$(thousands "$sql_vacant") vacant, $(thousands "$sql_underused") underused"
  row "$label" "land fund" "lantern land" "$dir/land" \
    "$(thousands "$vacant") vacant, $(thousands "$underused") underused"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| city | task | tool | time | peak memory | found |"
echo "|---|---|---|---|---|---|"
cat "$rows"
if ! $agree; then
  echo "Lantern and SQL found different counts (above)" >&2
  exit 1
fi
