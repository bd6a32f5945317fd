-- The compliance audit's parcels as one SpatiaLite query, written apart
-- from Lantern (tests/layers/test_sample_plan.cpp,
-- tests/bench/plan_bench.sh; the views of plan_views.sql): every parcel
-- over its zone's site coverage (100 x the area of the union of its
-- buildings within it, over its area) or floor-area ratio (each building's
-- part on it times the building's floors, summed, over its area), its zone
-- being the zone holding most of it. Rows: parcel_id, zone_id, rule,
-- limit, value.
WITH built AS (
  SELECT pb.p_fid, ST_Area(ST_Intersection(ST_Union(pb.b_geom), p.geom)) AS covered,
         sum(pb.part * pb.floors) AS floor_area
  FROM parcel_buildings pb JOIN parcels p ON p.fid = pb.p_fid
  GROUP BY pb.p_fid),
measured AS MATERIALIZED (
  SELECT p.parcel_id, z.zone_id, z.max_coverage_pct, z.max_far,
         100 * built.covered / ST_Area(p.geom) AS coverage, built.floor_area / ST_Area(p.geom) AS far
  FROM built JOIN parcels p ON p.fid = built.p_fid JOIN parcel_zone pz ON pz.f_fid = built.p_fid
  JOIN zones z ON z.fid = pz.z_fid)
SELECT parcel_id, zone_id, 'max_coverage_pct', max_coverage_pct, coverage FROM measured
WHERE coverage > max_coverage_pct
UNION ALL
SELECT parcel_id, zone_id, 'max_far', max_far, far FROM measured
WHERE far > max_far;
