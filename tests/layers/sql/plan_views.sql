-- The temporary views the planning queries of this folder share, written
-- apart from Lantern (tests/layers/test_sample_plan.cpp,
-- tests/bench/plan_bench.sh): run first, on the same connection.
--
-- building_zone, parcel_zone (f_fid, z_fid): the zone holding most of each
-- building or parcel, by the largest area of intersection; candidates from
-- the zones' R*Tree through SpatiaLite's SpatialIndex table, SQLite giving
-- the bare columns the row of max(); none where no zone holds any of it.
CREATE TEMP VIEW building_zone AS
SELECT f_fid, z_fid FROM (
  SELECT b.fid AS f_fid, z.fid AS z_fid, max(ST_Area(ST_Intersection(b.geom, z.geom))) AS a
  FROM buildings b, zones z
  WHERE z.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'zones' AND search_frame = b.geom)
  GROUP BY b.fid)
WHERE a > 0;

CREATE TEMP VIEW parcel_zone AS
SELECT f_fid, z_fid FROM (
  SELECT p.fid AS f_fid, z.fid AS z_fid, max(ST_Area(ST_Intersection(p.geom, z.geom))) AS a
  FROM parcels p, zones z
  WHERE z.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'zones' AND search_frame = p.geom)
  GROUP BY p.fid)
WHERE a > 0;

-- parcel_buildings (p_fid, b_geom, part, floors): the buildings on each
-- parcel, those with a part of positive area on it, with that part's area
-- and the building's floors for floor area (its levels, one where it gives
-- none).
CREATE TEMP VIEW parcel_buildings AS
SELECT p_fid, b_geom, part, floors FROM (
  SELECT p.fid AS p_fid, b.geom AS b_geom, ST_Area(ST_Intersection(b.geom, p.geom)) AS part,
         CASE WHEN b.levels > 0 THEN b.levels ELSE 1 END AS floors
  FROM parcels p, buildings b
  WHERE b.fid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'buildings' AND search_frame = p.geom))
WHERE part > 0;
