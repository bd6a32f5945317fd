#!/usr/bin/env bash
# Vector tile benchmark: Lantern against PostGIS (ST_AsMVT) and GDAL's MVT
# writer (ogr2ogr -f MVT) for generating every tile of zooms 12-16 over the
# sample city, and against tileserver-gl-light for serving them, in one run
# on the same machine. Tiles of every tool go through Lantern's tile checker
# (core/testing/mvt_check.hpp) for the share of invalid polygons. Prints markdown
# tables at the end; the numbers go to docs/benchmarks.md.
#
#   bash tests/bench/tiles_bench.sh [WORKDIR] [SCALE...]
#
# Defaults: /tmp/lantern-tiles-bench, scales 1 and 100 (lantern sample-city
# --scale; a city is built once in WORKDIR/scaleK/city and kept). Installs
# what it needs: postgresql-15-postgis-3, wrk and GNU time with apt, and
# tileserver-gl-light with npm ci in tests/bench/js. Runs as root; PostgreSQL
# runs as the postgres user in a throwaway cluster under WORKDIR, on a Unix
# socket only. Every load run is bounded (wrk -d WRK_DURATION, default 10s)
# and targets 127.0.0.1.
#
# LANTERN_BUILD names the build folder (default build/; it needs the lantern
# and lantern_tiles_bench targets). OGR_MVT_MAX_SCALE (default 1): ogr2ogr
# runs on the cities up to this scale only (it takes minutes on scale 1).
# CHECK_TILES (default 20000) and CACHED_TILES (default 20000): at most this
# many tiles, evenly sampled, are checked and served from cache.
# PARTS=serve runs the serving part alone, on the tile lists and archives an
# earlier run left in WORKDIR (PARTS=generate the other part).
set -euo pipefail
work=${1:-/tmp/lantern-tiles-bench}
shift || true
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(1 100)
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
bench=$build/tests/lantern_tiles_bench
min_zoom=12
max_zoom=16
threads=2
connections=64
duration=${WRK_DURATION:-10s}
ogr_max_scale=${OGR_MVT_MAX_SCALE:-1}
check_tiles=${CHECK_TILES:-20000}
cached_tiles=${CACHED_TILES:-20000}
parts=${PARTS:-generate,serve}

# --- what the peers need ----------------------------------------------------
missing=()
[ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
command -v wrk > /dev/null || missing+=(wrk)
[ -x /usr/bin/time ] || missing+=(time)
command -v ogr2ogr > /dev/null || missing+=(gdal-bin)
command -v curl > /dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ ! -e "$here/js/node_modules/.bin/tileserver-gl" ]; then
  (cd "$here/js" && npm ci --no-audit --no-fund)
fi
for tool in "$lantern" "$bench"; do
  [ -x "$tool" ] || { echo "no $tool: build the lantern and lantern_tiles_bench targets" >&2; exit 1; }
done

mkdir -p "$work"
work=$(cd "$work" && pwd)
# shellcheck source=tests/bench/postgis_tiles.sh
source "$here/postgis_tiles.sh"
servers=()
cleanup() {
  local pid
  for pid in "${servers[@]}"; do kill "$pid" 2> /dev/null || true; done
  pg_stop
}
trap cleanup EXIT

# --- helpers ------------------------------------------------------------------

# field NAME LINE: the value of NAME=value in a RESULT line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $2"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MB", kb / 1024 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
share() {
  awk -v i="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%d (%.3f %%)", i, 100 * i / n; else print "-" }'
}
# peak_rss PID: the process's peak resident memory in kB.
peak_rss() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status"; }
# sample LIST CAP: at most CAP lines of LIST, evenly spaced.
sample() {
  awk -v n="$(wc -l < "$1")" -v cap="$2" \
    'BEGIN { step = n > cap ? n / cap : 1; next_line = 1 } NR >= next_line { print; next_line += step }' "$1"
}

# checked LOG: the checker's columns of a table row (tiles checked, polygons,
# invalid polygons, other problems).
checked() {
  local line
  line=$(grep '^RESULT ' "$1")
  printf '%s | %s | %s | %s' "$(field tiles "$line")" "$(field polygons "$line")" \
    "$(share "$(field invalid_polygons "$line")" "$(field polygons "$line")")" \
    "$(($(field problems "$line") - $(field invalid_polygons "$line")))"
}

