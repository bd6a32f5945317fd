// The portal's MapLibre style, made from the server's /catalog: every class
// drawn by its description's style rules (the ones `lantern render` draws
// with), in its draw order; results, which are no classes, in the portal's
// own colours; one toggle group per theme, drawn only from the layers the
// city has; names labelled by the classes' label rules. Each tile source
// is one request per tile for several layers (/tiles/a,b,c/{z}/{x}/{y}.mvt).

// The flood extents' depth bands (docs/flood.md), shallow to deep.
export const depthBands = [
  { band: '0-0.3 m', risk: 'low', colour: '#c6dbef' },
  { band: '0.3-1 m', risk: 'moderate', colour: '#6baed6' },
  { band: '1-2 m', risk: 'high', colour: '#2171b5' },
  { band: 'over 2 m', risk: 'very high', colour: '#08306b' },
];

export const resultColours = {
  camera_coverage: '#8e44ad', camera_gaps: '#c0392b', lighting_coverage: '#f1c40f', lighting_gaps: '#34495e',
  // The land fund by status and the audit (docs/permits.md), as `lantern land` and `lantern audit` draw them.
  land_fund_vacant: '#1a9850', land_fund_underused: '#a6d96a',
  parcel_violations: '#fdae61', building_violations: '#d7191c',
  // Fire access (docs/fire.md): each building by its worst flag, the streets
  // the engine cannot use, the streets a flood closes and the long dead ends.
  fire_within: '#1a9850', fire_beyond_target: '#fee08b', fire_beyond_hose: '#f46d43', fire_unreachable: '#a50026',
  fire_lost: '#762a83', fire_unusable: '#fd8d3c', fire_closed: '#08519c', fire_dead_ends: '#e7298a',
};

// A building's fire access by its worst flag, worst first: what a flood
// takes away (lost at the stage), no engine reaches it, the hose too short,
// beyond the response target, else within reach: [flag, key], the key
// naming its colour in resultColours and its words in strings.js.
export const fireClasses = [
  ['lost_access', 'fire_lost'],
  ['unreachable', 'fire_unreachable'],
  ['beyond_hose', 'fire_beyond_hose'],
  ['beyond_target', 'fire_beyond_target'],
];

// The colour a fire_access building is drawn in, as a MapLibre expression.
export function fireColour() {
  const expression = ['case'];
  for (const [flag, colour] of fireClasses)
    expression.push(['==', ['get', flag], 1], resultColours[colour]);
  expression.push(resultColours.fire_within);
  return expression;
}

// Theme groups the reader switches on and off: the classes of a theme (the
// layer their description names) and the results that go with them. The
// classes of the base theme are always drawn.
export const groups = [
  { id: 'zones', label: 'layer_zones', theme: 'planning', results: [], visible: true },
  { id: 'parcels', label: 'layer_parcels', theme: 'land', results: [], visible: true },
  { id: 'heritage', label: 'layer_heritage', theme: 'heritage', results: [], visible: true },
  { id: 'cameras', label: 'layer_cameras', theme: 'camera', results: ['camera_coverage', 'camera_gaps'], visible: false },
  { id: 'lighting', label: 'layer_lighting', theme: 'lighting', results: ['lighting_coverage', 'lighting_gaps'],
    visible: false },
  { id: 'drainage', label: 'layer_drainage', theme: 'drainage', results: [], visible: false },
  { id: 'land_fund', label: 'layer_land_fund', classes: [], results: ['land_fund'], visible: false },
  { id: 'audit', label: 'layer_audit', classes: [], results: ['parcel_violations', 'building_violations'],
    visible: false },
  { id: 'fire', label: 'layer_fire', theme: 'fire', results: ['fire_access', 'fire_streets', 'fire_dead_ends'],
    visible: false },
];

// Where results are drawn among the classes, by draw order: flood extents
// and coverage areas over the planning zones, the streets left unwatched
// or dark over the roads and buildings.
const areaResultsOver = 35;
const lineResultsOver = 75;

const classesOf = (catalog) => catalog.layers.filter((layer) => layer.kind === 'class');

