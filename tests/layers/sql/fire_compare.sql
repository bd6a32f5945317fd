-- lantern fire's answers against the reference ones, after fire_graph.sql,
-- fire_buildings.sql, fire_withpoints.sql, fire_withpoints_hydrants.sql and
-- fire_split.sql (the standard engine's run). One row per check, over every
-- building of fire_access or every edge or junction of fire_streets:
--
--   check | rows | null on both sides | null on one side only |
--   max |difference| | the row (building, edge or junction) of the largest
--
-- (the last two empty where no row has both values). The gaps are
-- measured here with ST_Distance from the footprint to the nearest edge
-- (usable, or any); the edges within the gap lantern fire gives plus 1 m
-- hold the nearest, whether that gap is right or too large. The hose is
-- its run along the streets (fire_split.sql) plus the street gap measured
-- here.

CREATE TEMP TABLE ref_answers AS
SELECT a.building_id, a.route_m, a.hydrant_m, a.access_gap_m, a.street_gap_m,
       w.route_m AS route_withpoints, d.route_m AS route_dijkstra, hw.hydrant_m AS hydrant_withpoints,
       h.hydrant_m AS hydrant_dijkstra, a.hose_m, o.along_m AS hose_along,
       (SELECT min(ST_Distance(a.geom, e.line)) FROM ref_edges e
        WHERE e.usable AND ST_DWithin(a.geom, e.line, COALESCE(a.access_gap_m, 0) + 1)) AS access_gap_sql,
       (SELECT min(ST_Distance(a.geom, e.line)) FROM ref_edges e
        WHERE ST_DWithin(a.geom, e.line, COALESCE(a.street_gap_m, 0) + 1)) AS street_gap_sql
FROM fire_access a
LEFT JOIN ref_route_withpoints w USING (building_id)
LEFT JOIN ref_route_dijkstra d USING (building_id)
LEFT JOIN ref_hydrant_withpoints hw USING (building_id)
LEFT JOIN ref_hydrant_dijkstra h USING (building_id)
LEFT JOIN ref_hose_dijkstra o USING (building_id);

WITH pairs AS (
  SELECT 1 AS k, 'route_m against pgr_withPointsCost' AS name, building_id, route_m AS l, route_withpoints AS r
  FROM ref_answers
  UNION ALL
  SELECT 2, 'route_m against pgr_dijkstraCost', building_id, route_m, route_dijkstra FROM ref_answers
  UNION ALL
  SELECT 3, 'hydrant_m against pgr_withPointsCost', building_id, hydrant_m, hydrant_withpoints FROM ref_answers
  UNION ALL
  SELECT 4, 'hydrant_m against pgr_dijkstraCost', building_id, hydrant_m, hydrant_dijkstra FROM ref_answers
  UNION ALL
  SELECT 5, 'hose_m against pgr_dijkstraCost and ST_Distance', building_id, hose_m, hose_along + street_gap_sql
  FROM ref_answers
  UNION ALL
  SELECT 6, 'access_gap_m against ST_Distance', building_id, access_gap_m, access_gap_sql FROM ref_answers
  UNION ALL
  SELECT 7, 'street_gap_m against ST_Distance', building_id, street_gap_m, street_gap_sql FROM ref_answers
  UNION ALL
  -- The graph: each edge's length is its line's, ...
  SELECT 8, 'length_m against ST_Length', id::text, cost, ST_Length(line) FROM ref_edges
  UNION ALL
  -- ... the standard engine uses the edges of 3.5 m or more that are open
  -- and for vehicles, ...
  SELECT 9, 'usable against the width and class', edge_id::text, usable::float8,
         CASE WHEN width_m >= 3.5 AND class NOT IN ('footway', 'path', 'cycleway', 'steps') AND closed = 0
              THEN 1 ELSE 0 END
  FROM fire_streets
  UNION ALL
  -- ... reaches those joined to a station, ...
  SELECT 10, 'reachable against pgr_dijkstraCost', f.edge_id::text, f.reachable::float8, r.reachable::int::float8
  FROM fire_streets f JOIN ref_reachable r ON r.id = f.edge_id
  UNION ALL
  -- ... and the lines' ends at a junction lie together (the largest
  -- distance between two of them).
  SELECT 11, 'edge ends at a junction, spread', junction::text, ST_MaxDistance(ends, ends), 0
  FROM (SELECT junction, ST_Collect(at) AS ends
        FROM (SELECT source AS junction, ST_StartPoint(line) AS at FROM ref_edges
              UNION ALL SELECT target, ST_EndPoint(line) FROM ref_edges) e
        GROUP BY junction) j)
SELECT name, count(*),
       count(*) FILTER (WHERE l IS NULL AND r IS NULL),
       count(*) FILTER (WHERE (l IS NULL) <> (r IS NULL)),
       max(abs(l - r)),
       (array_agg(building_id ORDER BY abs(l - r) DESC NULLS LAST, building_id))[1]
FROM pairs
GROUP BY k, name
ORDER BY k;
