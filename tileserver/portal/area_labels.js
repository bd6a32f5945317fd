// One name per area, placed as `lantern render` places area names: inside
// the area, at the point farthest from its edge (of its largest part).
// Tiles cut an area at their edges and MapLibre names each piece, so a ward
// across four tiles would be named four times; the points are worked out
// once from the class's features (OGC API - Features, GeoJSON) instead, for
// the area classes with label rules and no more features than one page.

const maxFeatures = 1000;

// The signed area of a ring (x east, y north): positive anticlockwise.
function ringArea(ring) {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return sum / 2;
}

// Even-odd over every ring, so holes are outside.
function inside(rings, x, y) {
  let odd = false;
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi)
        odd = !odd;
    }
  return odd;
}

function edgeDistance(rings, x, y) {
  let nearest = Infinity;
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = ring[j];
      const dx = ring[i][0] - ax;
      const dy = ring[i][1] - ay;
      const length = dx * dx + dy * dy;
      const t = length ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length)) : 0;
      nearest = Math.min(nearest, Math.hypot(ax + t * dx - x, ay + t * dy - y));
    }
  return nearest;
}

// The point of a polygon (rings in lon/lat) farthest from its edge, found
// on a grid refined three times around the best point so far; metres are
// kept square by shrinking longitudes by the cosine of the latitude.
export function farthestInside(polygon) {
  const squeeze = Math.cos((polygon[0][0][1] * Math.PI) / 180);
  const rings = polygon.map((ring) => ring.map(([lon, lat]) => [lon * squeeze, lat]));
  const xs = rings[0].map((p) => p[0]);
  const ys = rings[0].map((p) => p[1]);
  let [cx, cy] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  let size = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  let best = null;
  const steps = 16;
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i <= steps; i++)
      for (let j = 0; j <= steps; j++) {
        const x = cx - size / 2 + (size * i) / steps;
        const y = cy - size / 2 + (size * j) / steps;
        if (!inside(rings, x, y))
          continue;
        const distance = edgeDistance(rings, x, y);
        if (!best || distance > best.distance)
          best = { x, y, distance };
      }
    if (!best)
      return null;
    [cx, cy, size] = [best.x, best.y, (size * 4) / steps];
  }
  return [best.x / squeeze, best.y];
}

function labelPoint(geometry) {
  const polygons = geometry?.type === 'Polygon' ? [geometry.coordinates]
    : geometry?.type === 'MultiPolygon' ? geometry.coordinates : [];
  const largest = polygons.reduce((a, b) => (!a || Math.abs(ringArea(b[0])) > Math.abs(ringArea(a[0])) ? b : a), null);
  return largest ? farthestInside(largest) : null;
}

// For each area class to name: its features as points with their
// properties, ready for a GeoJSON source. A class whose features cannot be
// read is left out (its names then come from the tiles).
export async function areaLabelPoints(catalog, origin) {
  const wanted = catalog.layers.filter((layer) => layer.kind === 'class' && layer.geometry === 'Polygon' &&
    layer.labels?.length && layer.feature_count > 0 && layer.feature_count <= maxFeatures);
  const points = {};
  await Promise.all(wanted.map(async (layer) => {
    try {
      const response = await fetch(`${origin}/ogc/collections/${encodeURIComponent(layer.name)}/items?limit=${maxFeatures}`);
      if (!response.ok)
        return;
      const { features } = await response.json();
      points[layer.name] = { type: 'FeatureCollection', features: features.flatMap((feature) => {
        const point = labelPoint(feature.geometry);
        return point ? [{ type: 'Feature', properties: feature.properties, geometry: { type: 'Point', coordinates: point } }] : [];
      }) };
    } catch {
      // Named from the tiles instead.
    }
  }));
  return points;
}
