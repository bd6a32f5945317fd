-- route_m, the hose's run and hydrant_m by pgRouting's pgr_dijkstraCost, after
-- fire_graph.sql and fire_buildings.sql (or fire_buildings_snapped.sql).
-- Every edge is cut here at the points on it (stations, working hydrants,
-- the buildings' access and street points), so each point is a vertex of
-- its own; a virtual vertex 0 joins the stations (or the hydrants) at no
-- cost, so that one search from it gives the distance from the nearest.
-- Makes:
--
--   ref_pieces            the cut graph: id, source, target, cost, usable
--   ref_route_dijkstra    building_id, route_m: from the stations over the
--                         usable pieces; no row where none reaches it
--   ref_reachable         id, source, target, reachable: each edge, and
--                         whether it is usable and joined to a station
--   ref_hose_dijkstra     building_id, along_m: the hose's run along the
--                         streets (see below)
--   ref_hydrant_dijkstra  building_id, hydrant_m: from the working hydrants
--                         over all pieces; no row where none reaches it

-- A vertex for each point inside an edge, numbered after the junctions.
CREATE TEMP TABLE ref_cuts AS
WITH inside AS (
  SELECT edge, fraction FROM ref_stations UNION SELECT edge, fraction FROM ref_hydrants
  UNION SELECT edge, fraction FROM ref_access UNION SELECT edge, fraction FROM ref_street)
SELECT edge, fraction,
       (SELECT max(GREATEST(source, target)) FROM ref_edges) + row_number() OVER (ORDER BY edge, fraction) AS vertex
FROM inside WHERE fraction > 0 AND fraction < 1;

-- The vertex of each place: its edge's junction at either end, else its cut.
CREATE TEMP TABLE ref_places AS
WITH places AS (
  SELECT edge, fraction FROM ref_stations UNION SELECT edge, fraction FROM ref_hydrants
  UNION SELECT edge, fraction FROM ref_access UNION SELECT edge, fraction FROM ref_street)
SELECT p.edge, p.fraction,
       CASE WHEN p.fraction <= 0 THEN e.source WHEN p.fraction >= 1 THEN e.target ELSE c.vertex END AS vertex
FROM places p JOIN ref_edges e ON e.id = p.edge LEFT JOIN ref_cuts c USING (edge, fraction);
CREATE INDEX ON ref_places (edge, fraction);

-- Each edge's stops in order from its source, and the pieces between them.
CREATE TEMP TABLE ref_pieces AS
WITH stops AS (
  SELECT id AS edge, 0::float8 AS fraction, source AS vertex FROM ref_edges
  UNION ALL SELECT id, 1, target FROM ref_edges
  UNION ALL SELECT edge, fraction, vertex FROM ref_cuts),
runs AS (
  SELECT edge, fraction, vertex, lead(fraction) OVER w AS next_fraction, lead(vertex) OVER w AS next_vertex
  FROM stops WINDOW w AS (PARTITION BY edge ORDER BY fraction))
SELECT row_number() OVER () AS id, r.vertex AS source, r.next_vertex AS target,
       (r.next_fraction - r.fraction) * e.cost AS cost, e.usable
FROM runs r JOIN ref_edges e ON e.id = r.edge
WHERE r.next_vertex IS NOT NULL;

-- From the stations over the usable pieces: to the access points and to
-- every junction, so that the edges the vehicle reaches are known too.
CREATE TEMP TABLE ref_route_costs AS
SELECT end_vid AS vertex, agg_cost
FROM pgr_dijkstraCost(
  'SELECT id, source, target, cost, cost AS reverse_cost FROM ref_pieces WHERE usable
   UNION ALL
   SELECT -row_number() OVER (), 0, p.vertex, 0, 0
   FROM ref_stations s JOIN ref_places p USING (edge, fraction)',
  0, ARRAY(SELECT p.vertex FROM ref_access a JOIN ref_places p USING (edge, fraction)
           UNION SELECT source FROM ref_edges UNION SELECT target FROM ref_edges),
  directed => false);
CREATE INDEX ON ref_route_costs (vertex);

CREATE TEMP TABLE ref_route_dijkstra AS
SELECT a.building_id, c.agg_cost AS route_m
FROM ref_access a JOIN ref_places p USING (edge, fraction) JOIN ref_route_costs c USING (vertex);

-- An edge the vehicle reaches: usable, its junctions reached.
CREATE TEMP TABLE ref_reachable AS
SELECT e.id, e.source, e.target,
       e.usable AND EXISTS (SELECT 1 FROM ref_route_costs c WHERE c.vertex IN (e.source, e.target)) AS reachable
FROM ref_edges e;

-- The hose: along any piece from the nearest junction of an edge the
-- vehicle reaches to the street point; nothing along the streets where the
-- street point lies on such an edge (the straight stretch to the footprint
-- is added in fire_compare.sql). No row where no such edge is joined to it.
CREATE TEMP TABLE ref_hose_dijkstra AS
WITH cost AS (
  SELECT end_vid AS vertex, agg_cost
  FROM pgr_dijkstraCost(
    'SELECT id, source, target, cost, cost AS reverse_cost FROM ref_pieces
     UNION ALL
     SELECT -row_number() OVER (), 0, v, 0, 0
     FROM (SELECT source AS v FROM ref_reachable WHERE reachable
           UNION SELECT target FROM ref_reachable WHERE reachable) j',
    0, ARRAY(SELECT DISTINCT p.vertex FROM ref_street s JOIN ref_places p USING (edge, fraction)),
    directed => false))
SELECT s.building_id, CASE WHEN r.reachable THEN 0 ELSE c.agg_cost END AS along_m
FROM ref_street s JOIN ref_reachable r ON r.id = s.edge JOIN ref_places p USING (edge, fraction)
LEFT JOIN cost c USING (vertex)
WHERE r.reachable OR c.agg_cost IS NOT NULL;

CREATE TEMP TABLE ref_hydrant_dijkstra AS
WITH cost AS (
  SELECT end_vid AS vertex, agg_cost
  FROM pgr_dijkstraCost(
    'SELECT id, source, target, cost, cost AS reverse_cost FROM ref_pieces
     UNION ALL
     SELECT -row_number() OVER (), 0, p.vertex, 0, 0
     FROM ref_hydrants h JOIN ref_places p USING (edge, fraction)',
    0, ARRAY(SELECT DISTINCT p.vertex FROM ref_street s JOIN ref_places p USING (edge, fraction)),
    directed => false))
SELECT s.building_id, c.agg_cost AS hydrant_m
FROM ref_street s JOIN ref_places p USING (edge, fraction) JOIN cost c USING (vertex);
