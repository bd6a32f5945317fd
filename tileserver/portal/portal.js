// The public planning lookup portal: Lantern's own vector tiles in
// MapLibre GL JS, a lookup panel for any place clicked, a search box, theme
// toggles with their legend, a flood-level selector, permalinks, two
// languages, a printable parcel sheet and a building's permit pre-check
// (permit_panel.js). Everything it loads comes from
// the server that serves it.

import * as maplibregl from './maplibre-gl.mjs';
import {
  addedClassGroups, buildStyle, classLegend, className, depthBands, fireClasses, groups, resultColours,
} from './map_style.js';
import { areaLabelPoints } from './area_labels.js';
import { el, lookupSections, parcelSections, wardLabel } from './panel.js';
import { setUpPermitPanel } from './permit_panel.js';
import { language, languages, number, setLanguage, stageLabel, t, tOr } from './strings.js';

const origin = window.location.origin;
const $ = (id) => document.getElementById(id);

// What the URL holds: the view, the selected place, the layers, the language.
const state = {
  view: null,          // { zoom, lat, lon }
  at: null,            // [lon, lat] of a looked-up point
  parcel: null,        // a parcel id
  groups: new Set(groups.filter((g) => g.visible).map((g) => g.id)),
  flood: '',           // a stage level ("2.0") or '' for none
};

let map = null;
let catalog = null;
let style = null;
let marker = null;
let shown = null;      // { kind: 'point' | 'parcel', answer }
let permit = null;     // the permit check's panel (permit_panel.js)

function readHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const view = (params.get('map') ?? '').split('/').map(Number);
  if (view.length === 3 && view.every(Number.isFinite))
    state.view = { zoom: view[0], lat: view[1], lon: view[2] };
  const at = (params.get('at') ?? '').split(',').map(Number);
  if (at.length === 2 && at.every(Number.isFinite))
    state.at = at;
  state.parcel = params.get('parcel') || null;
  if (params.has('layers'))
    state.groups = new Set(params.get('layers').split(',').filter((id) => groups.some((g) => g.id === id)));
  state.flood = params.get('flood') ?? '';
  setLanguage(params.get('lang') ?? (navigator.language?.startsWith('vi') ? 'vi' : 'en'));
}

function writeHash() {
  const params = new URLSearchParams();
  if (map) {
    const c = map.getCenter();
    params.set('map', `${map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`);
  }
  if (state.parcel)
    params.set('parcel', state.parcel);
  else if (state.at)
    params.set('at', `${state.at[0].toFixed(6)},${state.at[1].toFixed(6)}`);
  params.set('layers', [...state.groups].join(','));
  if (state.flood)
    params.set('flood', state.flood);
  params.set('lang', language());
  // Commas and slashes read better unescaped and are legal in a fragment.
  const hash = params.toString().replaceAll('%2C', ',').replaceAll('%2F', '/');
  history.replaceState(null, '', `#${hash}`);
}

async function getJson(path) {
  const response = await fetch(`${origin}${path}`);
  const body = await response.json().catch(() => ({}));
  if (!response.ok)
    throw Object.assign(new Error(body.error ?? response.statusText), { status: response.status });
  return body;
}

// ---- the panel ----------------------------------------------------------

function showPanel(title, sections, actions = []) {
  permit?.close();
  const panel = $('panel');
  $('panel-title').textContent = title;
  $('panel-body').replaceChildren(...sections);
  $('panel-actions').replaceChildren(...actions);
  panel.hidden = false;
  document.body.classList.add('panel-open');
}

function closePanel() {
  $('panel').hidden = true;
  document.body.classList.remove('panel-open');
  state.at = null;
  state.parcel = null;
  shown = null;
  marker?.remove();
  highlightParcel(null);
  writeHash();
}

function actionButtons(parcelId) {
  const buttons = [el('button', { type: 'button', id: 'copy-link', onclick: copyLink }, t('copy_link'))];
  if (parcelId)
    buttons.unshift(el('button', { type: 'button', id: 'print-sheet', onclick: () => printSheet(parcelId) }, t('print_sheet')));
  return buttons;
}

function renderShown() {
  if (!shown)
    return;
  if (shown.kind === 'sources') {
    showSources();
  } else if (shown.kind === 'point') {
    const answer = shown.answer;
    showPanel(`${t('point')} ${number(answer.lat, 5)}, ${number(answer.lon, 5)}`, lookupSections(answer),
      actionButtons(answer.parcel?.parcel_id));
  } else {
    showPanel(`${t('parcel')} ${shown.answer.parcel.parcel_id}`, parcelSections(shown.answer),
      actionButtons(shown.answer.parcel.parcel_id));
  }
}

