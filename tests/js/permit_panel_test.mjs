// The portal's "check a building" panel in a real browser: `lantern serve`
// on a sample city, Debian's chromium driven headless by playwright-core.
// Finds an open spot of heritage zone I through /api/lookup, draws a
// footprint there on the map, asks for five floors and reads the failing
// heritage rule in the panel; picks a parcel by clicking it and checks it
// against the API's own verdict; types an unknown parcel and reads the
// server's 400 as a message; switches the panel to Vietnamese. Saves
// screenshots in the artefact folder.
//
//   node permit_panel_test.mjs --lantern LANTERN --city CITY.sqlite --out FOLDER

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { launchChromium, mapIdle } from './chromium.mjs';
import { startServer } from './lantern_server.mjs';

const { values: args } = parseArgs({
  options: { lantern: { type: 'string' }, city: { type: 'string' }, out: { type: 'string' } },
});
for (const name of ['lantern', 'city', 'out'])
  assert.ok(args[name], `--${name} is required`);
mkdirSync(args.out, { recursive: true });

const { server, url } = await startServer(args.lantern, args.city);
const getJson = async (path) => (await fetch(`${url}${path}`)).json();

// An open spot of heritage zone I: a point of a lattice over the zone's box
// that the lookup places in zone I, on a parcel, with no building within a
// square of 8 m about it (OGC API - Features, by bounding box); a square
// of 6 m drawn there stands on open land of that parcel.
async function zoneISpot() {
  const zone = (await getJson('/ogc/collections/heritage_zones/items?protection=I')).features[0];
  const points = zone.geometry.coordinates.flat(zone.geometry.type === 'MultiPolygon' ? 2 : 1);
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  for (let i = 4; i < 36; i += 1)
    for (let j = 4; j < 36; j += 1) {
      const lon = west + ((east - west) * i) / 40;
      const lat = south + ((north - south) * j) / 40;
      const response = await fetch(`${url}/api/lookup?lon=${lon.toFixed(7)}&lat=${lat.toFixed(7)}`);
      if (!response.ok)
        continue;
      const answer = await response.json();
      if (answer.heritage_zone?.protection !== 'I' || !answer.parcel)
        continue;
      const box = squareCorners(lon, lat, 8);
      const bbox = [box[0][0], box[0][1], box[2][0], box[2][1]].map((v) => v.toFixed(7)).join(',');
      const buildings = await getJson(`/ogc/collections/buildings/items?bbox=${bbox}&limit=1`);
      if (buildings.numberReturned === 0)
        return { lon, lat, answer };
    }
  throw new Error('no open spot on a parcel of heritage zone I');
}

const spot = await zoneISpot();
console.log(`heritage zone I at ${spot.lon}, ${spot.lat}: parcel ${spot.answer.parcel.parcel_id}`);

const browser = await launchChromium();

// Problems, but the one 400 the test asks for (an unknown parcel) and the
// console line chromium writes for it.
const problems = [];
let expected400 = 0;
const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-GB' });
const page = await context.newPage();
page.setDefaultTimeout(120000);
page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
page.on('console', (message) => {
  if (message.type() === 'error' && !(expected400 > 0 && /status of 400/.test(message.text())))
    problems.push(`console: ${message.text()}`);
});
page.on('response', (response) => {
  if (response.status() === 400 && response.url().endsWith('/api/permit-check') && expected400 > 0)
    return;
  if (response.status() >= 400)
    problems.push(`${response.status()} for ${response.url()}`);
});
page.on('request', (request) => {
  if (!request.url().startsWith(url) && !/^(data|blob):/.test(request.url()))
    problems.push(`request outside the server: ${request.url()}`);
});

async function clickAt(lon, lat, options = {}) {
  const point = await page.evaluate(([x, y]) => window.lanternPortal.map.project([x, y]), [lon, lat]);
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + point.x, box.y + point.y, options);
}

// The corners of a square of `side` metres about a point.
function squareCorners(lon, lat, side) {
  const dx = side / 2 / (111320 * Math.cos((lat * Math.PI) / 180));
  const dy = side / 2 / 111320;
  return [[lon - dx, lat - dy], [lon + dx, lat - dy], [lon + dx, lat + dy], [lon - dx, lat + dy]];
}

