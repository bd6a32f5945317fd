// "Check a building": the permit pre-check panel. The reader draws the
// building's footprint on the map (a click at each corner; a double click, a click
// on the first corner or the "close" button closes it) or picks a parcel
// (a click on the map, or its id typed), gives floors, height, land use and
// optionally the ground floor's level and whether it is a repair, and the
// panel posts the proposal to /api/permit-check and lists the verdict and
// every rule. Nothing is stored. While the panel is open the map's clicks
// are the panel's.

import { draftLayers } from './map_style.js';
import { el } from './panel.js';
import { language, number, t, tOr } from './strings.js';

// A click this close (pixels) to the first corner closes the outline.
const closeDistance = 10;

// The checker's words for a limit or a proposed value, in the portal's.
const checkerWords = {
  'a valid polygon': 'permit_word_valid_polygon',
  valid: 'permit_word_valid',
  'every corner in a ward of the city': 'permit_word_in_ward',
  inside: 'permit_word_inside',
  'one parcel': 'permit_word_one_parcel',
  'on no parcel': 'permit_word_no_parcel',
  'no new construction': 'permit_word_no_new',
  'a new building': 'permit_word_new_building',
  'not flooded at this stage': 'permit_word_not_flooded',
  'the height of the building repaired': 'permit_word_repaired_height',
  'no building with a height under the footprint': 'permit_word_no_height',
};

// What the server's 400 is about, by how its message starts, most
// particular first: the reader's words for it go before the message.
const problems = [
  ['the footprint is not valid', 'permit_problem_invalid'],
  ['the footprint is not inside the city', 'permit_problem_outside'],
  ['parcel_id: no parcel', 'permit_problem_no_parcel'],
  ['footprint:', 'permit_problem_footprint'],
  ['floors:', 'permit_problem_floors'],
  ['height_m:', 'permit_problem_height'],
  ['land_use:', 'permit_problem_land_use'],
  ['floor_level_m:', 'permit_problem_floor_level'],
];

