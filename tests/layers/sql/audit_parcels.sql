-- The compliance audit's parcels as one SpatiaLite query, written apart
-- from Lantern (tests/layers/test_sample_plan.cpp):
-- every parcel over its zone's site coverage (100 x the area of the union
-- of its buildings within it, over its area) or floor-area ratio (each
-- building's part on it times the building's levels, one where it gives
-- none, summed, over its area); its zone the zone holding most of it, a
-- building on it one with a part of positive area. Rows: parcel_id,
-- zone_id, rule, limit, value.
WITH zone_of AS (
  SELECT p_fid, z_fid FROM (
    SELECT p.fid AS p_fid, z.fid AS z_fid, max(ST_Area(ST_Intersection(p.geom, z.geom))) AS a
    FROM parcels p, zones z
    WHERE z.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'zones' AND search_frame = p.geom)
    GROUP BY p.fid)
  WHERE a > 0),
on_parcel AS (
  SELECT * FROM (
    SELECT p.fid AS p_fid, b.geom AS b_geom, ST_Area(ST_Intersection(b.geom, p.geom)) AS part,
           CASE WHEN b.levels > 0 THEN b.levels ELSE 1 END AS floors
    FROM parcels p, buildings b
    WHERE b.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'buildings' AND search_frame = p.geom))
  WHERE part > 0),
built AS (
  SELECT o.p_fid, ST_Area(ST_Intersection(ST_Union(o.b_geom), p.geom)) AS covered,
         sum(o.part * o.floors) AS floor_area
  FROM on_parcel o JOIN parcels p ON p.fid = o.p_fid
  GROUP BY o.p_fid),
measured AS (
  SELECT p.parcel_id, z.zone_id, z.max_coverage_pct, z.max_far,
         100 * built.covered / ST_Area(p.geom) AS coverage, built.floor_area / ST_Area(p.geom) AS far
  FROM built JOIN parcels p ON p.fid = built.p_fid JOIN zone_of ON zone_of.p_fid = built.p_fid
  JOIN zones z ON z.fid = zone_of.z_fid)
SELECT parcel_id, zone_id, 'max_coverage_pct', max_coverage_pct, coverage FROM measured
WHERE coverage > max_coverage_pct
UNION ALL
SELECT parcel_id, zone_id, 'max_far', max_far, far FROM measured
WHERE far > max_far;
