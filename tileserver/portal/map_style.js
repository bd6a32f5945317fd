// The portal's MapLibre style, made from the server's /catalog: a base map
// from wards, water, roads and buildings, and one toggle group per theme,
// drawn only from the layers the city has. Each tile source is one request
// per tile for several layers (/tiles/a,b,c/{z}/{x}/{y}.mvt).

export const zoneColours = {
  heritage: '#b5651d',
  residential: '#f3d27a',
  'mixed-use': '#e89a5f',
  tourism: '#d96fa8',
  public: '#7da7d9',
  green: '#7fc97f',
  agriculture: '#d5e8b0',
  infrastructure: '#a7a7a7',
  water: '#a9d3ee',
};

// The flood extents' depth bands (docs/flood.md), shallow to deep.
export const depthBands = [
  { band: '0-0.3 m', risk: 'low', colour: '#c6dbef' },
  { band: '0.3-1 m', risk: 'moderate', colour: '#6baed6' },
  { band: '1-2 m', risk: 'high', colour: '#2171b5' },
  { band: 'over 2 m', risk: 'very high', colour: '#08306b' },
];

export const heritageColours = { I: '#c0392b', II: '#e67e22', site: '#7b241c' };
export const coverageColours = {
  cameras: '#8e44ad', camera_gaps: '#c0392b', lighting: '#f1c40f', lighting_gaps: '#34495e', drainage: '#138d75',
};

// Theme groups the reader switches on and off; `layers` are tile layers.
export const groups = [
  { id: 'zones', label: 'layer_zones', layers: ['zones'], visible: true },
  { id: 'parcels', label: 'layer_parcels', layers: ['parcels'], visible: true },
  { id: 'heritage', label: 'layer_heritage', layers: ['heritage_zones', 'heritage_sites'], visible: true },
  { id: 'cameras', label: 'layer_cameras', layers: ['camera_coverage', 'camera_gaps', 'cameras'], visible: false },
  { id: 'lighting', label: 'layer_lighting', layers: ['lighting_coverage', 'lighting_gaps', 'lamps'], visible: false },
  { id: 'drainage', label: 'layer_drainage', layers: ['drainage_pipes', 'drainage_nodes'], visible: false },
];

const baseLayers = ['wards', 'water', 'roads', 'buildings'];

// The classes the city added (lantern classes add), one group each, in their
// draw order; /catalog gives each its description's style rules.
export function addedClassGroups(catalog) {
  return catalog.layers
    .filter((layer) => layer.kind === 'class' && layer.added)
    .sort((a, b) => a.draw_order - b.draw_order || a.name.localeCompare(b.name))
    .map((layer) => ({ id: `class-${layer.name}`, label: className(layer.name), layers: [layer.name],
      visible: true, added: true }));
}

// A class's table name as a label: "fire_stations" as "Fire stations".
export function className(name) {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// "#rrggbb" or "#rrggbbaa" as a colour and an opacity.
function paintColour(text) {
  return { colour: text.slice(0, 7), opacity: text.length === 9 ? parseInt(text.slice(7), 16) / 255 : 1 };
}

// A described class's style rules as MapLibre layers, as the renderer draws
// them: points as dots, lines stroked, polygons filled and outlined.
function describedLayers(layer, source) {
  const layers = [];
  layer.style.forEach((rule, k) => {
    const fill = paintColour(rule.fill);
    const stroke = paintColour(rule.stroke);
    const where = rule.where ? Object.entries(rule.where)[0] : null;
    // Multi-part features may report their type as Multi*.
    const only = (geometry) => ['all', ['in', ['geometry-type'], ['literal', [geometry, `Multi${geometry}`]]],
      ...(where ? [['==', ['get', where[0]], where[1]]] : [])];
    const base = { source, 'source-layer': layer.name };
    if (layer.geometry.includes('Point'))
      layers.push({ ...base, id: `${source}-${k}-circle`, type: 'circle', filter: only('Point'),
        paint: { 'circle-color': fill.colour, 'circle-opacity': fill.opacity, 'circle-radius': rule.dot_px / 2,
          'circle-stroke-color': stroke.colour, 'circle-stroke-opacity': stroke.opacity,
          'circle-stroke-width': stroke.opacity > 0 ? 1 : 0 } });
    if (layer.geometry.includes('Polygon')) {
      if (fill.opacity > 0)
        layers.push({ ...base, id: `${source}-${k}-fill`, type: 'fill', filter: only('Polygon'),
          paint: { 'fill-color': fill.colour, 'fill-opacity': fill.opacity } });
      if (stroke.opacity > 0)
        layers.push({ ...base, id: `${source}-${k}-outline`, type: 'line', filter: only('Polygon'),
          paint: { 'line-color': stroke.colour, 'line-opacity': stroke.opacity, 'line-width': rule.stroke_px } });
    }
    if (layer.geometry === 'LineString')
      layers.push({ ...base, id: `${source}-${k}-line`, type: 'line', filter: only('LineString'),
        paint: { 'line-color': stroke.colour, 'line-opacity': stroke.opacity, 'line-width': rule.stroke_px } });
  });
  return layers;
}

// "flood_extent_2.0m" -> "2.0"; the river stages with a flood extent.
export function floodStages(catalog) {
  return catalog.layers
    .map((layer) => /^flood_extent_(\d+(?:\.\d+)?)m$/.exec(layer.name))
    .filter(Boolean)
    .map((match) => match[1])
    .sort((a, b) => Number(a) - Number(b));
}

function tileSource(origin, names) {
  return { type: 'vector', url: `${origin}/tiles/${names.join(',')}.json` };
}

function roadWidth(scale) {
  return ['interpolate', ['exponential', 1.6], ['zoom'],
    12, ['*', scale, ['match', ['get', 'class'], 'primary', 1.6, 'bridge', 1.6, 'tertiary', 1.1, 0.6]],
    18, ['*', scale, ['match', ['get', 'class'], 'primary', 22, 'bridge', 22, 'tertiary', 14, 8]]];
}

function baseStyleLayers(present) {
  const layers = [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }];
  if (present.has('wards'))
    layers.push({ id: 'wards-fill', type: 'fill', source: 'base', 'source-layer': 'wards',
      paint: { 'fill-color': ['match', ['get', 'kind'], 'commune', '#eef0e2', '#f1ece1'] } });
  if (present.has('water'))
    layers.push({ id: 'water-fill', type: 'fill', source: 'base', 'source-layer': 'water',
      paint: { 'fill-color': '#a9d3ee' } });
  return layers;
}

