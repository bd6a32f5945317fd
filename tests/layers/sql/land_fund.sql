-- The land fund as one SpatiaLite query, written apart from Lantern
-- (tests/layers/test_sample_plan.cpp, tests/bench/plan_bench.sh; the views
-- of plan_views.sql), with the default underused share of 0.25. A parcel's
-- zone is the zone holding most of it. Candidates: parcels not on
-- agricultural land (the law's first group, LUC to NKH), in a zone that
-- allows building (floors, height, coverage and floor-area ratio above zero
-- where given) and their land use (the zone's list names it, or names
-- none). Allowed floor area: max_far x area, else coverage x floors x area.
-- Vacant: no building on it; underused: built floor area (each building's
-- part on it times its floors) under 0.25 x allowed. Free land: the parcel
-- less the union of its buildings. Rows: parcel_id, status, land_use,
-- zone_id, max_floors, area_m2, free_m2, floor_area_m2,
-- allowed_floor_area_m2, remaining_floor_area_m2.
WITH built AS (
  SELECT p_fid, sum(part * floors) AS floor_area FROM parcel_buildings GROUP BY p_fid),
candidates AS (
  SELECT p.fid, p.parcel_id, p.land_use, p.geom, z.zone_id, z.max_floors, ST_Area(p.geom) AS area,
         coalesce(z.max_far * ST_Area(p.geom), z.max_coverage_pct / 100.0 * z.max_floors * ST_Area(p.geom)) AS allowed,
         built.floor_area
  FROM parcels p JOIN parcel_zone pz ON pz.f_fid = p.fid JOIN zones z ON z.fid = pz.z_fid
  LEFT JOIN built ON built.p_fid = p.fid
  WHERE p.land_use NOT IN ('LUC', 'LUK', 'LUN', 'BHK', 'NHK', 'CLN', 'RSX', 'RPH', 'RDD', 'NTS', 'LMU', 'NKH')
    AND coalesce(z.max_floors, 1) > 0 AND coalesce(z.max_height_m, 1) > 0
    AND coalesce(z.max_coverage_pct, 1) > 0 AND coalesce(z.max_far, 1) > 0
    AND (coalesce(trim(z.land_uses), '') = ''
         OR instr(',' || replace(z.land_uses, ' ', '') || ',', ',' || p.land_use || ',') > 0))
SELECT c.parcel_id, CASE WHEN c.floor_area IS NULL THEN 'vacant' ELSE 'underused' END, c.land_use, c.zone_id,
       c.max_floors, c.area,
       CASE WHEN c.floor_area IS NULL THEN c.area
            ELSE (SELECT ST_Area(ST_Difference(c.geom, ST_Union(pb.b_geom))) FROM parcel_buildings pb
                  WHERE pb.p_fid = c.fid) END,
       coalesce(c.floor_area, 0), c.allowed, c.allowed - coalesce(c.floor_area, 0)
FROM candidates c
WHERE c.allowed > 0 AND (c.floor_area IS NULL OR c.floor_area < 0.25 * c.allowed);