// The classes the city added in a theme no group above has, one group each,
// in their draw order; the others join their theme's group.
export function addedClassGroups(catalog) {
  const themes = new Set(['base', ...groups.map((g) => g.theme)]);
  return classesOf(catalog)
    .filter((layer) => layer.added && !themes.has(layer.theme))
    .sort((a, b) => a.draw_order - b.draw_order || a.name.localeCompare(b.name))
    .map((layer) => ({ id: `class-${layer.name}`, label: className(layer.name), classes: [layer.name], results: [],
      visible: true, added: true }));
}

// The tile layers a group switches: its classes and results.
function groupMembers(catalog, group) {
  const classes = group.classes ?? classesOf(catalog).filter((layer) => layer.theme === group.theme)
    .map((layer) => layer.name);
  return [...classes, ...group.results];
}

// A class's table name as a label: "fire_stations" as "Fire stations".
export function className(name) {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// "#rrggbb" or "#rrggbbaa" as a colour and an opacity.
export function paintColour(text) {
  return { colour: text.slice(0, 7), opacity: text.length === 9 ? parseInt(text.slice(7), 16) / 255 : 1 };
}

// Metres on the ground per screen pixel at zoom 0 on the equator, for
// widths given in metres (stroke_m).
const metresPerPixelAtZoom0 = 156543.03;

// A rule's line width: stroke_px, or as wide as stroke_m on the ground where
// that is wider. On the ground a width doubles with each zoom level, so it
// is stroke_px up to the zoom where the two meet and exponential above.
function lineWidth(rule, latitude) {
  if (!rule.stroke_m)
    return rule.stroke_px;
  const metresPerPixel = (zoom) => metresPerPixelAtZoom0 * Math.cos((latitude * Math.PI) / 180) / 2 ** zoom;
  const [low, high] = [6, 24];
  const meet = Math.log2((rule.stroke_px * metresPerPixel(0)) / rule.stroke_m);
  const stops = meet > low && meet < high ? [low, rule.stroke_px, meet, rule.stroke_px] : [low, rule.stroke_px];
  return ['interpolate', ['exponential', 2], ['zoom'], ...stops,
    high, Math.max(rule.stroke_px, rule.stroke_m / metresPerPixel(high))];
}

// A class's style rules as MapLibre layers, as `lantern render` draws them:
// points as dots, lines stroked, polygons filled and outlined. Dots shrink
// below the class's full-detail zooms so that they do not merge.
export function classLayers(layer, source, latitude) {
  const layers = [];
  layer.style.forEach((rule, k) => {
    const fill = paintColour(rule.fill);
    const stroke = paintColour(rule.stroke);
    const where = rule.where ? Object.entries(rule.where)[0] : null;
    // Multi-part features may report their type as Multi*.
    const only = (geometry) => ['all', ['in', ['geometry-type'], ['literal', [geometry, `Multi${geometry}`]]],
      ...(where ? [['==', ['get', where[0]], where[1]]] : [])];
    const base = { source, 'source-layer': layer.name, metadata: { class: layer.name, rule: k } };
    const id = (kind) => `${layer.name}-${k}-${kind}`;
    if (layer.geometry.includes('Point'))
      layers.push({ ...base, id: id('circle'), type: 'circle', filter: only('Point'),
        paint: { 'circle-color': fill.colour, 'circle-opacity': fill.opacity,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, rule.dot_px / 5, 16, rule.dot_px / 2],
          'circle-stroke-color': stroke.colour, 'circle-stroke-opacity': stroke.opacity,
          'circle-stroke-width': stroke.opacity > 0 ? 1 : 0 } });
    if (layer.geometry.includes('Polygon')) {
      if (fill.opacity > 0)
        layers.push({ ...base, id: id('fill'), type: 'fill', filter: only('Polygon'),
          paint: { 'fill-color': fill.colour, 'fill-opacity': fill.opacity } });
      if (stroke.opacity > 0)
        layers.push({ ...base, id: id('outline'), type: 'line', filter: only('Polygon'),
          paint: { 'line-color': stroke.colour, 'line-opacity': stroke.opacity, 'line-width': rule.stroke_px } });
    }
    if (layer.geometry === 'LineString' && stroke.opacity > 0)
      layers.push({ ...base, id: id('line'), type: 'line', filter: only('LineString'),
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': stroke.colour, 'line-opacity': stroke.opacity,
          'line-width': lineWidth(rule, latitude) } });
  });
  return layers;
}