function showError(error) {
  const message = error.status === 404 ? t('outside') : `${t('error')}: ${error.message}`;
  showPanel(t('error'), [el('p', { class: 'muted' }, message)]);
}

function placeMarker(lon, lat) {
  marker ??= new maplibregl.Marker({ color: '#e11d48' });
  marker.setLngLat([lon, lat]).addTo(map);
}

function highlightParcel(id) {
  if (map?.getLayer('parcel-selected'))
    map.setFilter('parcel-selected', ['==', ['get', 'parcel_id'], id ?? '']);
}

async function lookupAt(lon, lat) {
  state.at = [lon, lat];
  state.parcel = null;
  placeMarker(lon, lat);
  writeHash();
  showPanel(t('loading'), []);
  try {
    const answer = await getJson(`/api/lookup?lon=${lon.toFixed(7)}&lat=${lat.toFixed(7)}`);
    shown = { kind: 'point', answer };
    highlightParcel(answer.parcel?.parcel_id);
    renderShown();
  } catch (error) {
    highlightParcel(null);
    showError(error);
  }
}

async function openParcel(id, fly) {
  state.parcel = id;
  state.at = null;
  writeHash();
  showPanel(t('loading'), []);
  try {
    const answer = await getJson(`/api/parcels/${encodeURIComponent(id)}`);
    shown = { kind: 'parcel', answer };
    placeMarker(answer.centre.lon, answer.centre.lat);
    highlightParcel(id);
    if (fly)
      map.flyTo({ center: [answer.centre.lon, answer.centre.lat], zoom: Math.max(map.getZoom(), 17.5) });
    renderShown();
  } catch (error) {
    showError(error);
  }
}

async function copyLink() {
  writeHash();
  try {
    await navigator.clipboard.writeText(window.location.href);
  } catch {
    // Without clipboard access the address bar holds the same link.
  }
  $('copy-link').textContent = t('link_copied');
}

// ---- attribution and sources ------------------------------------------------

// The map's attribution: one short line, Lantern and the city's data, whose
// link lists every layer's source in the panel (from /catalog, where the
// link leads without the script). The tile sources' own attributions, a
// file name per layer, are not shown on the map.
const attribution = {
  onAdd() {
    this.container = el('div', { class: 'maplibregl-ctrl attribution-line' });
    this.render();
    return this.container;
  },
  onRemove() {
    this.container.remove();
  },
  render() {
    this.container?.replaceChildren(el('a', { href: '/catalog', id: 'attribution', onclick: (event) => {
      event.preventDefault();
      showSources();
    } }, `Lantern · ${t('city_data').replace('{city}', catalog.name)}`));
  },
};

function showSources() {
  shown = { kind: 'sources' };
  const layers = [...catalog.layers].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  showPanel(t('sources'), [
    el('p', { class: 'muted' }, t('sources_intro')),
    el('ul', { class: 'sources' }, layers.map((layer) => el('li', { 'data-layer': layer.name },
      el('strong', { title: layer.description }, tOr(`class_${layer.name}`, className(layer.name))), ': ',
      layer.source || t('source_unknown'),
      layer.updated ? el('span', { class: 'muted' }, ` (${t('sheet_updated')} ${layer.updated.slice(0, 10)})`) : null))),
    el('p', {}, el('a', { href: '/catalog' }, t('sources_catalog'))),
  ]);
}

// ---- search -------------------------------------------------------------

let searchTimer = null;
let searchSerial = 0;
let suggestions = [];

// The suggestion the arrow keys are on, -1 for none.
let highlighted = -1;

function markHighlighted() {
  const items = [...$('suggestions').children];
  items.forEach((item, index) => item.setAttribute('aria-selected', String(index === highlighted)));
  if (highlighted >= 0 && items[highlighted])
    $('search-input').setAttribute('aria-activedescendant', items[highlighted].id);
  else
    $('search-input').removeAttribute('aria-activedescendant');
}

// A result's label: a former ward's names its unit too, in the page's language.
const resultLabel = (result) => (result.former ? wardLabel(result) : result.label);

