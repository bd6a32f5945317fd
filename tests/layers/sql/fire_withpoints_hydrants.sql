-- hydrant_m by pgRouting's pgr_withPointsCost, after fire_graph.sql and
-- fire_buildings.sql: from every working hydrant's point to every
-- building's street point over all edges, each both ways at its length,
-- the nearest hydrant's distance kept. Makes ref_hydrant_withpoints
-- (building_id, hydrant_m), no row where no hydrant reaches the building.
-- Points at either end of an edge are its junctions (see fire_withpoints.sql).
-- Many to many: about 30 s on the sample city, where fire_split.sql's one
-- search from a virtual source takes well under one.

CREATE TEMP TABLE ref_hydrant_places AS
SELECT DISTINCT p.edge, p.fraction,
       CASE WHEN p.fraction <= 0 THEN e.source WHEN p.fraction >= 1 THEN e.target END AS junction
FROM (SELECT edge, fraction FROM ref_hydrants UNION SELECT edge, fraction FROM ref_street) p
JOIN ref_edges e ON e.id = p.edge;

CREATE TEMP TABLE ref_hydrant_points AS
SELECT row_number() OVER (ORDER BY edge, fraction) AS pid, edge, fraction
FROM ref_hydrant_places WHERE junction IS NULL;

CREATE TEMP TABLE ref_hydrant_vertices AS
SELECT h.edge, h.fraction, COALESCE(h.junction, -p.pid) AS vertex
FROM ref_hydrant_places h LEFT JOIN ref_hydrant_points p USING (edge, fraction);

CREATE TEMP TABLE ref_hydrant_withpoints AS
WITH hydrant AS (
  SELECT DISTINCT v.vertex FROM ref_hydrants h JOIN ref_hydrant_vertices v USING (edge, fraction)),
building AS (
  SELECT s.building_id, v.vertex FROM ref_street s JOIN ref_hydrant_vertices v USING (edge, fraction)),
cost AS (
  SELECT end_pid AS vertex, min(agg_cost) AS hydrant_m
  FROM pgr_withPointsCost(
    'SELECT id, source, target, cost, cost AS reverse_cost FROM ref_edges',
    'SELECT pid, edge AS edge_id, fraction FROM ref_hydrant_points',
    ARRAY(SELECT vertex FROM hydrant), ARRAY(SELECT DISTINCT vertex FROM building),
    directed => false)
  GROUP BY end_pid
  UNION ALL
  SELECT vertex, 0 FROM hydrant)
SELECT b.building_id, min(c.hydrant_m) AS hydrant_m
FROM building b JOIN cost c USING (vertex)
GROUP BY b.building_id;