// Names on the map, as `lantern render` places them: each class's label
// rules from /catalog (its description's), in Noto Sans from the server's
// own glyphs (/fonts, DejaVu Sans where Noto Sans lacks a letter), with a
// halo; along lines, beside points, inside areas. A rule's priorities become
// a layer each, and the label layers go on top by priority, the first
// (lowest) topmost: MapLibre places the topmost first, so heritage sites
// come before main streets, wards, other streets and water, as on the maps.
export const labelFonts = {
  regular: ['Noto Sans Regular', 'DejaVu Sans Book'],
  bold: ['Noto Sans Bold', 'DejaVu Sans Bold'],
  italic: ['Noto Sans Italic', 'DejaVu Sans Oblique'],
};

// The zoom a name is shown from: areas (wards, water) from the city's
// scale; points and main streets from the neighbourhood's; other streets a
// level closer, where the old town's short streets have room for a name.
function labelMinZoom(geometry, priority) {
  if (geometry === 'Polygon')
    return 11;
  if (geometry === 'LineString')
    return priority <= 2 ? 14 : 15;
  return 14;
}

// A class's label layers, from its tile source, or for an area class with
// one point per area (area_labels.js) from the GeoJSON source `points`.
export function labelLayers(layer, source, points = null) {
  const layers = [];
  (layer.labels ?? []).forEach((rule, k) => {
    const where = rule.where ? Object.entries(rule.where)[0] : null;
    const [byField, byValue] = rule.priority_by ? Object.entries(rule.priority_by)[0] : [null, {}];
    const valuesOf = new Map();  // priority -> the values that have it
    for (const [value, priority] of Object.entries(byValue))
      valuesOf.set(priority, [...(valuesOf.get(priority) ?? []), value]);
    const listed = Object.keys(byValue);
    const parts = [...valuesOf].map(([priority, values]) =>
      ({ priority, only: ['in', ['get', byField], ['literal', values]] }));
    parts.push({ priority: rule.priority, only: listed.length ? ['!', ['in', ['get', byField], ['literal', listed]]] : null });
    const colour = paintColour(rule.colour);
    const line = layer.geometry === 'LineString';
    const point = layer.geometry.includes('Point');
    const from = points ? { source: points } : { source, 'source-layer': layer.name };
    for (const { priority, only } of parts)
      layers.push({
        id: `${layer.name}-label-${k}-${priority}`, type: 'symbol', ...from,
        minzoom: Math.max(layer.minzoom, labelMinZoom(layer.geometry, priority)),
        filter: ['all', ['has', rule.field], ...(where ? [['==', ['get', where[0]], where[1]]] : []),
          ...(only ? [only] : [])],
        // The group that switches the class switches its names.
        metadata: { class: layer.name, label: k, priority, group: source },
        layout: {
          'text-field': ['get', rule.field],
          'text-font': rule.bold ? labelFonts.bold : rule.italic ? labelFonts.italic : labelFonts.regular,
          'text-size': Math.round(rule.size_px * 1.2),
          'text-padding': 3,
          'symbol-placement': line ? 'line' : 'point',
          ...(line ? { 'symbol-spacing': rule.spacing_px || 250, 'text-max-angle': 30 } : { 'text-max-width': 9 }),
          ...(point ? { 'text-variable-anchor': ['left', 'right', 'top', 'bottom'], 'text-radial-offset': 0.8,
            'text-justify': 'auto' } : {}),
        },
        paint: { 'text-color': colour.colour, 'text-opacity': colour.opacity,
          'text-halo-color': '#fffdf8', 'text-halo-width': 1.6, 'text-halo-blur': 0.4 },
      });
  });
  return layers;
}

