-- Each building's points on the streets found here, from the footprints of
-- the buildings class (on the search path), after fire_graph.sql: the
-- nearest point of a usable edge (ref_access) and of any edge (ref_street),
-- ties to the lower edge id. For tests/bench/fire_bench.sh, where pgRouting's
-- side does all the work from the graph on.

CREATE TEMP TABLE ref_access AS
SELECT b.building_id, n.edge, n.fraction
FROM buildings b CROSS JOIN LATERAL pg_temp.nearest_edge(b.geom, true) n
WHERE n.edge IS NOT NULL;

CREATE TEMP TABLE ref_street AS
SELECT b.building_id, n.edge, n.fraction
FROM buildings b CROSS JOIN LATERAL pg_temp.nearest_edge(b.geom, false) n;
