-- The compliance audit's buildings as one SpatiaLite query, written apart
-- from Lantern (tests/layers/test_sample_plan.cpp,
-- tests/bench/plan_bench.sh; the views of plan_views.sql): every building
-- over its zone's floors or height, its zone being the zone holding most of
-- its footprint. Rows: building_id, zone_id, rule, limit, value.
WITH checked AS MATERIALIZED (
  SELECT b.building_id, z.zone_id, z.max_floors, b.levels, z.max_height_m, b.height_m
  FROM building_zone bz JOIN buildings b ON b.fid = bz.f_fid JOIN zones z ON z.fid = bz.z_fid)
SELECT building_id, zone_id, 'max_floors', max_floors, levels FROM checked
WHERE levels > max_floors
UNION ALL
SELECT building_id, zone_id, 'max_height_m', max_height_m, height_m FROM checked
WHERE height_m > max_height_m;
