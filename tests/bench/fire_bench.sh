#!/usr/bin/env bash
# Fire access benchmark: `lantern fire CITY --json` on the sample city and
# larger copies of it (--scale), wall time and peak memory, against pgRouting
# computing the same distances on the same edges in a throwaway PostgreSQL
# cluster (tests/support/postgres_cluster.sh), in one run on the same
# machine. pgRouting's side starts from lantern fire's graph (the result
# fire_streets, copied in by ogr2ogr with the classes fire_stations,
# hydrants and buildings) and runs the queries of tests/layers/sql, which the
# sample_fire tests check Lantern against:
#
#   junctions    pgr_dijkstraCost from the junction nearest each station to
#                every junction, over the usable edges (fire_graph.sql and
#                one call)
#   snapping     the station, the working hydrants and every building's
#                access and street points found with PostGIS (KNN over the
#                edges' GiST index; fire_graph.sql, fire_buildings_snapped.sql)
#   withPoints   snapping, then route_m to every building by
#                pgr_withPointsCost (fire_withpoints.sql)
#   dijkstra     snapping, then route_m, the hose's run and hydrant_m to
#                every building by pgr_dijkstraCost on the edges cut at the
#                points (fire_split.sql), what lantern fire computes
#                besides the dead ends and the ward totals
#
# lantern fire's row gives its own clock's split too (the JSON's seconds:
# reading the city, the analysis, storing the six results). Each pgRouting
# task is one psql session, timed by GNU time; its memory is
# the PostgreSQL backend's peak resident size (VmHWM of /proc/self/status,
# read by the backend itself at the end of the session). The dijkstra task
# also counts the buildings whose route_m and hydrant_m agree with
# lantern fire's within 0.1 m (its points are found on their own, so where a
# footprint lies equally near two streets the two may pick different ones).
# Prints a markdown table; the numbers go to docs/benchmarks.md.
#
#   bash tests/bench/fire_bench.sh [WORKDIR] [SCALE...]
#
# Defaults: /tmp/lantern-fire-bench, scales 1 and 10 (a city is built once in
# WORKDIR/scaleK and kept). LANTERN_BUILD names the build folder (default
# build/). Needs PostgreSQL 15 with PostGIS and pgRouting
# (.ci/install-references) and GNU time (installed with apt when missing).
set -euo pipefail
work=${1:-/tmp/lantern-fire-bench}
shift || true
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(1 10)
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
sql=$here/../layers/sql
[ -x /usr/bin/time ] || apt-get install -y -qq time > /dev/null
mkdir -p "$work"
work=$(cd "$work" && pwd)
rows=$work/rows.md
: > "$rows"

# The cluster: under /tmp, so that the postgres user reaches it when run as root.
pg=/tmp/lantern-fire-bench-pg
url=$(bash "$here/../support/postgres_cluster.sh" start "$pg")
trap 'bash "$here/../support/postgres_cluster.sh" stop "$pg"' EXIT
psql -X -q -v ON_ERROR_STOP=1 "$url" -c "CREATE EXTENSION pgrouting"

json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
thousands() { python3 -c "print(f'{int($1):,}')"; }
# timed NAME COMMAND...: runs it under GNU time into NAME.time (seconds, KB).
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$name.time" "$@"
}
# pg_task NAME SCHEMA SQL_FILE...: one psql session on the schema running
# the files, then the backend's peak memory into NAME.peak (KB); timed.
pg_task() {
  local name=$1 schema=$2
  shift 2
  local files=()
  for f in "$@"; do files+=(-f "$f"); done
  echo "SELECT substring(pg_read_file('/proc/self/status') from 'VmHWM:\s*(\d+) kB');" > "$name.peak.sql"
  PGOPTIONS="-c search_path=$schema,public" timed "$name" \
    psql -X -q -t -A -F '|' -v ON_ERROR_STOP=1 "$url" "${files[@]}" -f "$name.peak.sql" > "$name.out"
  tail -n 1 "$name.out" > "$name.peak"
}
# row CITY TOOL TASK NAME FOUND [PEAK_KB]: a table row from NAME.time (and
# the peak memory given, else GNU time's).
row() {
  local wall peak_kb
  read -r wall peak_kb < "$4.time"
  [ -n "${6:-}" ] && peak_kb=$6
  printf '| %s | %s | %s | %s s | %s MB | %s |\n' "$1" "$2" "$3" "$wall" "$(( peak_kb / 1024 ))" "$5" >> "$rows"
}

pg_version=$(psql -X -t -A "$url" -c "SELECT current_setting('server_version') || ', PostGIS ' || postgis_lib_version() || ', pgRouting ' || pgr_version()")
echo "PostgreSQL $pg_version"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

