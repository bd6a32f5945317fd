#!/usr/bin/env bash
# PostGIS backend benchmark, in one run on one throwaway PostgreSQL 15 +
# PostGIS 3 cluster, every number beside its peer's (wall time and peak
# resident memory from GNU time):
#
#   import   one million buildings from one GeoPackage (make_buildings.py,
#            written once): ogr2ogr -f PostgreSQL (GDAL's COPY path), lantern
#            import into a PostGIS city, ogr2ogr -f SQLite -dsco
#            SPATIALITE=YES, lantern import into a SpatiaLite city; the
#            feature counts checked with count(*); then what the table's
#            indexes cost the server (the rows inserted again with the
#            indexes made before and after)
#   analyses the sample city of each scale (built once and kept in
#            WORKDIR/scaleK/city), copied with lantern copy into a SpatiaLite
#            city and into a PostGIS city; on each, in turn: hydrology,
#            flood (two stages, the synthetic hydrograph, an 80 mm/h storm),
#            coverage cameras, coverage lighting, tiles to PMTiles; the
#            analysed city copied from each backend into a new SpatiaLite
#            city; the result checksums (lantern results --json) of the
#            backends and of the copy out of PostGIS compared
#   serve    every non-empty tile of zooms 12-16 of the analysed city, all
#            classes in one tile, asked once each (so none comes from a
#            cache), CONNECTIONS at a time: lantern serve on the PostGIS city
#            and on the SpatiaLite city under wrk (wrk_once.lua), against an
#            ST_AsMVT tile function under pgbench (prepared, each transaction
#            taking the next tile from a sequence) over the tables Lantern
#            wrote in PostGIS (EPSG:32649, transformed per feature), and over
#            a copy of the classes in EPSG:3857 loaded by ogr2ogr as
#            tests/bench/postgis_tiles.sh does (PG_3857=0 leaves it out)
#
#   bash tests/bench/postgis_bench.sh [WORKDIR] [SCALE...]
#
# Defaults: /tmp/lantern-postgis-bench, scales 1 and 10 (about 7 minutes on
# 2 cores once the cities are built; building the scale 10 city adds half a
# minute, the GeoPackage a minute). COUNT (default 1000000): buildings to
# import. PARTS (default import,analyses,serve): the parts to run; serve
# alone copies the city an earlier run analysed (or the sample city) into
# PostGIS first. CONNECTIONS (default 4): requests in flight when serving,
# the same for both routes. LANTERN_BUILD: the build folder (default build/;
# it needs the lantern and lantern_tiles_bench targets).
#
# Runs as root; installs what it lacks with apt (postgresql-15-postgis-3,
# pgbench, wrk, GNU time, gdal-bin, sqlite3, jq, curl). PostgreSQL runs as
# the postgres user in a cluster under WORKDIR/pg on a Unix socket only (no
# TCP), made and removed by this script (pg_start and pg_stop of
# tests/bench/postgis_tiles.sh), with durability off: fsync,
# synchronous_commit and full_page_writes off, a benchmark cluster, alike
# for every tool. Cities are reached as postgresql:///postgres?host=SOCKET
# &port=PORT&user=postgres&schema=NAME. The server's memory is not in a
# client's GNU time: a sampler sums the resident memory (RSS, and PSS, which
# counts pages shared between processes once) of every process of the
# cluster every 0.2 s and keeps the largest sums; the cluster is restarted
# before each timed PostgreSQL command, so that the sums are what that
# command made the server touch. Load runs target
# 127.0.0.1 and end when every tile has been answered.
set -euo pipefail
work=${1:-/tmp/lantern-postgis-bench}
shift || true
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(1 10)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${LANTERN_BUILD:-$repo/build}
lantern=$build/cli/lantern
bench=$build/tests/lantern_tiles_bench
count=${COUNT:-1000000}
parts=${PARTS:-import,analyses,serve}
connections=${CONNECTIONS:-4}
threads=2
min_zoom=12
max_zoom=16