function renderSuggestions(results, query) {
  suggestions = results;
  highlighted = -1;
  const list = $('suggestions');
  if (!query) {
    list.hidden = true;
    return;
  }
  list.replaceChildren(...(results.length ? results.map((result, index) =>
    el('li', { role: 'option', id: `suggestion-${index}`, 'data-kind': result.kind, onmousedown: (event) => {
      event.preventDefault();
      choose(result);
    } }, el('span', { class: 'label' }, resultLabel(result)), el('span', { class: 'kind' }, t(`kind_${result.kind}`))))
    : [el('li', { class: 'muted' }, t('search_none'))]));
  list.hidden = false;
}

async function search(query) {
  const serial = ++searchSerial;
  if (!/[\p{L}\p{N}]/u.test(query)) {
    renderSuggestions([], '');
    return;
  }
  try {
    const answer = await getJson(`/api/search?q=${encodeURIComponent(query)}&limit=8`);
    if (serial === searchSerial)
      renderSuggestions(answer.results, query);
  } catch {
    if (serial === searchSerial)
      renderSuggestions([], query);
  }
}

function choose(result) {
  $('suggestions').hidden = true;
  $('search-input').value = resultLabel(result);
  $('search-input').blur();
  if (result.kind === 'parcel') {
    openParcel(result.id, true);
    return;
  }
  const zoom = result.kind === 'ward' ? 14.5 : 17.5;
  map.flyTo({ center: [result.lon, result.lat], zoom });
  lookupAt(result.lon, result.lat);
}

function setUpSearch() {
  const input = $('search-input');
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => search(input.value.trim()), 120);
  });
  input.addEventListener('keydown', (event) => {
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && suggestions.length) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      // Positions 1..n are the suggestions, 0 is the input itself.
      const positions = suggestions.length + 1;
      highlighted = ((highlighted + 1 + step + positions) % positions) - 1;
      markHighlighted();
    } else if (event.key === 'Enter' && suggestions.length) {
      event.preventDefault();
      choose(suggestions[Math.max(highlighted, 0)]);
    } else if (event.key === 'Escape') {
      $('suggestions').hidden = true;
    }
  });
  input.addEventListener('blur', () => setTimeout(() => { $('suggestions').hidden = true; }, 150));
}

// ---- layers, legend and the flood selector --------------------------------

function swatch(colour, shape = 'box') {
  return el('span', { class: `swatch ${shape}`, style: `--swatch:${colour}` });
}

// A group's legend: its classes' swatches from their descriptions' style
// rules, each named by its condition ("Residential") or by its class, with
// the class's description on hover; then its results'.
function legendFor(groupId) {
  const group = groups.find((g) => g.id === groupId);
  const members = new Set(style.groupMembers[groupId] ?? []);
  const items = [];
  for (const layer of catalog.layers.filter((l) => l.kind === 'class' && members.has(l.name)))
    for (const [colour, shape, where] of classLegend(layer))
      items.push([swatch(colour, shape), where
        ? tOr(`${where[0]}_${where[1]}`, `${where[0]}: ${where[1]}`)
        : el('span', { title: layer.description }, tOr(`class_${layer.name}`, className(layer.name)))]);
  const results = { camera_coverage: 'cameras_cover', camera_gaps: 'camera_gaps',
    lighting_coverage: 'lighting_cover', lighting_gaps: 'lighting_gaps' };
  for (const name of group?.results ?? [])
    if (members.has(name) && results[name])
      items.push([swatch(resultColours[name], name.endsWith('_gaps') ? 'line' : 'box'), t(results[name])]);
  for (const name of ['parcel_violations', 'building_violations'])
    if (members.has(name) && group.results.includes(name))
      items.push([swatch(resultColours[name]), t(name)]);
  if (members.has('land_fund') && group.results.includes('land_fund'))
    items.push([swatch(resultColours.land_fund_vacant), t('land_fund_vacant')],
      [swatch(resultColours.land_fund_underused), t('land_fund_underused')],
      // The published list: every parcel of the land fund with its floor area left.
      [el('a', { href: '/ogc/collections/land_fund/items?limit=10000', target: '_blank', rel: 'noopener' },
        t('land_fund_list'))]);
  // Fire access: buildings by their worst flag, then the streets.
  if (members.has('fire_access') && group.results.includes('fire_access'))
    items.push([swatch(resultColours.fire_within), t('fire_within')],
      ...[...fireClasses].reverse().map(([, key]) => [swatch(resultColours[key]), t(key)]));
  if (members.has('fire_streets') && group.results.includes('fire_streets'))
    items.push([swatch(resultColours.fire_unusable, 'line'), t('fire_unusable')],
      [swatch(resultColours.fire_closed, 'line'), t('fire_closed')]);
  if (members.has('fire_dead_ends') && group.results.includes('fire_dead_ends'))
    items.push([swatch(resultColours.fire_dead_ends, 'line'), t('fire_dead_ends')]);
  if (!items.length)
    return null;
  return el('ul', { class: 'legend' }, items.map((parts) => el('li', {}, parts)));
}