// A class's legend: a swatch for its first rule for every feature, then
// one per rule with a condition; each [colour, shape, condition or null].
// A rule for every feature that only outlines what conditions fill (the
// zones' boundaries) gets none.
export function classLegend(layer) {
  const shape = layer.geometry === 'Point' ? 'dot' : layer.geometry === 'LineString' ? 'line' : 'box';
  const conditional = layer.style.filter((rule) => rule.where);
  const everyFeature = layer.style.filter((rule) => !rule.where)
    .filter((rule) => !conditional.length || shape !== 'box' || paintColour(rule.fill).opacity > 0)
    .slice(0, 1);
  return [...everyFeature, ...conditional].map((rule) => {
    const noFill = paintColour(rule.fill).opacity === 0;
    const colour = shape === 'line' || noFill ? rule.stroke : rule.fill;
    return [colour.slice(0, 7), noFill && shape === 'box' ? 'outline' : shape,
      rule.where ? Object.entries(rule.where)[0] : null];
  });
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

function floodLayers(level) {
  const colour = ['match', ['get', 'band']];
  for (const band of depthBands)
    colour.push(band.band, band.colour);
  colour.push('#6baed6');
  return [{ id: `flood-${level}`, type: 'fill', source: `flood-${level}`,
    'source-layer': `flood_extent_${level}m`, layout: { visibility: 'none' },
    paint: { 'fill-color': colour, 'fill-opacity': 0.72 } }];
}

// Coverage areas, and the streets no camera watches and the streets left dark.
function resultLayers(present, source, area, gaps) {
  const layers = [];
  if (present.has(area))
    layers.push({ id: `${area}-fill`, type: 'fill', source, 'source-layer': area,
      paint: { 'fill-color': resultColours[area], 'fill-opacity': 0.28 } });
  if (present.has(gaps))
    layers.push({ id: `${gaps}-line`, type: 'line', source, 'source-layer': gaps,
      paint: { 'line-color': resultColours[gaps], 'line-width': 2.5, 'line-dasharray': [2, 1] } });
  return layers;
}

// The style and what the controls need: for each group the style layers it
// switches and whether the city has its data, and for each flood stage its
// style layer. `groups` holds the added classes' groups (addedClassGroups)
// by now; `areaPoints` the area classes' label points (area_labels.js).
export function buildStyle(catalog, origin, centre, areaPoints = {}) {
  const present = new Set(catalog.layers.map((layer) => layer.name));
  const sources = {};
  const sourceOf = {};  // a tile layer's source
  const use = (id, names) => {
    const have = names.filter((name) => present.has(name));
    if (have.length)
      sources[id] = tileSource(origin, have);
    for (const name of have)
      sourceOf[name] = id;
  };
  const classes = classesOf(catalog).sort((a, b) => a.draw_order - b.draw_order || a.name.localeCompare(b.name));
  use('base', classes.filter((layer) => layer.theme === 'base').map((layer) => layer.name));
  for (const group of groups)
    use(group.id, groupMembers(catalog, group));
  const stages = floodStages(catalog);
  for (const level of stages)
    use(`flood-${level}`, [`flood_extent_${level}m`]);

  const layers = [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }];
  const areaResults = [
    ...stages.flatMap(floodLayers),
    ...resultLayers(present, sourceOf.lighting_coverage, 'lighting_coverage', null),
    ...resultLayers(present, sourceOf.camera_coverage, 'camera_coverage', null),
  ];
  if (present.has('land_fund'))
    areaResults.push({ id: 'land_fund-fill', type: 'fill', source: sourceOf.land_fund, 'source-layer': 'land_fund',
      paint: { 'fill-color': ['match', ['get', 'status'], 'vacant', resultColours.land_fund_vacant,
        resultColours.land_fund_underused], 'fill-opacity': 0.75 } });
  if (present.has('parcel_violations'))
    areaResults.push({ id: 'parcel_violations-fill', type: 'fill', source: sourceOf.parcel_violations,
      'source-layer': 'parcel_violations', paint: { 'fill-color': resultColours.parcel_violations, 'fill-opacity': 0.7 } });
  const lineResults = [
    ...resultLayers(present, sourceOf.camera_gaps, null, 'camera_gaps'),
    ...resultLayers(present, sourceOf.lighting_gaps, null, 'lighting_gaps'),
  ];
  // Over the buildings they mark.
  if (present.has('building_violations'))
    lineResults.push({ id: 'building_violations-fill', type: 'fill', source: sourceOf.building_violations,
      'source-layer': 'building_violations', paint: { 'fill-color': resultColours.building_violations } });
  if (present.has('fire_access'))
    lineResults.push({ id: 'fire_access-fill', type: 'fill', source: sourceOf.fire_access, 'source-layer': 'fire_access',
      paint: { 'fill-color': fireColour(), 'fill-opacity': 0.85 } });
  // Over the roads: the streets the engine may not use, then those a flood
  // (or works) closes, then the dead ends too long for it.
  if (present.has('fire_streets'))
    lineResults.push(
      { id: 'fire_streets-unusable', type: 'line', source: sourceOf.fire_streets, 'source-layer': 'fire_streets',
        filter: ['all', ['==', ['get', 'usable'], 0], ['!=', ['get', 'closed'], 1]],
        layout: { 'line-cap': 'round' }, paint: { 'line-color': resultColours.fire_unusable, 'line-width': 2.5 } },
      { id: 'fire_streets-closed', type: 'line', source: sourceOf.fire_streets, 'source-layer': 'fire_streets',
        filter: ['==', ['get', 'closed'], 1],
        paint: { 'line-color': resultColours.fire_closed, 'line-width': 3.5, 'line-dasharray': [1.5, 1] } });
  if (present.has('fire_dead_ends'))
    lineResults.push({ id: 'fire_dead_ends-line', type: 'line', source: sourceOf.fire_dead_ends,
      'source-layer': 'fire_dead_ends',
      paint: { 'line-color': resultColours.fire_dead_ends, 'line-width': 4, 'line-opacity': 0.8, 'line-dasharray': [2, 1] } });
  for (const layer of classes) {
    if (areaResults.length && layer.draw_order > areaResultsOver)
      layers.push(...areaResults.splice(0));
    if (lineResults.length && layer.draw_order > lineResultsOver)
      layers.push(...lineResults.splice(0));
    if (sourceOf[layer.name])
      layers.push(...classLayers(layer, sourceOf[layer.name], centre[1]));
  }
  layers.push(...areaResults, ...lineResults);
  if (sourceOf.parcels)
    layers.push({ id: 'parcel-selected', type: 'line', source: sourceOf.parcels, 'source-layer': 'parcels',
      filter: ['==', ['get', 'parcel_id'], ''], paint: { 'line-color': '#e11d48', 'line-width': 3.5 } });
  const labels = classes.filter((layer) => sourceOf[layer.name]).flatMap((layer) => {
    if (!areaPoints[layer.name])
      return labelLayers(layer, sourceOf[layer.name]);
    sources[`${layer.name}-names`] = { type: 'geojson', data: areaPoints[layer.name] };
    return labelLayers(layer, sourceOf[layer.name], `${layer.name}-names`);
  });
  layers.push(...labels.sort((a, b) => b.metadata.priority - a.metadata.priority));

  const groupLayers = {};
  const groupMembersPresent = {};
  for (const group of groups) {
    groupLayers[group.id] = layers
      .filter((layer) => (layer.source === group.id || layer.metadata?.group === group.id) &&
        layer.id !== 'parcel-selected')
      .map((layer) => layer.id);
    groupMembersPresent[group.id] = groupMembers(catalog, group).filter((name) => present.has(name));
  }
  return {
    style: { version: 8, center: centre, zoom: 14, glyphs: `${origin}/fonts/{fontstack}/{range}.pbf`, sources, layers },
    groupLayers,
    groupMembers: groupMembersPresent,
    stages,
  };
}

// The outline the permit check's panel draws (permit_panel.js), from a
// GeoJSON source of its corners and the outline: closed, filled; while
// drawn, a dashed line to the pointer.
export function draftLayers(source) {
  const colour = '#e11d48';
  return [
    { id: 'permit-draft-fill', type: 'fill', source, filter: ['==', ['get', 'kind'], 'outline'],
      paint: { 'fill-color': colour, 'fill-opacity': 0.25 } },
    { id: 'permit-draft-outline', type: 'line', source, filter: ['==', ['get', 'kind'], 'outline'],
      paint: { 'line-color': colour, 'line-width': 2.5 } },
    { id: 'permit-draft-line', type: 'line', source, filter: ['==', ['get', 'kind'], 'drawing'],
      paint: { 'line-color': colour, 'line-width': 2, 'line-dasharray': [2, 1] } },
    { id: 'permit-draft-corners', type: 'circle', source, filter: ['==', ['get', 'kind'], 'corner'],
      paint: { 'circle-radius': 4.5, 'circle-color': '#fff', 'circle-stroke-color': colour, 'circle-stroke-width': 2 } },
  ];
}
