#!/usr/bin/env bash
# PostGIS's side of tests/bench/tiles_bench.sh, sourced by it: a throwaway
# PostgreSQL 15 cluster in a temporary folder, the city's classes loaded into
# it in EPSG:3857 with a GiST index, and a tile function per city built from
# ST_TileEnvelope, ST_AsMVTGeom and ST_AsMVT that selects the features
# Lantern's tiles carry: the zoom ranges, the fields, the thinning (one
# feature in 2 left out per zoom below the layer's full zoom; by fid here,
# along a Hilbert curve in Lantern) and, below the layer's maximum zoom, no
# area under 2 square pixels and no line under a pixel (docs/tiles.md).
# Lantern also simplifies lines and rings by half a pixel there; this does not.

pg_bin=/usr/lib/postgresql/15/bin

# pg_start DIR: initdb and start as the postgres user, on a Unix socket in DIR
# and a free port number; sets pg_dir, pg_port. listen_addresses is empty:
# nothing listens on the network.
pg_start() {
  pg_dir=$1
  rm -rf "$pg_dir"
  mkdir -p "$pg_dir"
  chown postgres "$pg_dir"
  chmod 700 "$pg_dir"
  pg_port=55432
  while ss -ltnx | grep -q "[:.]$pg_port\b"; do pg_port=$((pg_port + 1)); done
  su postgres -c "$pg_bin/initdb -D $pg_dir/data -A trust -U postgres -E UTF8 --locale=C" \
    > "$pg_dir/initdb.log"
  # Read-mostly settings: shared buffers large enough to hold the city, JIT off
  # (it slows short queries), durability off (a benchmark cluster).
  su postgres -c "$pg_bin/pg_ctl -D $pg_dir/data -l $pg_dir/server.log -w -o \"-p $pg_port \
-k $pg_dir -c listen_addresses='' -c shared_buffers=4GB -c work_mem=64MB \
-c maintenance_work_mem=1GB -c jit=off -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c max_wal_size=8GB -c max_parallel_workers_per_gather=0\" start" \
    > /dev/null
  pg_sql -c "CREATE EXTENSION IF NOT EXISTS postgis" > /dev/null
}

pg_stop() {
  [ -n "${pg_dir:-}" ] && [ -d "$pg_dir/data" ] &&
    su postgres -c "$pg_bin/pg_ctl -D $pg_dir/data -m fast -w stop" > /dev/null 2>&1
  [ -n "${pg_dir:-}" ] && rm -rf "$pg_dir"
  pg_dir=""
}

pg_sql() {
  psql -h "$pg_dir" -p "$pg_port" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"
}

pg_connection() {
  echo "host=$pg_dir port=$pg_port user=postgres dbname=postgres"
}

# pg_load SCHEMA CITY LAYERS.tsv: the classes into SCHEMA, reprojected to
# EPSG:3857 by ogr2ogr, with their GiST indexes, analysed.
pg_load() {
  local schema=$1 city=$2 layers=$3
  pg_sql -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
  # shellcheck disable=SC2046
  ogr2ogr -f PostgreSQL PG:"$(pg_connection)" "$city" $(cut -f1 "$layers") \
    -t_srs EPSG:3857 -lco SCHEMA="$schema" -lco GEOMETRY_NAME=geom -lco FID=fid \
    -lco SPATIAL_INDEX=GIST -lco OVERWRITE=YES --config PG_USE_COPY YES
  pg_sql -c "VACUUM ANALYZE"
}

# pg_tile_function SCHEMA LAYERS.tsv TILES.tsv CHECKED.tsv: SCHEMA.tile(z, x,
# y), the composite tile of every class in the order of LAYERS.tsv, and the
# tables SCHEMA.tiles(id, z, x, y) and SCHEMA.checked(z, x, y) of the lists.
pg_tile_function() {
  local schema=$1 layers=$2 tiles=$3 checked=$4
  {
    echo "CREATE OR REPLACE FUNCTION $schema.tile(z integer, x integer, y integer)"
    echo "RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS \$\$"
    echo "WITH box AS (SELECT ST_TileEnvelope(z, x, y) AS tile,"
    echo "  ST_TileEnvelope(z, x, y, margin => 64.0 / 4096) AS buffered)"
    echo "SELECT ''::bytea"
    awk -F'\t' -v schema="$schema" '{
      fields = $6; gsub(",", ", ", fields)
      select_fields = (fields == "") ? "" : fields ", "
      thin = ($5 > 0) ? sprintf("\n         AND (z >= %d OR fid %% (1 << (%d - z)) = 0)", $5, $5) : ""
      # One tile pixel (1/256 of the tile) in metres is 2 pi R / 2^z / 256.
      pixel = "(40075016.685578488 / 256 / (1 << z))"
      if ($2 == "polygon")
        thin = thin sprintf("\n         AND (z >= %d OR ST_Area(geom) >= 2 * %s ^ 2)", $4, pixel)
      else if ($2 == "line")
        thin = thin sprintf("\n         AND (z >= %d OR ST_Length(geom) >= %s)", $4, pixel)
      printf "  || (SELECT coalesce(ST_AsMVT(t, %c%s%c, 4096, %cgeom%c, %cfid%c), %c%c) FROM\n", 39, $1, 39, 39, 39, 39, 39, 39, 39
      printf "      (SELECT fid, %sST_AsMVTGeom(geom, box.tile, 4096, 64, true) AS geom\n", select_fields
      printf "       FROM %s.%s, box WHERE z BETWEEN %d AND %d AND geom && box.buffered%s) t\n", schema, $1, $3, $4, thin
      printf "     WHERE geom IS NOT NULL)\n"
    }' "$layers"
    echo "FROM box"
    echo "\$\$;"
    echo "DROP TABLE IF EXISTS $schema.tiles;"
    echo "CREATE TABLE $schema.tiles (id serial PRIMARY KEY, z integer, x integer, y integer);"
    echo "\\copy $schema.tiles (z, x, y) FROM '$tiles' WITH (DELIMITER ' ')"
    echo "DROP TABLE IF EXISTS $schema.checked;"
    echo "CREATE TABLE $schema.checked (z integer, x integer, y integer);"
    echo "\\copy $schema.checked FROM '$checked' WITH (DELIMITER ' ')"
    echo "ANALYZE $schema.tiles;"
  } > "$(dirname "$tiles")/postgis_tile.sql"
  pg_sql -f "$(dirname "$tiles")/postgis_tile.sql"
}

# pg_generate SCHEMA CONNECTIONS OUT_DIR: every tile of SCHEMA.tiles made by
# CONNECTIONS sessions at once, each summing the lengths of its share of the
# tiles (so that only the counts leave the server); each prints its tile
# count, bytes, non-empty tiles and its backend's peak resident memory (kB,
# VmHWM, which counts the shared buffers it touched).
pg_generate() {
  local schema=$1 connections=$2 out=$3 k
  for ((k = 0; k < connections; ++k)); do
    pg_sql -At -F' ' -c "SELECT count(*), sum(length(t)), count(*) FILTER (WHERE length(t) > 0)
      FROM (SELECT $schema.tile(z, x, y) AS t FROM $schema.tiles WHERE id % $connections = $k) s" \
      -c "SELECT substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\\s*(\\d+)')" \
      > "$out/postgis_part$k.txt" &
  done
  wait
}

# pg_dump_tiles SCHEMA: "z x y hex" per tile of SCHEMA.checked, for the checker.
pg_dump_tiles() {
  local schema=$1
  pg_sql -c "COPY (SELECT z, x, y, encode($schema.tile(z, x, y), 'hex') FROM $schema.checked)
    TO STDOUT"
}