# --- what it needs --------------------------------------------------------------
missing=()
[ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
command -v pgbench > /dev/null || missing+=(postgresql-client-15)
command -v wrk > /dev/null || missing+=(wrk)
[ -x /usr/bin/time ] || missing+=(time)
command -v ogr2ogr > /dev/null || missing+=(gdal-bin)
command -v sqlite3 > /dev/null || missing+=(sqlite3)
command -v jq > /dev/null || missing+=(jq)
command -v curl > /dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
for tool in "$lantern" "$bench"; do
  [ -x "$tool" ] || { echo "no $tool: build the lantern and lantern_tiles_bench targets" >&2; exit 1; }
done

mkdir -p "$work"
work=$(cd "$work" && pwd)
# shellcheck source=tests/bench/postgis_tiles.sh
source "$here/postgis_tiles.sh"
background=()
cleanup() {
  local pid
  for pid in "${background[@]}"; do kill "$pid" 2> /dev/null || true; done
  pg_stop
}
trap cleanup EXIT

# --- helpers --------------------------------------------------------------------

mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MB", kb / 1024 }'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
peak_rss() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status"; }

# The cluster's libpq keywords (ogr2ogr, psql) and a city's URI in SCHEMA.
pg_keywords() { echo "host=$pg_dir port=$pg_port user=postgres dbname=postgres"; }
pg_uri() { echo "postgresql:///postgres?host=$pg_dir&port=$pg_port&user=postgres&schema=$1"; }
pg_value() { pg_sql -At -c "$1"; }
# pg_quiet SQL: without the NOTICEs of DROP ... CASCADE.
pg_quiet() { PGOPTIONS='-c client_min_messages=warning' pg_sql -c "$1"; }
# pg_size SCHEMA: the tables of SCHEMA with their indexes and TOAST.
pg_size() {
  pg_value "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '$1' AND c.relkind = 'r'"
}
file_size() { du -sh --apparent-size "$@" | awk '{ print $1 }' | paste -sd+ -; }

# pg_watch_start / pg_watch_stop: the sampler of the cluster's memory. Stop
# prints "RSS_KB PSS_KB", the largest sums seen.
pg_watch_start() {
  local postmaster
  postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
  rm -f "$work/pg_watch.out"
  (
    set +e
    max_rss=0
    max_pss=0
    trap 'echo "$max_rss $max_pss" > "$work/pg_watch.out"; exit 0' TERM
    while :; do
      # A process may end between pgrep and cat: cat goes on without it.
      # shellcheck disable=SC2046
      read -r rss pss < <(cat $(for p in "$postmaster" $(pgrep -P "$postmaster"); do
        echo "/proc/$p/smaps_rollup"; done) 2> /dev/null |
        awk '/^Rss:/ { r += $2 } /^Pss:/ { p += $2 } END { print r + 0, p + 0 }')
      [ "${rss:-0}" -gt "$max_rss" ] && max_rss=$rss
      [ "${pss:-0}" -gt "$max_pss" ] && max_pss=$pss
      sleep 0.2
    done
  ) &
  watcher=$!
  background+=("$watcher")
}
pg_watch_stop() {
  kill -TERM "$watcher"
  wait "$watcher" 2> /dev/null || true
  cat "$work/pg_watch.out"
}

# timed NAME COMMAND...: runs the command under GNU time; its output goes to
# NAME.log, "SECONDS KB" to NAME.time. Exits the script if it fails.
timed() {
  local name=$1
  shift
  if ! /usr/bin/time -f '%e %M' -o "$name.time" "$@" > "$name.log" 2>&1; then
    echo "failed: $*" >&2
    tail -n 30 "$name.log" >&2
    exit 1
  fi
}
seconds_of() { cut -d' ' -f1 "$1.time"; }
kb_of() { cut -d' ' -f2 "$1.time"; }

# pg_restart: the cluster restarted (with the options it was started with),
# so that the memory sampled next is what the next command makes it touch,
# from cold shared buffers, as each SQLite process starts with a cold page
# cache (the operating system's file cache stays warm for both).
pg_restart() {
  pg_sql -c CHECKPOINT
  su postgres -c "$pg_bin/pg_ctl -D $pg_dir/data -m fast -w restart" > /dev/null
}

# timed_pg NAME COMMAND...: timed on a restarted cluster, with its memory
# sampled beside; NAME.server gets "RSS_KB PSS_KB".
timed_pg() {
  local name=$1
  pg_restart
  pg_watch_start
  timed "$@"
  pg_watch_stop > "$name.server"
}
server_rss() { mb "$(cut -d' ' -f1 "$1.server")"; }
server_both() { echo "$(server_rss "$1") / $(server_pss "$1")"; }
server_pss() { mb "$(cut -d' ' -f2 "$1.server")"; }

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB," \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1);" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lantern $(git -C "$repo" rev-parse --short HEAD 2> /dev/null || echo '?'); $(ogr2ogr --version);" \
  "$(psql --version)"
pg_start "$work/pg"
echo "PostgreSQL $(pg_value 'SHOW server_version'), PostGIS $(pg_value 'SELECT postgis_lib_version()')" \
  "on $pg_dir (Unix socket, port number $pg_port)"
report=$work/report.md
: > "$report"

# --- 1. importing one million buildings -----------------------------------------

if [[ $parts == *import* ]]; then
  dir=$work/import
  mkdir -p "$dir"
  cd "$dir"
  gpkg=$work/buildings-$count.gpkg
  if [ ! -f "$gpkg" ]; then
    echo "== writing $count buildings to $gpkg"
    python3 "$here/make_buildings.py" "$count" "$dir/buildings.geojson"
    ogr2ogr -f GPKG "$gpkg" "$dir/buildings.geojson" -nln buildings
    rm "$dir/buildings.geojson"
  fi
  rm -f ogr2ogr.sqlite lantern.sqlite lantern.sqlite-wal lantern.sqlite-shm
  pg_quiet "DROP SCHEMA IF EXISTS ogr CASCADE; CREATE SCHEMA ogr; DROP SCHEMA IF EXISTS import CASCADE"
  "$lantern" init "$(pg_uri import)" --name bench --crs EPSG:32649 > /dev/null
  "$lantern" init lantern.sqlite --name bench --crs EPSG:32649 > /dev/null
  sync

  echo "== import: ogr2ogr -f PostgreSQL"
  timed_pg ogr_pg ogr2ogr -f PostgreSQL PG:"$(pg_keywords)" "$gpkg" -lco SCHEMA=ogr -lco GEOMETRY_NAME=geom \
    -lco SPATIAL_INDEX=GIST --config PG_USE_COPY YES
  echo "== import: lantern import into PostGIS"
  timed_pg lantern_pg "$lantern" import "$(pg_uri import)" buildings "$gpkg" -q
  echo "== import: ogr2ogr -f SQLite -dsco SPATIALITE=YES"
  sync
  timed ogr_sl ogr2ogr -f SQLite -dsco SPATIALITE=YES ogr2ogr.sqlite "$gpkg"
  echo "== import: lantern import into SpatiaLite"
  sync
  timed lantern_sl "$lantern" import lantern.sqlite buildings "$gpkg" -q

  n_ogr_pg=$(pg_value "SELECT count(*) FROM ogr.buildings")
  n_lantern_pg=$(pg_value "SELECT count(*) FROM import.buildings")
  n_ogr_sl=$(sqlite3 ogr2ogr.sqlite "SELECT count(*) FROM buildings")
  n_lantern_sl=$(sqlite3 lantern.sqlite "SELECT count(*) FROM buildings")
  counts_agree=no
  [ "$n_ogr_pg" = "$count" ] && [ "$n_lantern_pg" = "$count" ] && [ "$n_ogr_sl" = "$count" ] &&
    [ "$n_lantern_sl" = "$count" ] && counts_agree=yes
  echo "feature counts: ogr2ogr PG $n_ogr_pg, lantern PostGIS $n_lantern_pg, ogr2ogr SQLite $n_ogr_sl," \
    "lantern SpatiaLite $n_lantern_sl; all $count: $counts_agree"
  {
    echo "### Importing $count buildings ($(file_size "$gpkg") GeoPackage)"
    echo
    echo "| tool | into | time | client peak memory | PostgreSQL peak RSS (summed) | PostgreSQL peak PSS (summed) | features | size |"
    echo "|---|---|---|---|---|---|---|---|"
    echo "| ogr2ogr -f PostgreSQL (COPY) | PostGIS | $(seconds_of ogr_pg) s | $(mb "$(kb_of ogr_pg)") | $(server_rss ogr_pg) | $(server_pss ogr_pg) | $n_ogr_pg | $(pg_size ogr) |"
    echo "| lantern import | PostGIS | $(seconds_of lantern_pg) s | $(mb "$(kb_of lantern_pg)") | $(server_rss lantern_pg) | $(server_pss lantern_pg) | $n_lantern_pg | $(pg_size import) |"
    echo "| ogr2ogr -f SQLite -dsco SPATIALITE=YES | SpatiaLite | $(seconds_of ogr_sl) s | $(mb "$(kb_of ogr_sl)") | | | $n_ogr_sl | $(file_size ogr2ogr.sqlite) |"
    echo "| lantern import | SpatiaLite | $(seconds_of lantern_sl) s | $(mb "$(kb_of lantern_sl)") | | | $n_lantern_sl | $(file_size lantern.sqlite) |"
    echo
    echo "Feature counts all $count: $counts_agree."
    echo
  } | tee -a "$report"
  # What the indexes cost the server: the rows lantern import wrote, inserted
  # again (INSERT ... SELECT, on the server alone) into a table whose indexes
  # (primary key, GiST, unique id) exist before, as lantern import and
  # ogr2ogr make them, and into one that gets them after.
  pg_quiet "DROP SCHEMA IF EXISTS index_cost CASCADE; CREATE SCHEMA index_cost;
    CREATE TABLE index_cost.first (LIKE import.buildings INCLUDING ALL);
    CREATE TABLE index_cost.after (LIKE import.buildings)"
  pg_restart
  start=$(now)
  pg_sql -c "INSERT INTO index_cost.first SELECT * FROM import.buildings"
  index_first=$(since "$start")
  pg_restart
  start=$(now)
  pg_sql -c "INSERT INTO index_cost.after SELECT * FROM import.buildings"
  insert_after=$(since "$start")
  start=$(now)
  pg_sql -c "ALTER TABLE index_cost.after ADD PRIMARY KEY (fid)" \
    -c "CREATE INDEX ON index_cost.after USING gist (geom)" \
    -c "CREATE UNIQUE INDEX ON index_cost.after (building_id)"
  index_after=$(since "$start")
  {
    echo "The same $count rows inserted again on the server (INSERT ... SELECT from Lantern's table):" \
      "into a table with its primary key, GiST and unique index made before, $index_first s;" \
      "into one without, $insert_after s, and the three indexes made after, $index_after s."
    echo
  } | tee -a "$report"
  pg_quiet "DROP SCHEMA ogr CASCADE; DROP SCHEMA import CASCADE; DROP SCHEMA index_cost CASCADE"
  rm -f ogr2ogr.sqlite lantern.sqlite
fi

# --- 2. analyses on both backends, 3. serving tiles from PostGIS ------------------

# step NAME ARGS...: `lantern ARGS` with the city's place as {CITY} run on the
# SpatiaLite city, then on the PostGIS city; a table row.
step() {
  local name=$1
  shift
  local args_sl=() args_pg=() a
  for a in "$@"; do
    # The replacement quoted: bash 5.2 reads an unquoted & in it as the match.
    args_sl+=("${a//\{CITY\}/"$sl_city"}")
    args_pg+=("${a//\{CITY\}/"$pg_city"}")
  done
  echo "== scale $scale: $name"
  timed "$dir/sl_$name" "$lantern" "${args_sl[@]}"
  timed_pg "$dir/pg_$name" "$lantern" "${args_pg[@]}"
  echo "| $name | $(seconds_of "$dir/sl_$name") s | $(mb "$(kb_of "$dir/sl_$name")") |" \
    "$(seconds_of "$dir/pg_$name") s | $(mb "$(kb_of "$dir/pg_$name")") | $(server_both "$dir/pg_$name") |" \
    "$(awk -v a="$(seconds_of "$dir/pg_$name")" -v b="$(seconds_of "$dir/sl_$name")" \
      'BEGIN { printf "%.2f", a / b }') |" >> "$dir/analyses.md"
}

# lantern_once LABEL CITY NAME: lantern serve on CITY, the first tile asked
# (it loads the layers), then every path of served.paths once under wrk; a
# row of $serving. Fails unless every tile was answered and none came from
# the cache.
lantern_once() {
  local label=$1 city=$2 name=$3 port server z x y start load_seconds seconds wrk_pid once
  port=18080
  while ss -ltn | grep -q "[:.]$port\b"; do port=$((port + 1)); done
  "$lantern" serve "$city" --bind 127.0.0.1 --port "$port" --threads "$threads" \
    > "$dir/serve_$name.log" 2>&1 &
  server=$!
  background+=("$server")
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$port/health" && break
    kill -0 "$server" 2> /dev/null || { cat "$dir/serve_$name.log"; exit 1; }
    sleep 0.2
  done
  read -r z x y < "$dir/first.tsv"
  start=$(now)
  curl -s -f -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/tiles/$layer_list/$z/$x/$y.mvt"
  load_seconds=$(since "$start")
  : > "$dir/wrk_$name.done"
  start=$(now)
  PATH_LIST=$dir/served.paths PATH_THREADS=$threads ONCE_DONE=$dir/wrk_$name.done \
    wrk -t "$threads" -c "$connections" -d 3600s --timeout 60s --latency \
    -s "$here/wrk_once.lua" "http://127.0.0.1:$port" > "$dir/wrk_$name.log" 2>&1 &
  wrk_pid=$!
  background+=("$wrk_pid")
  while [ "$(wc -l < "$dir/wrk_$name.done")" -lt "$threads" ]; do
    kill -0 "$wrk_pid" 2> /dev/null || break
    sleep 0.01
  done
  seconds=$(since "$start")
  kill -INT "$wrk_pid" 2> /dev/null || true
  wait "$wrk_pid" || true
  curl -s "http://127.0.0.1:$port/metrics" > "$dir/serve_$name.metrics"
  local peak hits rendered answered
  peak=$(peak_rss "$server")
  kill "$server"
  wait "$server" 2> /dev/null || true
  cat "$dir/wrk_$name.log"
  once=$(grep '^ONCE ' "$dir/wrk_$name.log")
  hits=$(sed -n 's/^lantern_tile_cache_hits_total \([0-9]*\).*/\1/p' "$dir/serve_$name.metrics")
  rendered=$(sed -n 's/^lantern_tiles_rendered_total \([0-9]*\).*/\1/p' "$dir/serve_$name.metrics")
  answered=$(awk '{ sub("answered=", "", $2); n += $2 } END { print n + 0 }' "$dir/wrk_$name.done")
  echo "wrk: $answered of $served tiles answered; the server rendered $rendered tiles (the first one" \
    "too), cache hits $hits"
  if [ "$answered" != "$served" ] || [ "$hits" != 0 ]; then
    echo "not every tile was answered once, or some came from the cache" >&2
    exit 1
  fi
  echo "| $label (--threads $threads; the first tile, loading the city, took $load_seconds s before) |" \
    "wrk -t $threads -c $connections | $answered | $seconds s | $(rate "$served" "$seconds") |" \
    "$(once_field p50_ms "$once") ms | $(once_field p99_ms "$once") ms |" \
    "$(($(once_field non_2xx "$once") + $(once_field timeouts "$once") + $(once_field other_errors "$once"))) |" \
    "$(mb "$peak") (lantern serve) |" >> "$serving"
}
once_field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $2"; }

# pg_lantern_tile_function SCHEMA CITY_SCHEMA LAYERS.tsv: the SQL of
# SCHEMA.tile(z, x, y), the composite tile of every class of LAYERS.tsv read
# from the tables Lantern wrote in CITY_SCHEMA (EPSG:32649): the query box is
# the buffered tile transformed to EPSG:32649 (the margin covers its corners'
# curving), each feature transformed to EPSG:3857 for ST_AsMVTGeom. Otherwise
# as pg_tile_function in tests/bench/postgis_tiles.sh (zoom ranges, fields,
# thinning by fid, minimum sizes, the pixel scaled to EPSG:32649's metres).
pg_lantern_tile_function() {
  local schema=$1 city_schema=$2 layers=$3
  echo "CREATE FUNCTION $schema.tile(z integer, x integer, y integer)"
  echo "RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS \$\$"
  echo "WITH box AS (SELECT ST_TileEnvelope(z, x, y) AS tile,"
  echo "  ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), 32649) AS buffered,"
  # Metres of EPSG:32649 per metre of web mercator, at the tile's middle.
  echo "  cos(radians(ST_Y(ST_Transform(ST_Centroid(ST_TileEnvelope(z, x, y)), 4326)))) AS k)"
  echo "SELECT ''::bytea"
  awk -F'\t' -v schema="$city_schema" '{
    fields = $6; gsub(",", ", ", fields)
    select_fields = (fields == "") ? "" : fields ", "
    thin = ($5 > 0) ? sprintf("\n         AND (z >= %d OR fid %% (1 << (%d - z)) = 0)", $5, $5) : ""
    pixel = "(k * 40075016.685578488 / 256 / (1 << z))"
    if ($2 == "polygon")
      thin = thin sprintf("\n         AND (z >= %d OR ST_Area(geom) >= 2 * %s ^ 2)", $4, pixel)
    else if ($2 == "line")
      thin = thin sprintf("\n         AND (z >= %d OR ST_Length(geom) >= %s)", $4, pixel)
    printf "  || (SELECT coalesce(ST_AsMVT(t, %c%s%c, 4096, %cgeom%c, %cfid%c), %c%c) FROM\n", 39, $1, 39, 39, 39, 39, 39, 39, 39
    printf "      (SELECT fid, %sST_AsMVTGeom(ST_Transform(geom, 3857), box.tile, 4096, 64, true) AS geom\n", select_fields
    printf "       FROM %s.%s, box WHERE z BETWEEN %d AND %d AND geom && box.buffered%s) t\n", schema, $1, $3, $4, thin
    printf "     WHERE geom IS NOT NULL)\n"
  }' "$layers"
  echo "FROM box"
  echo "\$\$;"
}