function applyLayers() {
  for (const group of groups)
    for (const id of style.groupLayers[group.id] ?? [])
      map.setLayoutProperty(id, 'visibility', state.groups.has(group.id) ? 'visible' : 'none');
  for (const level of style.stages)
    map.setLayoutProperty(`flood-${level}`, 'visibility', level === state.flood ? 'visible' : 'none');
}

function renderLayerPanel() {
  const toggles = groups.map((group) => {
    const available = (style.groupLayers[group.id] ?? []).length > 0;
    const input = el('input', { type: 'checkbox', id: `toggle-${group.id}`, 'data-group': group.id });
    input.checked = available && state.groups.has(group.id);
    input.disabled = !available;
    input.addEventListener('change', () => {
      if (input.checked)
        state.groups.add(group.id);
      else
        state.groups.delete(group.id);
      applyLayers();
      writeHash();
      renderLayerPanel();
    });
    return el('li', { class: available ? '' : 'unavailable' },
      el('label', { for: input.id }, input, ' ', t(group.label), available ? '' : ` (${t('not_computed_short')})`),
      input.checked ? legendFor(group.id) : null);
  });

  const select = el('select', { id: 'flood-stage', 'aria-label': t('flood_level') },
    el('option', { value: '' }, t('flood_none')),
    style.stages.map((level) => el('option', { value: level }, stageLabel(level))));
  select.value = style.stages.includes(state.flood) ? state.flood : '';
  select.disabled = style.stages.length === 0;
  select.addEventListener('change', () => {
    state.flood = select.value;
    applyLayers();
    writeHash();
    renderLayerPanel();
  });
  const floodLegend = state.flood
    ? el('ul', { class: 'legend' }, depthBands.map((band) =>
      el('li', {}, swatch(band.colour), `${band.band.replace('over', '>')} – ${t(`risk_${band.risk}`)}`)))
    : null;

  $('layers-panel').replaceChildren(
    el('h2', {}, t('layers')),
    el('ul', { class: 'toggles' }, toggles),
    el('div', { class: 'flood-control' },
      el('label', { for: 'flood-stage' }, t('layer_flood'),
        style.stages.length ? '' : ` (${t('not_computed_short')})`),
      select, floodLegend),
  );
}

// ---- language -----------------------------------------------------------

function renderStaticText() {
  document.title = t('title');
  $('title').textContent = t('title');
  $('subtitle').textContent = t('subtitle');
  $('search-input').placeholder = t('search_placeholder');
  $('search-input').setAttribute('aria-label', t('search_placeholder'));
  $('language').textContent = t('language');
  $('layers-button').textContent = t('layers_button');
  $('permit-button').textContent = t('permit_button');
  $('panel-close').setAttribute('aria-label', t('close'));
  $('hint').textContent = t('click_hint');
}

function switchLanguage() {
  const next = languages[(languages.indexOf(language()) + 1) % languages.length];
  setLanguage(next);
  renderStaticText();
  renderLayerPanel();
  attribution.render();
  renderShown();
  permit?.render();
  writeHash();
}

// ---- the printable parcel sheet ------------------------------------------

function geometryBounds(geometry) {
  const bounds = new maplibregl.LngLatBounds();
  const walk = (coordinates) => {
    if (typeof coordinates[0] === 'number')
      bounds.extend(coordinates);
    else
      coordinates.forEach(walk);
  };
  walk(geometry.coordinates);
  return bounds;
}

function dataVersions() {
  // The classes and results the sheet's facts come from.
  const wanted = ['parcels', 'zones', 'heritage_zones', 'heritage_sites', 'camera_coverage', 'lighting_coverage',
    'fire_access'];
  if (state.flood)
    wanted.push(`flood_extent_${state.flood}m`);
  wanted.push(...catalog.layers.filter((l) => /^flood_parcels_\d/.test(l.name)).map((l) => l.name));
  return catalog.layers.filter((layer) => wanted.includes(layer.name)).map((layer) =>
    el('li', {}, `${layer.name}: ${t('sheet_version')} ${layer.version}, ${t('sheet_updated')} ${(layer.updated ?? '').replace('T', ' ').replace('Z', ' UTC')}`));
}