for scale in "${scales[@]}"; do
  dir=$work/scale$scale
  city=$dir/hoian.sqlite
  if [ ! -f "$city" ]; then
    echo "== building the scale $scale city"
    "$lantern" sample-city "$dir" --scale "$scale" --force -q
  fi
  buildings=$(sqlite3 "$city" "SELECT count(*) FROM buildings")
  label="scale $scale ($(thousands "$buildings") buildings)"

  echo "== lantern fire, scale $scale"
  timed "$dir/fire" "$lantern" fire "$city" --json -q > "$dir/fire.json"
  edges=$(sqlite3 "$city" "SELECT count(*) FROM result_fire_streets")
  reached=$(sqlite3 "$city" "SELECT count(*) FROM result_fire_access WHERE route_m IS NOT NULL")
  with_hydrant=$(sqlite3 "$city" "SELECT count(*) FROM result_fire_access WHERE hydrant_m IS NOT NULL")
  seconds=$(json "$dir/fire.json" "'read %.2f s, analysis %.2f s, store %.2f s' % (d['seconds']['read'], d['seconds']['analysis'], d['seconds']['store'])")
  row "$label, $(thousands "$edges") edges" "lantern fire --json" "everything, stored ($seconds)" "$dir/fire" \
    "$(thousands "$reached") reached, $(thousands "$with_hydrant") with a hydrant"

  echo "== copying the graph and the classes into PostgreSQL"
  schema=scale$scale
  psql -X -q -v ON_ERROR_STOP=1 "$url" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
  pg_dsn="PG:host=$pg dbname=lantern user=lantern"
  for pair in result_fire_streets:fire_streets result_fire_access:fire_access fire_stations:fire_stations \
              hydrants:hydrants buildings:buildings; do
    ogr2ogr -update -f PostgreSQL "$pg_dsn" "$city" "${pair%%:*}" -nln "${pair##*:}" \
      -lco SCHEMA=$schema -lco GEOMETRY_NAME=geom
  done
  psql -X -q "$url" -c "VACUUM ANALYZE" > /dev/null

  echo "== pgRouting, scale $scale"
  echo "SELECT count(DISTINCT end_vid) FROM pgr_dijkstraCost(
    'SELECT id, source, target, cost, cost AS reverse_cost FROM ref_edges WHERE usable',
    ARRAY(SELECT DISTINCT CASE WHEN s.fraction < 0.5 THEN e.source ELSE e.target END
          FROM ref_stations s JOIN ref_edges e ON e.id = s.edge),
    ARRAY(SELECT source FROM ref_edges UNION SELECT target FROM ref_edges), directed => false);" \
    > "$dir/junctions.sql"
  pg_task "$dir/pg_junctions" $schema "$sql/fire_graph.sql" "$dir/junctions.sql"
  row "$label" "pgRouting pgr_dijkstraCost" "each station's junction to every junction" "$dir/pg_junctions" \
    "$(thousands "$(head -n 1 "$dir/pg_junctions.out")") junctions reached" "$(cat "$dir/pg_junctions.peak")"

  echo "SELECT count(*) FROM ref_access;" > "$dir/snapped.sql"
  pg_task "$dir/pg_snapping" $schema "$sql/fire_graph.sql" "$sql/fire_buildings_snapped.sql" "$dir/snapped.sql"
  row "$label" "PostGIS" "snapping only" "$dir/pg_snapping" \
    "$(thousands "$(head -n 1 "$dir/pg_snapping.out")") access points" "$(cat "$dir/pg_snapping.peak")"

  echo "SELECT count(*) FROM ref_route_withpoints;" > "$dir/withpoints.sql"
  pg_task "$dir/pg_withpoints" $schema "$sql/fire_graph.sql" "$sql/fire_buildings_snapped.sql" \
    "$sql/fire_withpoints.sql" "$dir/withpoints.sql"
  row "$label" "pgRouting pgr_withPointsCost" "snapping, route_m" "$dir/pg_withpoints" \
    "$(thousands "$(head -n 1 "$dir/pg_withpoints.out")") reached" "$(cat "$dir/pg_withpoints.peak")"

  cat > "$dir/dijkstra.sql" <<'EOF'
SELECT (SELECT count(*) FROM ref_route_dijkstra) || '|' || (SELECT count(*) FROM ref_hydrant_dijkstra) || '|' ||
       (SELECT count(*) FROM fire_access a JOIN ref_route_dijkstra d USING (building_id)
        WHERE abs(a.route_m - d.route_m) <= 0.1) || '|' ||
       (SELECT count(*) FROM fire_access a JOIN ref_hydrant_dijkstra h USING (building_id)
        WHERE abs(a.hydrant_m - h.hydrant_m) <= 0.1);
EOF
  pg_task "$dir/pg_dijkstra" $schema "$sql/fire_graph.sql" "$sql/fire_buildings_snapped.sql" \
    "$sql/fire_split.sql" "$dir/dijkstra.sql"
  IFS='|' read -r pg_reached pg_hydrant same_route same_hydrant < <(head -n 1 "$dir/pg_dijkstra.out")
  row "$label" "pgRouting pgr_dijkstraCost" "snapping, route_m, hose run, hydrant_m" "$dir/pg_dijkstra" \
    "$(thousands "$pg_reached") reached, $(thousands "$pg_hydrant") with a hydrant; route_m within 0.1 m of Lantern's for $(thousands "$same_route"), hydrant_m for $(thousands "$same_hydrant")" \
    "$(cat "$dir/pg_dijkstra.peak")"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| city | tool | task | time | peak memory | found |"
echo "|---|---|---|---|---|---|"
cat "$rows"