# ogr_config DIR LAYERS.tsv CITY: a VRT that shows each class with its tile
# fields only, and the MVT writer's per-layer zoom ranges.
ogr_config() {
  local dir=$1 layers=$2 city=$3
  awk -F'\t' -v city="$city" 'BEGIN { print "<OGRVRTDataSource>" }
    {
      printf "  <OGRVRTLayer name=\"%s\"><SrcDataSource>%s</SrcDataSource><SrcLayer>%s</SrcLayer>\n", $1, city, $1
      printf "    <GeometryField name=\"geom\"/>\n"
      n = split($6, fields, ",")
      split($7, types, ",")
      for (i = 1; i <= n; i++) printf "    <Field name=\"%s\" type=\"%s\"/>\n", fields[i], types[i]
      print "  </OGRVRTLayer>"
    }
    END { print "</OGRVRTDataSource>" }' "$layers" > "$dir/classes.vrt"
  awk -F'\t' -v lo="$min_zoom" -v hi="$max_zoom" 'BEGIN { printf "{" }
    {
      printf "%s\"%s\": {\"minzoom\": %d, \"maxzoom\": %d}", (NR > 1 ? ", " : ""), $1,
        ($3 > lo ? $3 : lo), ($4 < hi ? $4 : hi)
    }
    END { print "}" }' "$layers" > "$dir/ogr_mvt_conf.json"
}

# wrk_run NAME URL_PATTERN LIST: one wrk run of $duration; its log is NAME.wrk.
wrk_run() {
  local name=$1 pattern=$2 list=$3
  TILE_URL=$pattern TILE_LIST=$list TILE_THREADS=$threads \
    wrk -t "$threads" -c "$connections" -d "$duration" --timeout 10s --latency \
    -s "$here/wrk_tiles.lua" "http://127.0.0.1:$port" > "$dir/$name.wrk" 2>&1
  cat "$dir/$name.wrk"
}

# wrk_row LABEL SERVER TILES NAME PEAK_KB: a serving table row from a wrk log.
wrk_row() {
  local label=$1 server_name=$2 tiles=$3 log=$dir/$4.wrk peak=$5
  local requests rps p50 p99 errors
  requests=$(sed -n 's/.*TILES requests=\([0-9]*\).*/\1/p' "$log")
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$log")
  p50=$(awk '$1 == "50%" { print $2 }' "$log")
  p99=$(awk '$1 == "99%" { print $2 }' "$log")
  errors=$(sed -n 's/.*errors_status=\([0-9]*\) errors_other=\([0-9]*\).*/\1 status, \2 other/p' "$log")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$server_name" "$tiles" \
    "$requests" "$rps" "$p50" "$p99" "$errors" "$(mb "$peak")" >> "$serving"
}

# free_port: a TCP port nothing listens on.
free_port() {
  local candidate=18080
  while ss -ltn | grep -q "[:.]$candidate\b"; do candidate=$((candidate + 1)); done
  echo "$candidate"
}

# wait_until_up URL LOG PID: polls until the server answers.
wait_until_up() {
  local url=$1 log=$2 pid=$3 i
  for i in $(seq 1 1200); do
    curl -s -o /dev/null "$url" && return 0
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.5
  done
  echo "the server did not come up:" >&2
  cat "$log" >&2
  exit 1
}

# lantern_serve CACHE_MB: lantern serve on $threads threads; sets port, server.
lantern_serve() {
  port=$(free_port)
  "$lantern" serve "$city" --bind 127.0.0.1 --port "$port" --threads "$threads" \
    --cache-mb "$1" > "$dir/serve.log" 2>&1 &
  server=$!
  servers+=("$server")
  wait_until_up "http://127.0.0.1:$port/health" "$dir/serve.log" "$server"
}

# tileserver_serve MBTILES: tileserver-gl-light (node, one thread) with a
# configuration that names the archive "city"; sets port, server.
tileserver_serve() {
  port=$(free_port)
  printf '{"options": {"paths": {"root": "%s", "mbtiles": "%s"}}, "styles": {},
  "data": {"city": {"mbtiles": "%s"}}}\n' "$here/js/node_modules/tileserver-gl-styles" \
    "$(dirname "$1")" "$(basename "$1")" > "$dir/tileserver.json"
  node "$here/js/node_modules/.bin/tileserver-gl" --config "$dir/tileserver.json" \
    --bind 127.0.0.1 --port "$port" --silent > "$dir/tileserver.log" 2>&1 &
  server=$!
  servers+=("$server")
  wait_until_up "http://127.0.0.1:$port/health" "$dir/tileserver.log" "$server"
}

# stop_server: records the server's peak resident memory, then stops it.
stop_server() {
  server_peak=$(peak_rss "$server")
  kill "$server"
  wait "$server" 2> /dev/null || true
}