async function printSheet(parcelId) {
  const [answer, feature] = await Promise.all([
    getJson(`/api/parcels/${encodeURIComponent(parcelId)}`),
    getJson(`/ogc/collections/parcels/items/${encodeURIComponent(parcelId)}`),
  ]);
  catalog = await getJson('/catalog');
  highlightParcel(parcelId);
  map.fitBounds(geometryBounds(feature.geometry), { padding: 80, maxZoom: 19, animate: false });
  const idle = map.once('idle');
  map.triggerRepaint();
  await idle;
  const picture = map.getCanvas().toDataURL('image/png');
  const today = new Date().toISOString().slice(0, 10);
  $('sheet').replaceChildren(
    el('h1', {}, t('sheet_title')),
    el('p', { class: 'sheet-parcel' }, `${t('parcel')} ${parcelId}${answer.parcel.address ? ` – ${answer.parcel.address}` : ''}`),
    el('img', { src: picture, alt: `${t('parcel')} ${parcelId}` }),
    el('div', { class: 'sheet-facts' }, parcelSections(answer)),
    el('section', { class: 'facts' }, el('h3', {}, t('sheet_data')), el('ul', { class: 'versions' }, dataVersions()),
      el('p', {}, `${t('sheet_printed')} ${today}. ${t('sheet_note')}`)),
  );
  document.body.classList.add('printing');
  window.print();
}

window.addEventListener('afterprint', () => document.body.classList.remove('printing'));

// ---- start --------------------------------------------------------------

function initialView() {
  if (state.view)
    return state.view;
  // The Ancient Town: the heritage zones' centre, else the city's.
  const layer = catalog.layers.find((l) => l.name === 'heritage_zones' && l.bounds) ??
    catalog.layers.find((l) => l.name === 'wards' && l.bounds) ?? catalog.layers.find((l) => l.bounds);
  if (!layer)
    return { zoom: 2, lat: 0, lon: 0 };
  const [w, s, e, n] = layer.bounds;
  return { zoom: layer.name === 'heritage_zones' ? 15 : 12, lat: (s + n) / 2, lon: (w + e) / 2 };
}

async function start() {
  readHash();
  renderStaticText();
  catalog = await getJson('/catalog');
  // The city's own classes join the toggles; the hash is read again so that
  // a permalink may name them.
  for (const group of addedClassGroups(catalog)) {
    groups.push(group);
    state.groups.add(group.id);
  }
  readHash();
  const view = initialView();
  style = buildStyle(catalog, origin, [view.lon, view.lat], await areaLabelPoints(catalog, origin));
  renderLayerPanel();

  map = new maplibregl.Map({
    container: 'map',
    style: style.style,
    center: [view.lon, view.lat],
    zoom: view.zoom,
    maxZoom: 20,
    attributionControl: false,
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  // Bottom left, the attribution beside the scale bar: the panel covers the
  // right side when it is open.
  map.addControl(attribution, 'bottom-left');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'bottom-left');
  const container = $('map');
  map.on('dataloading', () => { container.dataset.state = 'loading'; });
  map.on('idle', () => { container.dataset.state = 'idle'; });
  map.on('moveend', writeHash);
  map.on('click', (event) => {
    if (!permit?.takesClick(event))
      lookupAt(event.lngLat.lng, event.lngLat.lat);
  });
  map.on('load', () => {
    applyLayers();
    permit = setUpPermitPanel({ map, catalog, origin, beforeOpen: () => { if (!$('panel').hidden) closePanel(); } });
    if (state.parcel)
      openParcel(state.parcel, false);
    else if (state.at)
      lookupAt(state.at[0], state.at[1]);
    writeHash();
  });
  // For scripts and tests driving the page.
  window.lanternPortal = { map, state };

  setUpSearch();
  $('language').addEventListener('click', switchLanguage);
  $('panel-close').addEventListener('click', closePanel);
  $('layers-button').addEventListener('click', () => document.body.classList.toggle('layers-open'));
}

start().catch((error) => {
  document.body.classList.add('failed');
  $('hint').textContent = `${t('error')}: ${error.message}`;
});
