// Renders the lookup API's answers (docs/api.md) as the panel's sections.
// Text always goes in as text, never as markup.

import { language, number, stageLabel, t, tOr } from './strings.js';

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class')
      node.className = value;
    else if (key.startsWith('on'))
      node.addEventListener(key.slice(2), value);
    else
      node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity))
    if (child !== null && child !== undefined && child !== false)
      node.append(child instanceof Node ? child : String(child));
  return node;
}

function section(id, title, ...content) {
  return el('section', { class: 'facts', 'data-section': id }, el('h3', {}, title), ...content);
}

function rows(pairs) {
  return el('dl', {}, pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
    .flatMap(([key, value]) => [el('dt', {}, key), el('dd', {}, value)]));
}

const metres = (value) => `${number(value, 1)} m`;
const percent = (share) => `${number(share * 100, 0)} %`;
const area = (m2) => `${number(m2, 0)} m²`;

function landUseName(parcel) {
  const names = parcel.land_use_name ?? {};
  const name = names[language()] ?? names.vi;
  return name ? `${parcel.land_use} – ${name}` : parcel.land_use;
}

// A ward as the answers give it, in the page's language: the unit it is
// part of now and the former ward that land records name ("Phường Hội An,
// formerly Phường Minh An"), or its name where it has no unit. A search
// result with neither has its label.
export function wardLabel(ward) {
  if (!ward)
    return null;
  const now = ward.unit?.name;
  const before = ward.former?.name ?? ward.name;
  if (now && before && now !== before)
    return `${now}, ${t('formerly')} ${before}`;
  return now ?? ward.name ?? ward.label;
}

function parcelSection(parcel, ward) {
  if (!parcel)
    return section('parcel', t('parcel'), el('p', { class: 'muted' }, t('no_parcel')));
  return section('parcel', `${t('parcel')} ${parcel.parcel_id}`, rows([
    [t('land_use'), landUseName(parcel)],
    [t('area'), area(parcel.area_m2)],
    [t('address'), parcel.address],
    [t('ward'), wardLabel(ward)],
  ]));
}

function zoneRows(zone) {
  return rows([
    [t('zone_type'), t(`zone_type_${zone.zone_type}`)],
    [t('max_height'), zone.max_height_m != null ? metres(zone.max_height_m) : null],
    [t('max_floors'), zone.max_floors],
    [t('max_coverage'), zone.max_coverage_pct != null ? `${number(zone.max_coverage_pct, 0)} %` : null],
    [t('max_far'), zone.max_far != null ? number(zone.max_far, 2) : null],
    [t('allowed_uses'), (zone.land_uses ?? []).join(', ')],
    [t('plan_ref'), zone.plan_ref],
  ]);
}

function zonesSection(zones) {
  if (!zones.length)
    return null;
  if (zones.length === 1 && zones[0].share === undefined)
    return section('zone', `${t('zone')} ${zones[0].zone_id}`, zoneRows(zones[0]));
  return section('zone', t('zones_on_parcel'), zones.map((zone) =>
    el('div', { class: 'sub' }, el('h4', {}, `${zone.zone_id} · ${t('share')} ${percent(zone.share)}`), zoneRows(zone))));
}

function heritageSection(zones, sites) {
  const content = [];
  if (!zones.length)
    content.push(el('p', { class: 'muted' }, t('no_heritage_zone')));
  for (const zone of zones)
    content.push(el('div', { class: `sub heritage-${zone.protection}` },
      el('h4', {}, `${zone.name} (${zone.zone_id})${zone.share !== undefined ? ` · ${t('share')} ${percent(zone.share)}` : ''}`),
      rows([[t('rules'), zone.rules]])));
  if (sites.length)
    content.push(el('h4', {}, t('sites_nearby')), el('ul', {}, sites.map((site) =>
      el('li', {}, `${site.name}${site.name_en && language() === 'en' ? ` (${site.name_en})` : ''} – ${metres(site.distance_m)}`))));
  return section('heritage', t('heritage_zone'), content);
}

function notComputed(part) {
  return el('p', { class: 'muted' }, `${t('not_computed')}${part?.note ? ` – ${part.note}` : ''}`);
}

function riskText(risk) {
  return risk ? `, ${t('risk')} ${t(`risk_${risk}`)}` : '';
}

function floodSection(flood, forParcel) {
  if (!flood?.computed)
    return section('flood', t('flood'), notComputed(flood));
  const stages = (flood.stages ?? []).map((stage) => {
    let text;
    if (forParcel)
      text = stage.flooded_share > 0
        ? `${t('flooded_share')} ${percent(stage.flooded_share)}, ${t('greatest_depth')} ${metres(stage.max_depth_m)}${riskText(stage.risk)}`
        : t('dry');
    else
      text = stage.flooded ? `${t('depth')} ${metres(stage.depth_m)}${riskText(stage.risk)}` : t('dry');
    return el('li', { 'data-stage': Number(stage.level_m).toFixed(1), class: stage.flooded || stage.flooded_share > 0 ? 'wet' : 'dry' },
      el('strong', {}, stageLabel(stage.level_m)), ': ', text);
  });
  const arrivals = (flood.hydrographs ?? []).map((h) => el('li', {}, `${h.hydrograph}: `,
    h.flooded ? `${t('arrival')} ${number(h.arrival_hours, 1)} ${t('hours')}` : t('never')));
  return section('flood', t('flood'), el('p', { class: 'muted' }, t('flood_at')), el('ul', { class: 'stages' }, stages),
    arrivals.length ? el('ul', {}, arrivals) : null);
}

