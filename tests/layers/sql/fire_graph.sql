-- lantern fire's street graph and the points on it, for pgRouting
-- (PostgreSQL with PostGIS and pgRouting). Read by the sample_fire tests
-- (tests/layers/test_sample_fire.cpp) and tests/bench/fire_bench.sh.
--
-- Expects on the search path the tables fire_streets and fire_access (the
-- results result_fire_streets and result_fire_access of `lantern fire`),
-- fire_stations and hydrants, each with its geometry in `geom` and the
-- fields lantern fire and the classes give them. Makes these temporary
-- tables:
--
--   ref_edges     every edge of fire_streets: id, source, target, cost (its
--                 length), usable, line
--   ref_stations  each fire station at the nearest point of a usable edge
--                 (ties: the lower edge id)
--   ref_hydrants  each working hydrant at the nearest point of any edge
--                 (ties: the lower edge id)
--
-- and the function pg_temp.nearest_edge. The buildings' points come from
-- fire_buildings.sql (as lantern fire gives them) or
-- fire_buildings_snapped.sql (found here).
-- A point is (edge, fraction) from the edge's source (0) to its target (1),
-- the way pgRouting's withPoints functions take it.

CREATE TEMP TABLE ref_edges AS
SELECT edge_id::bigint AS id, source::bigint AS source, target::bigint AS target, length_m::float8 AS cost,
       usable = 1 AS usable, ST_GeometryN(geom, 1) AS line
FROM fire_streets;
CREATE INDEX ON ref_edges USING gist (line);
CREATE INDEX ON ref_edges (id);
ANALYZE ref_edges;

-- The point of the edges (the usable ones only, or all) nearest a geometry,
-- and how far: the few nearest edges by the index, the nearest of them
-- exactly, ties to the lower edge id.
CREATE FUNCTION pg_temp.nearest_edge(g geometry, usable_only boolean, OUT edge bigint, OUT fraction float8,
                                     OUT distance float8)
LANGUAGE sql STABLE AS $$
  SELECT id, ST_LineLocatePoint(line, ST_ClosestPoint(line, g)), ST_Distance(line, g)
  FROM (SELECT id, line FROM ref_edges WHERE usable OR NOT usable_only ORDER BY line <-> g LIMIT 8) near
  ORDER BY ST_Distance(line, g), id
  LIMIT 1
$$;

CREATE TEMP TABLE ref_stations AS
SELECT s.station_id, n.edge, n.fraction
FROM fire_stations s CROSS JOIN LATERAL pg_temp.nearest_edge(s.geom, true) n;

CREATE TEMP TABLE ref_hydrants AS
SELECT h.hydrant_id, n.edge, n.fraction
FROM hydrants h CROSS JOIN LATERAL pg_temp.nearest_edge(h.geom, false) n
WHERE h.status = 'working';