try {
  await page.goto(`${url}/#map=19/${spot.lat}/${spot.lon}&lang=en`);
  await mapIdle(page);

  // The panel opens from its button; its inputs are labelled.
  await page.locator('#permit-button', { hasText: 'Check a building' }).click();
  await page.locator('#permit-panel').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#permit-button').getAttribute('aria-expanded'), 'true');
  for (const label of ['Floors', 'Height (m)', 'Land use', 'Ground floor level (m)', 'Parcel id'])
    assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `no input labelled ${label}`);
  // Land uses come from the server, with their names.
  const catalog = await getJson('/catalog');
  assert.equal(await page.locator('#permit-use option').count(), catalog.land_uses.length);
  assert.equal(await page.locator('#permit-use').inputValue(), 'ODT');

  // Draw a square of 6 m on the spot: three corners by click, the fourth
  // by double click, which closes it.
  const corners = squareCorners(spot.lon, spot.lat, 6);
  for (const [lon, lat] of corners.slice(0, 3))
    await clickAt(lon, lat);
  assert.match(await page.locator('#permit-draw-status').innerText(), /3 corners/);
  assert.equal(await page.evaluate(() => window.lanternPortal.map.getZoom().toFixed(2)), '19.00');
  await clickAt(...corners[3], { clickCount: 2 });
  await page.locator('#permit-draw-status', { hasText: 'Footprint of 4 corners, closed' }).waitFor();
  // The double click did not zoom, nor did any click open the lookup panel.
  assert.equal(await page.evaluate(() => window.lanternPortal.map.getZoom().toFixed(2)), '19.00');
  assert.equal(await page.locator('#panel').isVisible(), false);
  // Drawn on the map once MapLibre's worker has the outline.
  await page.waitForFunction(() =>
    window.lanternPortal.map.queryRenderedFeatures({ layers: ['permit-draft-fill'] }).length > 0);

  await page.getByLabel('Floors', { exact: true }).fill('5');
  await page.getByLabel('Height (m)', { exact: true }).fill('17.6');
  await page.locator('#permit-submit').click();
  await page.locator('#permit-verdict').waitFor();
  const text = await page.locator('#permit-panel').innerText();
  assert.match(text, /Fail: the building breaks at least one rule/);
  const heritage = page.locator('.permit-rule[data-pass=false]').filter({
    has: page.locator('strong', { hasText: /Protection zone I: no new building|Maximum floors in the heritage zone/ }),
  });
  assert.ok(await heritage.count() >= 1, `no failing heritage rule in the panel: ${text}`);
  assert.match(text, /Heritage protection HZ-I/);
  assert.match(await page.locator('.permit-rule[data-rule=heritage_no_new_building]').innerText(), /no new construction/);
  await page.locator('.permit-rule[data-rule=heritage_no_new_building]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(args.out, 'permit-drawn.png') });

  // Clear takes the outline away.
  await page.locator('#permit-clear').click();
  await page.locator('#permit-draw-status', { hasText: 'Click the map at each corner' }).waitFor();

  // Pick a parcel by clicking it on the map, and check it: the API's verdict.
  await page.getByLabel('Pick a parcel').check();
  await clickAt(spot.lon, spot.lat);
  const parcelId = spot.answer.parcel.parcel_id;
  await page.waitForFunction((id) => document.getElementById('permit-parcel').value === id, parcelId);
  await page.getByLabel('Floors', { exact: true }).fill('2');
  await page.getByLabel('Height (m)', { exact: true }).fill('7');
  await page.locator('#permit-use').selectOption('TMD');
  await page.locator('#permit-submit').click();
  await page.locator('#permit-verdict').waitFor();
  const api = await (await fetch(`${url}/api/permit-check`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ parcel_id: parcelId, floors: 2, height_m: 7, land_use: 'TMD', repair: false }),
  })).json();
  assert.equal(await page.locator('#permit-verdict').getAttribute('data-verdict'), api.verdict);
  assert.equal(await page.locator('.permit-rule').count(), api.rules.length);
  for (const rule of api.rules)
    assert.equal(await page.locator(`.permit-rule[data-rule=${rule.rule}]`).first().getAttribute('data-pass'),
      String(api.rules.find((r) => r.rule === rule.rule).pass));
  assert.match(await page.locator('#permit-panel').innerText(), new RegExp(`Parcel ${parcelId}\\b`));
  await page.screenshot({ path: join(args.out, 'permit-parcel.png') });

  // Keyboard alone: a parcel typed, Enter in the form, the server's 400 as a message.
  expected400 += 1;
  await page.getByLabel('Parcel id').fill('P-NOT-THERE');
  await page.getByLabel('Parcel id').press('Enter');
  await page.locator('.permit-error', { hasText: 'No such parcel: parcel_id: no parcel P-NOT-THERE' }).waitFor();

  // Vietnamese: the panel's words switch, the answer stays.
  await page.getByLabel('Parcel id').fill(parcelId);
  await page.keyboard.press('Enter');
  await page.locator('#permit-verdict').waitFor();
  await page.locator('#language').click();
  await page.locator('#permit-title', { hasText: 'Kiểm tra công trình' }).waitFor();
  const vietnamese = await page.locator('#permit-panel').innerText();
  for (const words of ['Số tầng', 'Chiều cao (m)', 'Loại đất sử dụng', 'Loại đất được phép', 'Căn cứ'])
    assert.ok(vietnamese.includes(words), `the panel lacks "${words}" in Vietnamese: ${vietnamese}`);
  assert.ok(vietnamese.includes(api.verdict === 'pass' ? 'Đạt:' : 'Không đạt:'), vietnamese);
  assert.match(await page.locator('#permit-use option[value=ODT]').innerText(), /ODT – Đất ở tại đô thị/);

  // Closing gives the map's clicks back to the lookup.
  await page.locator('#permit-close').click();
  assert.equal(await page.locator('#permit-panel').isVisible(), false);
  await clickAt(spot.lon, spot.lat);
  await page.locator('[data-section=parcel] h3', { hasText: parcelId }).waitFor();

  assert.deepEqual(problems, [], 'the page reported problems');
  console.log(`permit panel test passed; screenshots in ${args.out}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
