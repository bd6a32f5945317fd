-- The land fund as one SpatiaLite query, written apart from Lantern
-- (tests/layers/test_sample_plan.cpp), with the default underused share of
-- 0.25. A parcel's zone is the zone holding most of it; a building on it
-- one with a part of positive area. Candidates: parcels not on agricultural
-- land (the law's first group, LUC to NKH), in a zone that allows building
-- (floors, height, coverage and floor-area ratio above zero where given)
-- and their land use (the zone's list names it, or names none). Allowed
-- floor area: max_far x area, else coverage x floors x area. Vacant: no
-- building on it; underused: built floor area (each building's part times
-- its levels, one where it gives none) under 0.25 x allowed. Free land: the
-- parcel less the union of its buildings. Rows: parcel_id, status,
-- land_use, zone_id, max_floors, area_m2, free_m2, floor_area_m2,
-- allowed_floor_area_m2, remaining_floor_area_m2.
WITH zone_of AS (
  SELECT p_fid, z_fid FROM (
    SELECT p.fid AS p_fid, z.fid AS z_fid, max(ST_Area(ST_Intersection(p.geom, z.geom))) AS a
    FROM parcels p, zones z
    WHERE z.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'zones' AND search_frame = p.geom)
    GROUP BY p.fid)
  WHERE a > 0),
built AS (
  SELECT p_fid, sum(part * floors) AS floor_area FROM (
    SELECT p.fid AS p_fid, ST_Area(ST_Intersection(b.geom, p.geom)) AS part,
           CASE WHEN b.levels > 0 THEN b.levels ELSE 1 END AS floors
    FROM parcels p, buildings b
    WHERE b.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'buildings' AND search_frame = p.geom))
  WHERE part > 0
  GROUP BY p_fid),
candidates AS (
  SELECT p.parcel_id, p.land_use, p.geom, z.zone_id, z.max_floors, ST_Area(p.geom) AS area,
         coalesce(z.max_far * ST_Area(p.geom), z.max_coverage_pct / 100.0 * z.max_floors * ST_Area(p.geom)) AS allowed,
         built.floor_area
  FROM parcels p JOIN zone_of ON zone_of.p_fid = p.fid JOIN zones z ON z.fid = zone_of.z_fid
  LEFT JOIN built ON built.p_fid = p.fid
  WHERE p.land_use NOT IN ('LUC', 'LUK', 'LUN', 'BHK', 'NHK', 'CLN', 'RSX', 'RPH', 'RDD', 'NTS', 'LMU', 'NKH')
    AND coalesce(z.max_floors, 1) > 0 AND coalesce(z.max_height_m, 1) > 0
    AND coalesce(z.max_coverage_pct, 1) > 0 AND coalesce(z.max_far, 1) > 0
    AND (coalesce(trim(z.land_uses), '') = ''
         OR instr(',' || replace(z.land_uses, ' ', '') || ',', ',' || p.land_use || ',') > 0))
SELECT c.parcel_id, CASE WHEN c.floor_area IS NULL THEN 'vacant' ELSE 'underused' END, c.land_use, c.zone_id,
       c.max_floors, c.area,
       CASE WHEN c.floor_area IS NULL THEN c.area ELSE (
         SELECT ST_Area(ST_Difference(c.geom, ST_Union(b.geom))) FROM buildings b
         WHERE b.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'buildings' AND search_frame = c.geom)
           AND ST_Area(ST_Intersection(b.geom, c.geom)) > 0) END,
       coalesce(c.floor_area, 0), c.allowed, c.allowed - coalesce(c.floor_area, 0)
FROM candidates c
WHERE c.allowed > 0 AND (c.floor_area IS NULL OR c.floor_area < 0.25 * c.allowed);
