-- The compliance audit's buildings as one SpatiaLite query, written apart
-- from Lantern (tests/layers/test_sample_plan.cpp):
-- every building over its zone's floors or height, its zone being the zone
-- holding most of its footprint (largest area of intersection; candidates
-- from the zones' R*Tree through SpatiaLite's SpatialIndex table; SQLite
-- gives the bare columns the row of max()). Rows: building_id, zone_id,
-- rule, limit, value.
WITH zone_of AS (
  SELECT b_fid, z_fid FROM (
    SELECT b.fid AS b_fid, z.fid AS z_fid, max(ST_Area(ST_Intersection(b.geom, z.geom))) AS a
    FROM buildings b, zones z
    WHERE z.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'zones' AND search_frame = b.geom)
    GROUP BY b.fid)
  WHERE a > 0)
SELECT b.building_id, z.zone_id, 'max_floors', z.max_floors, b.levels
FROM zone_of JOIN buildings b ON b.fid = zone_of.b_fid JOIN zones z ON z.fid = zone_of.z_fid
WHERE b.levels > z.max_floors
UNION ALL
SELECT b.building_id, z.zone_id, 'max_height_m', z.max_height_m, b.height_m
FROM zone_of JOIN buildings b ON b.fid = zone_of.b_fid JOIN zones z ON z.fid = zone_of.z_fid
WHERE b.height_m > z.max_height_m;