# warm URL_PATTERN LIST: every tile of the list requested once (curl, 16 at a time).
warm() {
  awk -v pattern="$1" '{ url = pattern; sub("{z}", $1, url); sub("{x}", $2, url); sub("{y}", $3, url)
    printf "url = \"%s\"\noutput = \"/dev/null\"\n", url }' "$2" > "$dir/warm.curl"
  curl -s --no-progress-meter --parallel --parallel-max 16 -H 'Accept-Encoding: gzip' \
    -K "$dir/warm.curl"
}

# --- the run --------------------------------------------------------------------

generation=$work/generation.md
serving=$work/serving.md
{
  echo "| city | tool | tiles | non-empty | time | tiles/s | peak memory | tiles checked | polygons | invalid polygons | other problems |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} > "$generation"
{
  echo "| city | server | tiles | requests | tiles/s | p50 | p99 | errors | server peak memory |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$serving"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $parts != *generate* ]] || pg_start "$work/pg"

for scale in "${scales[@]}"; do
  dir=$work/scale$scale
  city=$dir/city/hoian.sqlite
  label="scale $scale"
  mkdir -p "$dir"
  if [ ! -f "$city" ]; then
    echo "== building the scale $scale sample city"
    /usr/bin/time -f '%e s, %M KB' "$lantern" sample-city "$dir/city" --scale "$scale" -q
  fi
  "$bench" layers "$city" > "$dir/layers.tsv"
  "$bench" tiles "$city" "$min_zoom" "$max_zoom" "$dir/tiles.tsv"
  sample "$dir/tiles.tsv" "$check_tiles" > "$dir/checked.tsv"
  tile_count=$(wc -l < "$dir/tiles.tsv")
  echo "== scale $scale: $tile_count tiles at zooms $min_zoom-$max_zoom ($(wc -l < "$dir/checked.tsv") checked), layers:"
  cat "$dir/layers.tsv"

  layer_list=$(cut -f1 "$dir/layers.tsv" | paste -sd, -)
  if [[ $parts == *generate* ]]; then
    # --- Lantern: TileSet::render on $threads threads ------------------------
    echo "== Lantern"
    /usr/bin/time -f '%e %M' -o "$dir/lantern.time" \
      "$bench" render "$city" "$dir/tiles.tsv" "$threads" "$dir/non_empty.tsv" | tee "$dir/lantern.log"
    "$bench" check-lantern "$city" "$dir/checked.tsv" "$threads" | tee "$dir/lantern.check"
    line=$(grep '^RESULT ' "$dir/lantern.log")
    read -r _ kb < "$dir/lantern.time"
    printf '| %s | Lantern, TileSet::render (%d threads) | %s | %s | %s s | %s | %s | %s |\n' "$label" \
      "$threads" "$tile_count" "$(field non_empty "$line")" "$(field render_seconds "$line")" \
      "$(field tiles_per_second "$line" | cut -d. -f1)" "$(mb "$kb")" "$(checked "$dir/lantern.check")" \
      >> "$generation"
    total=$(awk -v a="$(field load_seconds "$line")" -v b="$(field render_seconds "$line")" \
      'BEGIN { printf "%.2f", a + b }')
    printf '| %s | Lantern, with loading the city (%s s) | %s | %s | %s s | %s | | | | | |\n' "$label" \
      "$(field load_seconds "$line")" "$tile_count" "$(field non_empty "$line")" "$total" \
      "$(rate "$tile_count" "$total")" >> "$generation"

    # The same tiles through the archive writer users run (MBTiles, gzip),
    # which tileserver-gl-light serves below.
    rm -f "$dir/city.mbtiles"
    /usr/bin/time -f '%e %M' -o "$dir/archive.time" "$lantern" tiles "$city" "$dir/city.mbtiles" \
      --min-zoom "$min_zoom" --max-zoom "$max_zoom" --classes "$layer_list" --threads "$threads" -q \
      | tee "$dir/archive.log"
    read -r seconds kb < "$dir/archive.time"
    printf '| %s | lantern tiles to MBTiles (%d threads, with loading and writing) | %s | %s | %s s | %s | %s | | | | |\n' \
      "$label" "$threads" "$tile_count" "$(sed -n 's/.*: \([0-9]*\) tiles,.*/\1/p' "$dir/archive.log")" \
      "$seconds" "$(rate "$tile_count" "$seconds")" "$(mb "$kb")" >> "$generation"

    # --- PostGIS: ST_AsMVT, $threads sessions --------------------------------
    echo "== PostGIS"
    schema=scale$scale
    start=$(now)
    pg_load "$schema" "$city" "$dir/layers.tsv"
    load_seconds=$(since "$start")
    echo "loaded into PostGIS in $load_seconds s"
    pg_tile_function "$schema" "$dir/layers.tsv" "$dir/tiles.tsv" "$dir/checked.tsv"
    start=$(now)
    pg_generate "$schema" "$threads" "$dir"
    seconds=$(since "$start")
    cat "$dir"/postgis_part*.txt
    non_empty=$(awk 'NF == 3 { n += $3 } END { print n }' "$dir"/postgis_part*.txt)
    peak=$(awk 'NF == 1 && $1 > m { m = $1 } END { print m }' "$dir"/postgis_part*.txt)
    pg_dump_tiles "$schema" | "$bench" check-hex | tee "$dir/postgis.check"
    printf '| %s | PostGIS 3.3 ST_AsMVT (%d sessions; loading took %s s) | %s | %s | %s s | %s | %s per session | %s |\n' \
      "$label" "$threads" "$load_seconds" "$tile_count" "$non_empty" "$seconds" \
      "$(rate "$tile_count" "$seconds")" "$(mb "$peak")" "$(checked "$dir/postgis.check")" >> "$generation"

    # --- GDAL: ogr2ogr -f MVT -------------------------------------------------
    if [ "$scale" -le "$ogr_max_scale" ]; then
      echo "== ogr2ogr -f MVT"
      ogr_config "$dir" "$dir/layers.tsv" "$city"
      rm -rf "$dir/ogr_mvt"
      /usr/bin/time -f '%e %M' -o "$dir/ogr.time" ogr2ogr -f MVT "$dir/ogr_mvt" "$dir/classes.vrt" \
        -dsco MINZOOM="$min_zoom" -dsco MAXZOOM="$max_zoom" -dsco CONF="$dir/ogr_mvt_conf.json" \
        -dsco COMPRESS=NO -dsco EXTENT=4096 -dsco BUFFER=64 -dsco MAX_FEATURES=50000 \
        -dsco MAX_SIZE=512000
      read -r seconds kb < "$dir/ogr.time"
      "$bench" check-dir "$dir/ogr_mvt" | tee "$dir/ogr.check"
      printf '| %s | ogr2ogr -f MVT (GDAL 3.6, one process) | %s | %s | %s s | %s | %s | %s |\n' \
        "$label" "$tile_count" "$(field non_empty "$(grep '^RESULT ' "$dir/ogr.check")")" "$seconds" \
        "$(rate "$tile_count" "$seconds")" "$(mb "$kb")" "$(checked "$dir/ogr.check")" >> "$generation"
      rm -rf "$dir/ogr_mvt"
    fi
  fi
  [[ $parts == *serve* ]] || continue

  # --- serving: lantern serve and tileserver-gl-light under wrk -------------
  # Uncached: a server without a tile cache renders every request, over every
  # non-empty tile. Cached: a sample of them, requested once before.
  sample "$dir/non_empty.tsv" "$cached_tiles" > "$dir/cached.tsv"
  served=$(wc -l < "$dir/non_empty.tsv")
  cached=$(wc -l < "$dir/cached.tsv")
  pattern="/tiles/$layer_list/{z}/{x}/{y}.mvt"

  echo "== lantern serve without a cache ($served non-empty tiles)"
  lantern_serve 0
  # The server loads a layer on its first tile: one tile at the highest zoom
  # loads them all before the clock starts.
  sort -n "$dir/non_empty.tsv" | tail -n 1 > "$dir/first.tsv"
  warm "http://127.0.0.1:$port$pattern" "$dir/first.tsv"
  wrk_run lantern_uncached "$pattern" "$dir/non_empty.tsv"
  stop_server
  wrk_row "$label" "lantern serve, uncached (--cache-mb 0)" "$served" lantern_uncached "$server_peak"

  echo "== lantern serve with a cache ($cached tiles)"
  lantern_serve 4096
  warm "http://127.0.0.1:$port$pattern" "$dir/cached.tsv"
  wrk_run lantern_cached "$pattern" "$dir/cached.tsv"
  curl -s "http://127.0.0.1:$port/metrics" > "$dir/lantern_cached.metrics" || true
  stop_server
  wrk_row "$label" "lantern serve, cached" "$cached" lantern_cached "$server_peak"

  echo "== tileserver-gl-light ($cached tiles of the MBTiles lantern tiles wrote)"
  tileserver_serve "$dir/city.mbtiles"
  wrk_run tileserver "/data/city/{z}/{x}/{y}.pbf" "$dir/cached.tsv"
  stop_server
  wrk_row "$label" "tileserver-gl-light 5.6 (MBTiles)" "$cached" tileserver "$server_peak"
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
cat "$generation"
echo
cat "$serving"