export function setUpPermitPanel({ map, catalog, origin, beforeOpen }) {
  const $ = (id) => document.getElementById(id);
  const panel = $('permit-panel');
  const draft = { corners: [], closed: false, pointer: null };
  let mode = 'draw';
  let answer = null;   // the last check's answer, or { error }
  let serial = 0;

  // ---- the form ---------------------------------------------------------

  const text = (key) => el('span', { 'data-text': key });
  const field = (id, key, input, hint = null) =>
    el('div', { class: 'permit-field' }, el('label', { for: id }, text(key)), input,
      hint ? el('span', { class: 'muted hint', id: `${id}-hint`, 'data-text': hint }) : null);
  const numberInput = (id, attributes) => el('input', { id, type: 'number', inputmode: 'decimal', ...attributes });

  const useSelect = el('select', { id: 'permit-use', required: '' });
  const floors = numberInput('permit-floors', { min: '0', max: '1000', step: '1', required: '' });
  const height = numberInput('permit-height', { min: '0', max: '1000', step: '0.1', required: '' });
  const level = numberInput('permit-floor-level', { min: '-50', max: '500', step: '0.01',
    'aria-describedby': 'permit-floor-level-hint' });
  const repair = el('input', { id: 'permit-repair', type: 'checkbox' });
  const parcel = el('input', { id: 'permit-parcel', type: 'text', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'permit-parcel-hint' });
  const drawStatus = el('p', { id: 'permit-draw-status', class: 'muted', 'aria-live': 'polite' });
  const modeInput = (value) => {
    const input = el('input', { type: 'radio', name: 'permit-where', id: `permit-where-${value}`, value });
    input.checked = value === mode;
    input.addEventListener('change', () => setMode(value));
    return input;
  };

  const form = el('form', { id: 'permit-form', novalidate: '' },
    el('fieldset', { class: 'permit-where' },
      el('legend', {}, text('permit_where')),
      el('label', { for: 'permit-where-draw' }, modeInput('draw'), ' ', text('permit_draw')),
      el('label', { for: 'permit-where-parcel' }, modeInput('parcel'), ' ', text('permit_pick_parcel')),
      el('div', { class: 'permit-draw-tools', 'data-mode': 'draw' },
        drawStatus,
        el('div', { class: 'permit-buttons' },
          el('button', { type: 'button', id: 'permit-add-corner', onclick: addCentreCorner }, text('permit_add_corner')),
          el('button', { type: 'button', id: 'permit-close-shape', onclick: closeShape }, text('permit_close_shape')),
          el('button', { type: 'button', id: 'permit-clear', onclick: clearDraft }, text('permit_clear')))),
      el('div', { class: 'permit-parcel-tools', 'data-mode': 'parcel' },
        field('permit-parcel', 'permit_parcel_id', parcel, 'permit_parcel_hint'))),
    field('permit-floors', 'permit_floors', floors),
    field('permit-height', 'permit_height', height),
    field('permit-use', 'permit_land_use', useSelect),
    field('permit-floor-level', 'permit_floor_level', level, 'permit_floor_level_hint'),
    el('div', { class: 'permit-field permit-check' }, repair, el('label', { for: 'permit-repair' }, text('permit_repair'))),
    el('button', { type: 'submit', id: 'permit-submit' }, text('permit_check')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    check();
  });

  const result = el('div', { id: 'permit-result', 'aria-live': 'polite' });
  const close = el('button', { type: 'button', id: 'permit-close', class: 'close', onclick: closePanel }, '×');
  panel.replaceChildren(
    el('div', { class: 'panel-head' }, el('h2', { id: 'permit-title', tabindex: '-1' }, text('permit_title')), close),
    el('div', { class: 'panel-body' }, el('p', { class: 'muted' }, text('permit_intro')), form, result));

  // ---- the outline on the map -------------------------------------------

  map.addSource('permit-draft', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  for (const layer of draftLayers('permit-draft'))
    map.addLayer(layer);

  function drawDraft() {
    const features = draft.corners.map((corner) => ({ type: 'Feature', properties: { kind: 'corner' },
      geometry: { type: 'Point', coordinates: corner } }));
    if (draft.closed)
      features.push({ type: 'Feature', properties: { kind: 'outline' },
        geometry: { type: 'Polygon', coordinates: [[...draft.corners, draft.corners[0]]] } });
    else if (draft.corners.length)
      features.push({ type: 'Feature', properties: { kind: 'drawing' },
        geometry: { type: 'LineString', coordinates: draft.pointer ? [...draft.corners, draft.pointer] : draft.corners } });
    map.getSource('permit-draft')?.setData({ type: 'FeatureCollection', features });
    renderDrawStatus();
  }

  function renderDrawStatus() {
    const count = draft.corners.length;
    let key = 'permit_draw_hint';
    if (draft.closed)
      key = 'permit_drawn';
    else if (count)
      key = 'permit_drawing';
    drawStatus.textContent = t(key).replace('{n}', number(count, 0));
    $('permit-close-shape').disabled = draft.closed || count < 3;
    $('permit-clear').disabled = count === 0;
    $('permit-add-corner').disabled = draft.closed;
  }

  function addCorner(lngLat) {
    if (draft.closed)
      return;
    draft.corners.push([lngLat.lng, lngLat.lat]);
    drawDraft();
  }

  function addCentreCorner() {
    addCorner(map.getCenter());
  }

  function closeShape() {
    if (draft.corners.length < 3)
      return;
    draft.closed = true;
    draft.pointer = null;
    drawDraft();
  }

  function clearDraft() {
    draft.corners = [];
    draft.closed = false;
    draft.pointer = null;
    drawDraft();
  }

  const pixelDistance = (a, b) => {
    const [p, q] = [map.project(a), map.project(b)];
    return Math.hypot(p.x - q.x, p.y - q.y);
  };

  map.on('mousemove', (event) => {
    if (panel.hidden || mode !== 'draw' || draft.closed || !draft.corners.length)
      return;
    draft.pointer = [event.lngLat.lng, event.lngLat.lat];
    drawDraft();
  });

  map.on('dblclick', (event) => {
    if (panel.hidden || mode !== 'draw')
      return;
    event.preventDefault();
    // The double click's two clicks have each added a corner at the same place.
    while (draft.corners.length > 1 &&
      pixelDistance(draft.corners.at(-1), draft.corners.at(-2)) < closeDistance)
      draft.corners.pop();
    closeShape();
  });

  // ---- parcels ------------------------------------------------------------

  function highlight(id) {
    if (map.getLayer('parcel-selected'))
      map.setFilter('parcel-selected', ['==', ['get', 'parcel_id'], id ?? '']);
  }

  async function pickParcelAt(lngLat) {
    const mine = ++serial;
    const response = await fetch(`${origin}/api/lookup?lon=${lngLat.lng.toFixed(7)}&lat=${lngLat.lat.toFixed(7)}`);
    const found = response.ok ? await response.json() : null;
    if (mine !== serial)
      return;
    const id = found?.parcel?.parcel_id ?? '';
    parcel.value = id;
    highlight(id);
    const hint = $('permit-parcel-hint');
    hint.dataset.text = id ? 'permit_parcel_hint' : 'permit_no_parcel_here';
    hint.textContent = t(hint.dataset.text);
  }

  // ---- the check ----------------------------------------------------------

  function proposal() {
    const body = { land_use: useSelect.value, repair: repair.checked };
    // Empty numbers are left out: the server names what is missing.
    for (const [key, input] of [['floors', floors], ['height_m', height], ['floor_level_m', level]])
      if (input.value.trim() !== '')
        body[key] = Number(input.value);
    if (mode === 'draw') {
      if (!draft.closed)
        return { problem: t('permit_draw_first') };
      body.footprint = { type: 'Polygon', coordinates: [[...draft.corners, draft.corners[0]]] };
    } else {
      if (!parcel.value.trim())
        return { problem: t('permit_parcel_first') };
      body.parcel_id = parcel.value.trim();
    }
    return { body };
  }

  async function check() {
    const { body, problem } = proposal();
    if (problem) {
      answer = { error: problem, local: true };
      showAnswer();
      return;
    }
    const mine = ++serial;
    answer = { loading: true };
    renderResult();
    let next;
    try {
      const response = await fetch(`${origin}/api/permit-check`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      const json = await response.json().catch(() => ({}));
      next = response.ok ? json : { error: json.error ?? response.statusText, status: response.status };
    } catch (error) {
      next = { error: error.message };
    }
    if (mine !== serial)
      return;
    answer = next;
    showAnswer();
  }

  // ---- the answer ---------------------------------------------------------

  const unitOf = (rule) => {
    if (/_m$/.test(rule) || rule === 'floor_above_flood')
      return 'm';
    if (/_pct$/.test(rule))
      return '%';
    return '';
  };

  function valueText(value, unit) {
    if (value === null || value === undefined)
      return '–';
    if (typeof value === 'number')
      return `${number(value, 2)}${unit ? ` ${unit}` : ''}`;
    if (typeof value === 'string')
      return checkerWords[value] ? t(checkerWords[value]) : value;
    if (Array.isArray(value))
      return value.map((item) => valueText(item, '')).join(', ');
    if ('distance_m' in value)
      return `${valueText(value.distance_m, 'm')} (${value.site})`;
    if ('parcels' in value)
      return `${value.parcels.join(', ')}; ${t('permit_off_parcels')} ${number(value.off_parcels_m2, 1)} m²`;
    return Object.entries(value).map(([key, item]) => `${key} ${valueText(item, '')}`).join(', ');
  }

  function ruleItem(rule) {
    const mark = rule.pass === null ? '?' : rule.pass ? '✓' : '✗';
    const state = rule.pass === null ? 'unknown' : rule.pass ? 'pass' : 'fail';
    let where = null;
    if (rule.zone)
      where = `${t('zone')} ${rule.zone}`;
    else if (rule.heritage_zone)
      where = `${t('heritage_zone')} ${rule.heritage_zone}`;
    if (where && rule.share !== undefined && rule.share < 1)
      where += ` · ${t('share')} ${number(rule.share * 100, 0)} %`;
    const unit = unitOf(rule.rule);
    return el('li', { class: `permit-rule ${state}`, 'data-rule': rule.rule, 'data-pass': String(rule.pass) },
      el('span', { class: 'mark', 'aria-hidden': 'true' }, mark),
      el('div', {},
        el('strong', {}, tOr(`permit_rule_${rule.rule}`, rule.rule)),
        el('span', { class: 'visually-hidden' }, ` – ${t(`permit_${state}`)}`),
        where ? el('span', { class: 'muted' }, ` (${where})`) : null,
        el('dl', {},
          el('dt', {}, t('permit_limit')), el('dd', {}, valueText(rule.limit, unit)),
          el('dt', {}, t('permit_proposed')), el('dd', {}, valueText(rule.proposed, unit)),
          el('dt', {}, t('permit_source')), el('dd', {}, rule.source)),
        rule.note ? el('p', { class: 'muted' }, rule.note) : null));
  }

  function renderResult() {
    if (!answer) {
      result.replaceChildren();
      return;
    }
    if (answer.loading) {
      result.replaceChildren(el('p', { class: 'muted' }, t('loading')));
      return;
    }
    if (answer.error) {
      const problem = answer.local ? null : problems.find(([start]) => answer.error.startsWith(start));
      result.replaceChildren(el('p', { class: 'permit-error', role: 'alert' },
        answer.local ? answer.error : `${t(problem?.[1] ?? 'permit_error')}: ${answer.error}`));
      return;
    }
    const site = answer.site ?? {};
    const facts = [
      `${t('area')} ${number(site.footprint_area_m2 ?? 0, 1)} m²`,
      site.parcels?.length ? `${t('parcel')} ${site.parcels.join(', ')}` : null,
      site.ward?.name,
    ].filter(Boolean).join(' · ');
    result.replaceChildren(...[
      el('p', { id: 'permit-verdict', class: `verdict ${answer.verdict}`, 'data-verdict': answer.verdict },
        t(`permit_verdict_${answer.verdict}`)),
      el('p', { class: 'muted' }, facts),
      answer.note ? el('p', { class: 'muted' }, answer.note) : null,
      el('ul', { class: 'permit-rules' }, answer.rules.map(ruleItem)),
      el('p', { class: 'muted' }, t('permit_disclaimer')),
    ].filter(Boolean));
  }

  // A new answer is scrolled to, under the form.
  function showAnswer() {
    renderResult();
    const body = result.parentElement;
    body.scrollTop = result.offsetTop - body.offsetTop;
  }

  // ---- the panel ----------------------------------------------------------

  function renderLandUses() {
    const chosen = useSelect.value || 'ODT';
    useSelect.replaceChildren(...(catalog.land_uses ?? []).map((use) =>
      el('option', { value: use.code }, `${use.code} – ${use.name[language()] ?? use.name.vi}`)));
    useSelect.value = chosen;
  }

  function render() {
    for (const node of panel.querySelectorAll('[data-text]'))
      node.textContent = t(node.dataset.text);
    $('permit-button').textContent = t('permit_button');
    close.setAttribute('aria-label', t('close'));
    renderLandUses();
    renderDrawStatus();
    renderResult();
  }

  function setMode(next) {
    mode = next;
    panel.dataset.mode = mode;
    if (mode === 'draw')
      map.doubleClickZoom.disable();
    else
      map.doubleClickZoom.enable();
    map.getCanvas().style.cursor = 'crosshair';
  }

  function openPanel() {
    beforeOpen?.();
    panel.hidden = false;
    document.body.classList.add('permit-open');
    $('permit-button').setAttribute('aria-expanded', 'true');
    setMode(mode);
    render();
    $('permit-title').focus?.();
  }

  function closePanel() {
    panel.hidden = true;
    document.body.classList.remove('permit-open');
    $('permit-button').setAttribute('aria-expanded', 'false');
    map.doubleClickZoom.enable();
    map.getCanvas().style.cursor = '';
    draft.pointer = null;
    drawDraft();
  }

  $('permit-button').addEventListener('click', () => (panel.hidden ? openPanel() : closePanel()));
  $('permit-button').setAttribute('aria-controls', 'permit-panel');
  $('permit-button').setAttribute('aria-expanded', 'false');
  render();
  drawDraft();

  return {
    // Whether the map's click was the panel's (a corner, a parcel).
    takesClick(event) {
      if (panel.hidden)
        return false;
      if (mode === 'draw') {
        if (!draft.closed && draft.corners.length >= 3 &&
          pixelDistance(draft.corners[0], [event.lngLat.lng, event.lngLat.lat]) < closeDistance)
          closeShape();
        else
          addCorner(event.lngLat);
      } else {
        pickParcelAt(event.lngLat);
      }
      return true;
    },
    render,
    close: () => { if (!panel.hidden) closePanel(); },
    isOpen: () => !panel.hidden,
  };
}