function baseOverlayLayers(present) {
  const layers = [];
  if (present.has('roads')) {
    layers.push({ id: 'roads-casing', type: 'line', source: 'base', 'source-layer': 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#b8ad98', 'line-width': roadWidth(1.25) } });
    layers.push({ id: 'roads-line', type: 'line', source: 'base', 'source-layer': 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': ['match', ['get', 'class'], 'primary', '#fff3c4', '#ffffff'],
        'line-width': roadWidth(1) } });
  }
  if (present.has('buildings'))
    layers.push({ id: 'buildings-fill', type: 'fill', source: 'base', 'source-layer': 'buildings',
      minzoom: 14, paint: { 'fill-color': '#d3cbbd', 'fill-outline-color': '#a89f8e', 'fill-opacity': 0.9 } });
  if (present.has('wards'))
    layers.push({ id: 'wards-line', type: 'line', source: 'base', 'source-layer': 'wards',
      paint: { 'line-color': '#7d7361', 'line-width': 1.2, 'line-dasharray': [3, 2] } });
  return layers;
}

function zoneLayers() {
  const colour = ['match', ['get', 'zone_type']];
  for (const [type, value] of Object.entries(zoneColours))
    colour.push(type, value);
  colour.push('#dddddd');
  return [
    { id: 'zones-fill', type: 'fill', source: 'zones', 'source-layer': 'zones',
      paint: { 'fill-color': colour, 'fill-opacity': 0.45 } },
    { id: 'zones-line', type: 'line', source: 'zones', 'source-layer': 'zones', minzoom: 13,
      paint: { 'line-color': '#8a7f6c', 'line-width': 0.6 } },
  ];
}

function floodLayers(level) {
  const colour = ['match', ['get', 'band']];
  for (const band of depthBands)
    colour.push(band.band, band.colour);
  colour.push('#6baed6');
  return [{ id: `flood-${level}`, type: 'fill', source: `flood-${level}`,
    'source-layer': `flood_extent_${level}m`, layout: { visibility: 'none' },
    paint: { 'fill-color': colour, 'fill-opacity': 0.72 } }];
}

function coverageLayers(present) {
  const layers = [];
  if (present.has('lighting_coverage'))
    layers.push({ id: 'lighting-fill', type: 'fill', source: 'lighting', 'source-layer': 'lighting_coverage',
      paint: { 'fill-color': coverageColours.lighting, 'fill-opacity': 0.28 } });
  if (present.has('camera_coverage'))
    layers.push({ id: 'cameras-fill', type: 'fill', source: 'cameras', 'source-layer': 'camera_coverage',
      paint: { 'fill-color': coverageColours.cameras, 'fill-opacity': 0.25 } });
  return layers;
}

// The streets no camera watches and the streets left dark, over the roads.
function gapLayers(present) {
  const layers = [];
  if (present.has('camera_gaps'))
    layers.push({ id: 'cameras-gaps', type: 'line', source: 'cameras', 'source-layer': 'camera_gaps',
      paint: { 'line-color': coverageColours.camera_gaps, 'line-width': 2.5, 'line-dasharray': [2, 1] } });
  if (present.has('lighting_gaps'))
    layers.push({ id: 'lighting-gaps', type: 'line', source: 'lighting', 'source-layer': 'lighting_gaps',
      paint: { 'line-color': coverageColours.lighting_gaps, 'line-width': 2.5, 'line-dasharray': [2, 1] } });
  return layers;
}

function pointLayers(present) {
  const layers = [];
  if (present.has('drainage_pipes'))
    layers.push({ id: 'drainage-line', type: 'line', source: 'drainage', 'source-layer': 'drainage_pipes',
      paint: { 'line-color': coverageColours.drainage, 'line-width': 1.5 } });
  if (present.has('drainage_nodes'))
    layers.push({ id: 'drainage-circle', type: 'circle', source: 'drainage', 'source-layer': 'drainage_nodes',
      paint: { 'circle-color': coverageColours.drainage, 'circle-radius': 2.5 } });
  if (present.has('lamps'))
    layers.push({ id: 'lighting-circle', type: 'circle', source: 'lighting', 'source-layer': 'lamps',
      paint: { 'circle-color': '#b7950b', 'circle-radius': 2 } });
  if (present.has('cameras'))
    layers.push({ id: 'cameras-circle', type: 'circle', source: 'cameras', 'source-layer': 'cameras',
      paint: { 'circle-color': coverageColours.cameras, 'circle-radius': 3.5,
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } });
  return layers;
}

function heritageLayers(present) {
  const layers = [];
  const colour = ['match', ['get', 'protection'], 'I', heritageColours.I, heritageColours.II];
  if (present.has('heritage_zones')) {
    layers.push({ id: 'heritage-fill', type: 'fill', source: 'heritage', 'source-layer': 'heritage_zones',
      paint: { 'fill-color': colour, 'fill-opacity': 0.12 } });
    layers.push({ id: 'heritage-line', type: 'line', source: 'heritage', 'source-layer': 'heritage_zones',
      paint: { 'line-color': colour, 'line-width': 2.5 } });
  }
  if (present.has('heritage_sites'))
    layers.push({ id: 'heritage-circle', type: 'circle', source: 'heritage', 'source-layer': 'heritage_sites',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-color': heritageColours.site, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3, 17, 7],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } });
  return layers;
}

// The style and what the controls need: for each group the style layers it
// switches and whether the city has its data, and for each flood stage its
// style layer. Groups of added classes (addedClassGroups) are drawn over
// the built-in ones with their descriptions' styles.
export function buildStyle(catalog, origin, centre) {
  const present = new Set(catalog.layers.map((layer) => layer.name));
  const sources = {};
  const use = (id, names) => {
    const have = names.filter((name) => present.has(name));
    if (have.length)
      sources[id] = tileSource(origin, have);
    return have.length > 0;
  };
  use('base', baseLayers);
  for (const group of groups)
    use(group.id, group.layers);
  const stages = floodStages(catalog);
  for (const level of stages)
    use(`flood-${level}`, [`flood_extent_${level}m`]);

  const layers = [...baseStyleLayers(present)];
  if (sources.zones)
    layers.push(...zoneLayers());
  for (const level of stages)
    layers.push(...floodLayers(level));
  layers.push(...coverageLayers(present));
  layers.push(...baseOverlayLayers(present));
  if (sources.parcels)
    layers.push({ id: 'parcels-line', type: 'line', source: 'parcels', 'source-layer': 'parcels',
      minzoom: 15, paint: { 'line-color': '#5b5448', 'line-width': 0.5, 'line-opacity': 0.7 } });
  layers.push(...gapLayers(present), ...heritageLayers(present), ...pointLayers(present));
  for (const group of groups.filter((g) => g.added && sources[g.id]))
    layers.push(...describedLayers(catalog.layers.find((layer) => layer.name === group.layers[0]), group.id));
  if (sources.parcels)
    layers.push({ id: 'parcel-selected', type: 'line', source: 'parcels', 'source-layer': 'parcels',
      filter: ['==', ['get', 'parcel_id'], ''], paint: { 'line-color': '#e11d48', 'line-width': 3.5 } });

  const groupLayers = {};
  for (const group of groups)
    groupLayers[group.id] = layers
      .filter((layer) => layer.source === group.id && layer.id !== 'parcel-selected')
      .map((layer) => layer.id);
  return {
    style: { version: 8, center: centre, zoom: 14, sources, layers },
    groupLayers,
    stages,
  };
}
