-- Each building's points on the streets as lantern fire gives them in
-- fire_access, after fire_graph.sql:
--
--   ref_access  building_id, edge, fraction: its access point (access_edge,
--               access_offset_m), none where it has none
--   ref_street  building_id, edge, fraction: its street point (street_edge,
--               street_offset_m)

CREATE TEMP TABLE ref_access AS
SELECT a.building_id, a.access_edge::bigint AS edge,
       CASE WHEN e.cost > 0 THEN LEAST(GREATEST(a.access_offset_m / e.cost, 0), 1) ELSE 0 END AS fraction
FROM fire_access a JOIN ref_edges e ON e.id = a.access_edge;

CREATE TEMP TABLE ref_street AS
SELECT a.building_id, a.street_edge::bigint AS edge,
       CASE WHEN e.cost > 0 THEN LEAST(GREATEST(a.street_offset_m / e.cost, 0), 1) ELSE 0 END AS fraction
FROM fire_access a JOIN ref_edges e ON e.id = a.street_edge;
