-- route_m by pgRouting's pgr_withPointsCost, after fire_graph.sql and
-- fire_buildings.sql (or fire_buildings_snapped.sql): from the stations'
-- points to every building's access point over the usable edges, each edge
-- both ways at its length. Makes ref_route_withpoints (building_id, route_m),
-- no row where no station reaches the building.
--
-- pgRouting 3.4 takes a point at fraction 0 or 1 badly: one at 1 cuts its
-- edge off the graph (pgRouting issues 2253 and 2966) and one at 0 is never
-- reached (issue 2689). Such a point is the edge's junction, so it is routed
-- as that junction; only points inside an edge are points for pgRouting.

CREATE TEMP TABLE ref_route_places AS
SELECT DISTINCT p.edge, p.fraction,
       CASE WHEN p.fraction <= 0 THEN e.source WHEN p.fraction >= 1 THEN e.target END AS junction
FROM (SELECT edge, fraction FROM ref_stations UNION SELECT edge, fraction FROM ref_access) p
JOIN ref_edges e ON e.id = p.edge;

CREATE TEMP TABLE ref_route_points AS
SELECT row_number() OVER (ORDER BY edge, fraction) AS pid, edge, fraction
FROM ref_route_places WHERE junction IS NULL;

-- The vertex pgRouting knows a place by: a junction, or minus the point's id.
CREATE TEMP TABLE ref_route_vertices AS
SELECT r.edge, r.fraction, COALESCE(r.junction, -p.pid) AS vertex
FROM ref_route_places r LEFT JOIN ref_route_points p USING (edge, fraction);

CREATE TEMP TABLE ref_route_withpoints AS
WITH station AS (
  SELECT DISTINCT v.vertex FROM ref_stations s JOIN ref_route_vertices v USING (edge, fraction)),
building AS (
  SELECT a.building_id, v.vertex FROM ref_access a JOIN ref_route_vertices v USING (edge, fraction)),
cost AS (
  SELECT end_pid AS vertex, min(agg_cost) AS route_m
  FROM pgr_withPointsCost(
    'SELECT id, source, target, cost, cost AS reverse_cost FROM ref_edges WHERE usable',
    'SELECT pid, edge AS edge_id, fraction FROM ref_route_points',
    ARRAY(SELECT vertex FROM station), ARRAY(SELECT DISTINCT vertex FROM building),
    directed => false)
  GROUP BY end_pid
  UNION ALL
  SELECT vertex, 0 FROM station)
SELECT b.building_id, min(c.route_m) AS route_m
FROM building b JOIN cost c USING (vertex)
GROUP BY b.building_id;