function coverageLine(key, part, forParcel) {
  if (!part?.computed)
    return [t(key), t('not_computed')];
  if (forParcel)
    return [t(key), `${t('covered_share')} ${percent(part.covered_share)}`];
  return [t(key), part.covered ? t('covered') : t('not_covered')];
}

function coverageSection(coverage, forParcel) {
  return section('coverage', t('coverage'), rows([
    coverageLine('cameras', coverage?.cameras, forParcel),
    coverageLine('lighting', coverage?.lighting, forParcel),
  ]));
}

// A building's fire access sentence in the page's language, as a sentence.
export function fireSentence(fire) {
  const text = fire.sentence?.[language()] ?? fire.sentence?.vi ?? '';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const fireFlags = ['lost_access', 'unreachable', 'beyond_hose', 'beyond_target', 'no_hydrant'];
const fireFlagWords = { lost_access: 'fire_lost', unreachable: 'fire_unreachable', beyond_hose: 'fire_beyond_hose',
  beyond_target: 'fire_beyond_target', no_hydrant: 'fire_no_hydrant' };

function fireFacts(fire) {
  const flags = fireFlags.filter((flag) => fire[flag] === true);
  return [
    el('p', { class: 'fire-sentence' }, fireSentence(fire)),
    rows([
      [t('fire_building'), fire.building_id],
      [t('fire_station'), fire.station_name ?? fire.station_id],
      [t('fire_route'), fire.route_m != null ? metres(fire.route_m) : null],
      [t('fire_extra'), fire.extra_s > 0 ? `${number(fire.extra_s, 0)} s` : null],
      [t('fire_hose'), fire.hose_m != null ? metres(fire.hose_m) : null],
      [t('fire_hydrant'), fire.hydrant_id
        ? `${fire.hydrant_id}, ${metres(fire.hydrant_m)} ${t('fire_along_street')}` : null],
    ]),
    flags.length ? el('ul', { class: 'fire-flags' }, flags.map((flag) =>
      el('li', { 'data-flag': flag }, t(fireFlagWords[flag])))) : null,
  ];
}

// The fire access of the building at the point (or of each building on a
// parcel); none at a point with no building near.
function fireSection(fire, forParcel) {
  if (!fire)
    return null;
  if (!fire.computed)
    return section('fire', t('fire'), notComputed(fire));
  if (!forParcel)
    return section('fire', t('fire'), fireFacts(fire));
  if (!fire.buildings?.length)
    return section('fire', t('fire'), el('p', { class: 'muted' }, t('fire_no_buildings')));
  return section('fire', t('fire'), fire.buildings.map((building) =>
    el('div', { class: 'sub', 'data-building': building.building_id }, fireFacts(building))));
}

// The nearest feature of each class with that part in the lookup (its
// description's): drainage nodes, and what the city added, such as hydrants.
function nearestSection(nearest) {
  const found = Object.entries(nearest ?? {}).filter(([, feature]) => feature);
  if (found.length === 0)
    return null;
  return section('nearest', t('nearest'), rows(found.map(([name, feature]) => {
    const fields = Object.entries(feature).filter(([key]) => key !== 'distance_m')
      .map(([, value]) => value).join(', ');
    return [tOr(`class_${name}`, name.replace(/_/g, ' ')), `${fields}, ${t('metres_away')} ${metres(feature.distance_m)}`];
  })));
}

// The answer of /api/lookup as panel sections.
export function lookupSections(answer) {
  return [
    parcelSection(answer.parcel, answer.ward),
    zonesSection(answer.zone ? [answer.zone] : []),
    heritageSection(answer.heritage_zone ? [answer.heritage_zone] : [], answer.heritage_sites ?? []),
    floodSection(answer.flood, false),
    coverageSection(answer.coverage, false),
    fireSection(answer.fire, false),
    nearestSection(answer.nearest),
  ].filter(Boolean);
}

// The answer of /api/parcels/{id} as panel sections.
export function parcelSections(answer) {
  return [
    parcelSection(answer.parcel, answer.ward),
    zonesSection(answer.zones ?? []),
    heritageSection(answer.heritage_zones ?? [], answer.heritage_sites ?? []),
    floodSection(answer.flood, true),
    coverageSection(answer.coverage, true),
    fireSection(answer.fire, true),
  ].filter(Boolean);
}