# pgbench_once LABEL SCHEMA NAME: SCHEMA.tile(z, x, y) for every tile of
# served.tsv once, $connections sessions at once under pgbench (prepared),
# each transaction taking the next tile's id from a sequence; the first tile
# asked before in a session of its own. A row of $serving, with the largest
# sums of the cluster's memory while it ran.
pgbench_once() {
  local label=$1 schema=$2 name=$3 z x y start seconds finished failed p50 p99 rss pss
  pg_quiet "DROP TABLE IF EXISTS $schema.tiles; DROP SEQUENCE IF EXISTS $schema.next_tile;
    CREATE TABLE $schema.tiles (id integer PRIMARY KEY, z integer, x integer, y integer);
    CREATE SEQUENCE $schema.next_tile"
  awk '{ print NR, $1, $2, $3 }' "$dir/served.tsv" > "$dir/served_ids.tsv"
  pg_sql -c "\\copy $schema.tiles FROM '$dir/served_ids.tsv' WITH (DELIMITER ' ')" -c "ANALYZE $schema.tiles"
  echo "SELECT $schema.tile(z, x, y) FROM $schema.tiles WHERE id = (SELECT nextval('$schema.next_tile'));" \
    > "$dir/pgbench_$name.sql"
  rm -f "$dir/pgbench_$name"_log*
  pg_restart
  read -r z x y < "$dir/first.tsv"
  pg_sql -At -c "SELECT length($schema.tile($z, $x, $y))" > /dev/null
  pg_watch_start
  start=$(now)
  (cd "$dir" && pgbench -h "$pg_dir" -p "$pg_port" -U postgres -n -M prepared -c "$connections" \
    -j "$threads" -t $((served / connections)) -f "$dir/pgbench_$name.sql" --log \
    --log-prefix="pgbench_${name}_log" postgres) > "$dir/pgbench_$name.log" 2>&1
  seconds=$(since "$start")
  pg_watch_stop > "$dir/pgbench_$name.server"
  read -r rss pss < "$dir/pgbench_$name.server"
  cat "$dir/pgbench_$name.log"
  finished=$(pg_value "SELECT last_value FROM $schema.next_tile")
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$dir/pgbench_$name.log")
  # Each transaction's latency is the logs' third column, in microseconds.
  read -r p50 p99 < <(cat "$dir/pgbench_${name}_log"* | awk '{ print $3 }' | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.2f %.2f\n", v[int(NR * 0.5 + 0.5)] / 1000, v[int(NR * 0.99 + 0.5)] / 1000 }')
  echo "| $label | pgbench -c $connections -j $threads | $finished | $seconds s | $(rate "$served" "$seconds") |" \
    "$p50 ms | $p99 ms | ${failed:-?} | $(mb "$rss") RSS summed, $(mb "$pss") PSS summed (PostgreSQL) |" \
    >> "$serving"
}

for scale in "${scales[@]}"; do
  dir=$work/scale$scale
  base=$dir/city/hoian.sqlite
  mkdir -p "$dir"
  if [ ! -f "$base" ]; then
    echo "== building the scale $scale sample city"
    /usr/bin/time -f '%e s, %M KB' "$lantern" sample-city "$dir/city" --scale "$scale" -q
  fi
  schema=scale$scale
  pg_city=$(pg_uri "$schema")
  sl_city=$dir/sl/hoian.sqlite

  if [[ $parts == *analyses* ]]; then
    features=$("$lantern" info "$base" --json | jq '[.classes[].feature_count] | add')
    rm -rf "$dir/sl" "$dir/back" "$dir/back_sl"
    mkdir -p "$dir/sl" "$dir/back" "$dir/back_sl"
    pg_quiet "DROP SCHEMA IF EXISTS $schema CASCADE"
    echo "== scale $scale: lantern copy into SpatiaLite and into PostGIS"
    timed "$dir/copy_sl" "$lantern" copy "$base" "$sl_city" -q
    timed_pg "$dir/copy_pg" "$lantern" copy "$base" "$pg_city" -q
    {
      echo "| step | SpatiaLite time | SpatiaLite peak memory | PostGIS time | PostGIS client peak memory | PostgreSQL peak RSS / PSS (summed) | PostGIS / SpatiaLite |"
      echo "|---|---|---|---|---|---|---|"
      echo "| lantern copy of the sample city's SpatiaLite file into a new city | $(seconds_of "$dir/copy_sl") s | $(mb "$(kb_of "$dir/copy_sl")") | $(seconds_of "$dir/copy_pg") s | $(mb "$(kb_of "$dir/copy_pg")") | $(server_both "$dir/copy_pg") | $(awk -v a="$(seconds_of "$dir/copy_pg")" -v b="$(seconds_of "$dir/copy_sl")" 'BEGIN { printf "%.2f", a / b }') |"
    } > "$dir/analyses.md"
    step hydrology hydrology "{CITY}" -q
    step flood flood "{CITY}" --stage alarm-3 --stage record-1964 \
      --hydrograph "$repo/data/hoian/hydrograph_synthetic_3day.csv" --rain 80 --duration 60 -q
    step coverage_cameras coverage "{CITY}" cameras -q
    step coverage_lighting coverage "{CITY}" lighting -q
    rm -f "$dir"/sl_tiles.pmtiles "$dir"/pg_tiles.pmtiles
    echo "== scale $scale: tiles"
    timed "$dir/sl_tiles" "$lantern" tiles "$sl_city" "$dir/sl_tiles.pmtiles" -q
    timed_pg "$dir/pg_tiles" "$lantern" tiles "$pg_city" "$dir/pg_tiles.pmtiles" -q
    echo "| tiles (PMTiles, default zooms) | $(seconds_of "$dir/sl_tiles") s | $(mb "$(kb_of "$dir/sl_tiles")") | $(seconds_of "$dir/pg_tiles") s | $(mb "$(kb_of "$dir/pg_tiles")") | $(server_both "$dir/pg_tiles") | $(awk -v a="$(seconds_of "$dir/pg_tiles")" -v b="$(seconds_of "$dir/sl_tiles")" 'BEGIN { printf "%.2f", a / b }') |" >> "$dir/analyses.md"
    # The analysed city copied out of each backend into a new SpatiaLite city.
    echo "== scale $scale: lantern copy of the analysed city to SpatiaLite, from each backend"
    timed "$dir/copy_back_sl" "$lantern" copy "$sl_city" "$dir/back_sl/hoian.sqlite" -q
    timed_pg "$dir/copy_back" "$lantern" copy "$pg_city" "$dir/back/hoian.sqlite" -q
    echo "| lantern copy of the analysed city to a new SpatiaLite city | $(seconds_of "$dir/copy_back_sl") s | $(mb "$(kb_of "$dir/copy_back_sl")") | $(seconds_of "$dir/copy_back") s | $(mb "$(kb_of "$dir/copy_back")") | $(server_both "$dir/copy_back") | $(awk -v a="$(seconds_of "$dir/copy_back")" -v b="$(seconds_of "$dir/copy_back_sl")" 'BEGIN { printf "%.2f", a / b }') |" >> "$dir/analyses.md"

    # Result checksums, name -> checksum, on both backends and the copy back.
    for side in sl pg back; do
      case $side in
        sl) c=$sl_city ;; pg) c=$pg_city ;; back) c=$dir/back/hoian.sqlite ;;
      esac
      "$lantern" results "$c" --json | jq -r '.results[] | "\(.name) \(.checksum)"' | sort > "$dir/results_$side.txt"
    done
    results=$(wc -l < "$dir/results_sl.txt")
    if cmp -s "$dir/results_sl.txt" "$dir/results_pg.txt"; then agree=yes; else agree=NO; fi
    if cmp -s "$dir/results_pg.txt" "$dir/results_back.txt"; then back_agree=yes; else back_agree=NO; fi
    {
      echo "### Analyses, scale $scale ($features features; PostGIS tables $(pg_size "$schema"), SpatiaLite $(file_size "$dir/sl"))"
      echo
      cat "$dir/analyses.md"
      echo
      echo "Result checksums (lantern results --json, name -> checksum): $results results;" \
        "SpatiaLite and PostGIS agree: $agree; the copy back to SpatiaLite agrees with PostGIS: $back_agree."
      echo
    } | tee -a "$report"
    if [ "$agree" != yes ]; then
      echo "results that differ (SpatiaLite <, PostGIS >):"
      diff "$dir/results_sl.txt" "$dir/results_pg.txt" || true
    fi
  fi

  if [[ $parts == *serve* ]]; then
    # --- 3. uncached tiles from PostGIS --------------------------------------
    if [[ $parts != *analyses* ]]; then
      # Serving alone: the city an earlier run analysed, or the sample city.
      [ -f "$sl_city" ] || sl_city=$base
      echo "== scale $scale: lantern copy $sl_city into PostGIS"
      "$lantern" copy "$sl_city" "$pg_city" -q > /dev/null
    fi
    "$bench" layers "$pg_city" > "$dir/layers.tsv"
    "$bench" tiles "$pg_city" "$min_zoom" "$max_zoom" "$dir/tiles.tsv" > /dev/null
    "$bench" render "$sl_city" "$dir/tiles.tsv" "$threads" "$dir/non_empty.tsv" > "$dir/render.log"
    layer_list=$(cut -f1 "$dir/layers.tsv" | paste -sd, -)
    # The first tile warms both routes (Lantern loads its layers on it);
    # the rest, cut to a multiple of the connections, are timed, each once.
    sort -n "$dir/non_empty.tsv" | tail -n 1 > "$dir/first.tsv"
    grep -v -x -F -f "$dir/first.tsv" "$dir/non_empty.tsv" > "$dir/rest.tsv"
    served=$(($(wc -l < "$dir/rest.tsv") / connections * connections))
    head -n "$served" "$dir/rest.tsv" > "$dir/served.tsv"
    awk -v layers="$layer_list" '{ printf "/tiles/%s/%d/%d/%d.mvt\n", layers, $1, $2, $3 }' \
      "$dir/served.tsv" > "$dir/served.paths"
    echo "== scale $scale: serving $served tiles once each, $connections at a time; layers:"
    cat "$dir/layers.tsv"

    serving=$dir/serving.md
    {
      echo "| route | client | tiles | time | tiles/s | p50 | p99 | errors | server peak memory |"
      echo "|---|---|---|---|---|---|---|---|---|"
    } > "$serving"
    pg_restart
    lantern_once "lantern serve on the PostGIS city" "$pg_city" pg
    lantern_once "lantern serve on the SpatiaLite city (the same city)" "$sl_city" sl

    # PostgreSQL: a tile function over the tables Lantern wrote (EPSG:32649,
    # their GiST indexes), transforming to EPSG:3857 per tile and feature.
    pg_quiet "DROP SCHEMA IF EXISTS bench_$schema CASCADE; CREATE SCHEMA bench_$schema"
    pg_lantern_tile_function "bench_$schema" "$schema" "$dir/layers.tsv" > "$dir/postgis_lantern_tile.sql"
    pg_sql -f "$dir/postgis_lantern_tile.sql"
    pgbench_once "PostGIS ST_AsMVT over the tables Lantern wrote (EPSG:32649, ST_Transform per feature)" \
      "bench_$schema" lantern_tables
    if [ "${PG_3857:-1}" = 1 ]; then
      # The same classes loaded by ogr2ogr in EPSG:3857 (tests/bench/postgis_tiles.sh):
      # what a PostGIS tile server would serve from tables kept for it.
      echo "== scale $scale: loading the classes into PostGIS in EPSG:3857 with ogr2ogr"
      start=$(now)
      PGOPTIONS='-c client_min_messages=warning' pg_load "m_$schema" "$sl_city" "$dir/layers.tsv" > /dev/null
      load_3857=$(since "$start")
      PGOPTIONS='-c client_min_messages=warning' \
        pg_tile_function "m_$schema" "$dir/layers.tsv" "$dir/served.tsv" "$dir/first.tsv" > /dev/null
      pgbench_once "PostGIS ST_AsMVT over an EPSG:3857 copy of the classes (ogr2ogr, $load_3857 s to load)" \
        "m_$schema" copy_3857
      pg_quiet "DROP SCHEMA m_$schema CASCADE"
    fi
    {
      echo "### Serving uncached tiles, scale $scale ($served non-empty tiles of zooms $min_zoom-$max_zoom, all $(wc -l < "$dir/layers.tsv") classes in one tile, each asked once, $connections at a time)"
      echo
      cat "$serving"
      echo
    } | tee -a "$report"
    pg_quiet "DROP SCHEMA bench_$schema CASCADE"
  fi
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
cat "$report"
