// The portal's fire access layer in a real browser: `lantern serve` on a
// sample city that `lantern fire` has run on, Debian's chromium driven
// headless by playwright-core. Turns the "Fire access" toggle on over the
// Ancient Town and reads what MapLibre draws (queryRenderedFeatures): the
// fire_access buildings, each in the colour of its worst flag, against the
// same rows through OGC API - Features; a building unreachable elsewhere in
// its colour; the dead ends and the hydrants. Clicks a building of heritage
// zone I and reads the fire sentence in the panel, in English and in
// Vietnamese, whose minutes and metres must be the building's fire_access
// row rounded (whole minutes, 10 m); then one with no working hydrant
// within the run's reach (from the results store, read by OGR). Saves
// screenshots in the artefact folder.
//
//   node fire_layer_test.mjs --lantern LANTERN --city CITY.sqlite --out FOLDER

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

// The colour of each flag, worst first, and of a building within reach
// (docs/portal.md).
const flagColours = [
  ['lost_access', '#762a83'],
  ['unreachable', '#a50026'],
  ['beyond_hose', '#f46d43'],
  ['beyond_target', '#fee08b'],
];
const withinColour = '#1a9850';
const expectedColour = (row) => (flagColours.find(([flag]) => row[flag] === 1) ?? [null, withinColour])[1];

// The run's parameters as the results store holds them, through OGR.
function runParameters() {
  const text = execFileSync('ogrinfo', ['-ro', '-q', '-geom=NO', args.city, '-sql',
    "SELECT parameters FROM lantern_results WHERE name = 'fire_access'"], { encoding: 'utf8' });
  const match = /parameters \(\w+\) = (.*)$/m.exec(text);
  assert.ok(match, `no fire_access result in the city: ${text}`);
  return JSON.parse(match[1]);
}

const minutes = (seconds) => Math.round(seconds / 60);
const tens = (metres) => Math.round(metres / 10) * 10;

const { server, url } = await startServer(args.lantern, args.city);
const getJson = async (path) => {
  const response = await fetch(`${url}${path}`);
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
};

const browser = await launchChromium();
const problems = [];

try {
  const parameters = runParameters();
  const reach = parameters.hydrant_reach_m;
  assert.equal(typeof reach, 'number', `no hydrant reach among ${JSON.stringify(parameters)}`);

  // Heritage zone I and the fire_access rows of the buildings in it.
  const zone = (await getJson('/ogc/collections/heritage_zones/items?protection=I')).features[0];
  const corners = zone.geometry.coordinates.flat(zone.geometry.type === 'MultiPolygon' ? 2 : 1);
  const lons = corners.map((p) => p[0]);
  const lats = corners.map((p) => p[1]);
  const centre = [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
  const houses = (await getJson('/ogc/collections/fire_access/items?heritage=I&limit=10000')).features;
  assert.ok(houses.length > 100, `only ${houses.length} fire_access rows in heritage zone I`);

  // A point inside a building that the lookup places in it (distance 0):
  // the mean of its outline's corners.
  async function insidePoint(feature) {
    const ring = feature.geometry.coordinates.flat(feature.geometry.type === 'MultiPolygon' ? 1 : 0)[0].slice(0, -1);
    const lon = ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
    const lat = ring.reduce((sum, p) => sum + p[1], 0) / ring.length;
    const answer = await getJson(`/api/lookup?lon=${lon.toFixed(7)}&lat=${lat.toFixed(7)}`);
    if (answer.fire?.building_id !== feature.properties.building_id || answer.fire.distance_m !== 0)
      return null;
    return { lon, lat, answer };
  }
  async function pickHouse(wanted) {
    for (const feature of houses.filter((f) => wanted(f.properties))) {
      const at = await insidePoint(feature);
      if (at)
        return { row: feature.properties, ...at };
    }
    throw new Error('no such house in heritage zone I');
  }
  // A house an engine reaches in over a minute with a working hydrant over 10 m away.
  const house = await pickHouse((p) => p.unreachable === 0 && p.no_hydrant === 0 && p.time_s >= 90 &&
    p.hydrant_m >= 10 && p.beyond_hose === 0);
  console.log(`house ${house.row.building_id}: ${house.row.time_s.toFixed(1)} s, hydrant ${house.row.hydrant_id} ` +
    `${house.row.hydrant_m.toFixed(1)} m; lookup: ${house.answer.fire.sentence.en}`);
  // The lookup's own numbers are the row's.
  assert.ok(Math.abs(house.answer.fire.time_s - house.row.time_s) <= 0.05);
  assert.ok(Math.abs(house.answer.fire.hydrant_m - house.row.hydrant_m) <= 0.05);

  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(120000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error')
      problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`${response.status()} for ${response.url()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(url) && !/^(data|blob):/.test(request.url()))
      problems.push(`request outside the server: ${request.url()}`);
  });

  async function viewAt(lon, lat, zoom) {
    await page.evaluate(([x, y, z]) => new Promise((resolve) => {
      const map = window.lanternPortal.map;
      map.once('idle', resolve);
      map.jumpTo({ center: [x, y], zoom: z });
    }), [lon, lat, zoom]);
    await mapIdle(page);
  }
  async function clickAt(lon, lat) {
    const point = await page.evaluate(([x, y]) => window.lanternPortal.map.project([x, y]), [lon, lat]);
    const box = await page.locator('#map').boundingBox();
    await page.mouse.click(box.x + point.x, box.y + point.y);
  }
  // What MapLibre draws of a style layer: each feature's properties and
  // its colour as evaluated for it, "#rrggbb".
  const rendered = (layer, paint) => page.evaluate(([id, property]) => {
    const hex = (c) => `#${[c.r, c.g, c.b].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;
    return window.lanternPortal.map.queryRenderedFeatures({ layers: [id] })
      .map((f) => ({ properties: f.properties, colour: hex(f.layer.paint[property]) }));
  }, [layer, paint]);

  // The Ancient Town, the fire layer off until its toggle is checked.
  await page.goto(`${url}/#map=17/${centre[1]}/${centre[0]}&lang=en`);
  await mapIdle(page);
  assert.equal(await page.evaluate(() => window.lanternPortal.map.getLayoutProperty('fire_access-fill', 'visibility')),
    'none');
  const toggle = page.locator('#toggle-fire');
  assert.equal(await toggle.isDisabled(), false, 'the fire access toggle is greyed out');
  await toggle.check();
  await mapIdle(page);
  assert.match(page.url(), /layers=[^&]*fire/);
  const legend = await page.locator('li:has(#toggle-fire) .legend').innerText();
  for (const words of ['Fire stations', 'Fire hydrants', 'faulty', 'building within reach in time',
    'beyond the response target', 'beyond hose reach', 'no fire engine can reach it', 'access lost in the flood',
    'street a fire engine cannot use', 'street closed by the flood', 'dead end too long, no turning area'])
    assert.ok(legend.includes(words), `the legend lacks "${words}": ${legend}`);

  // Every building drawn in the colour of its worst flag, its flags those
  // of its row in OGC API - Features.
  const bounds = await page.evaluate(() => window.lanternPortal.map.getBounds().toArray().flat());
  const rows = new Map((await getJson(`/ogc/collections/fire_access/items?limit=10000&bbox=${
    bounds.map((v) => v.toFixed(7)).join(',')}`)).features.map((f) => [f.properties.building_id, f.properties]));
  const drawn = await rendered('fire_access-fill', 'fill-color');
  assert.ok(drawn.length > 50, `only ${drawn.length} fire_access features drawn over the Ancient Town`);
  const byColour = {};
  for (const { properties, colour } of drawn) {
    const row = rows.get(properties.building_id);
    assert.ok(row, `${properties.building_id} is drawn but not in the collection's view`);
    for (const flag of ['unreachable', 'beyond_hose', 'beyond_target'])
      assert.equal(properties[flag], row[flag], `${properties.building_id} ${flag}`);
    assert.equal(colour, expectedColour(row), `${properties.building_id} drawn in ${colour}: ${JSON.stringify(row)}`);
    byColour[colour] = (byColour[colour] ?? 0) + 1;
  }
  console.log(`Ancient Town: ${drawn.length} fire_access features drawn, by colour ${JSON.stringify(byColour)}`);
  const hydrants = await page.evaluate(() => window.lanternPortal.map.queryRenderedFeatures({
    layers: window.lanternPortal.map.getStyle().layers.filter((l) => l.metadata?.class === 'hydrants').map((l) => l.id),
  }).map((f) => f.properties.status));
  assert.ok(hydrants.includes('working'), `no working hydrant drawn: ${hydrants}`);
  await page.screenshot({ path: join(args.out, 'fire-layer.png') });

  // An unreachable building, in its colour, where the city has one; a dead
  // end too long for the engine.
  const far = (await getJson('/ogc/collections/fire_access/items?unreachable=1&limit=1')).features[0];
  if (far) {
    const [lon, lat] = far.geometry.coordinates.flat(far.geometry.type === 'MultiPolygon' ? 2 : 1)[0];
    await viewAt(lon, lat, 17);
    const there = (await rendered('fire_access-fill', 'fill-color'))
      .filter((f) => f.properties.building_id === far.properties.building_id);
    assert.ok(there.length > 0, `${far.properties.building_id} is not drawn`);
    assert.equal(there[0].colour, flagColours.find(([flag]) => flag === 'unreachable')[1]);
  }
  const deadEnd = (await getJson('/ogc/collections/fire_dead_ends/items?limit=1')).features[0];
  if (deadEnd) {
    const line = deadEnd.geometry.coordinates.flat(deadEnd.geometry.type === 'MultiLineString' ? 1 : 0);
    const [lon, lat] = line[Math.floor(line.length / 2)];
    await viewAt(lon, lat, 16);
    assert.ok((await rendered('fire_dead_ends-line', 'line-color')).length > 0, 'the dead end is not drawn');
  }

  // The house clicked: the panel's sentence holds its row's numbers rounded.
  await viewAt(house.lon, house.lat, 18);
  await clickAt(house.lon, house.lat);
  const sentence = page.locator('[data-section=fire] .fire-sentence');
  await sentence.waitFor();
  const english = await sentence.innerText();
  const en = /^Fire station (\d+) min by road, nearest working hydrant (\d+) m along the street$/.exec(english);
  assert.ok(en, `the English sentence: ${english}`);
  assert.equal(Number(en[1]), minutes(house.row.time_s), `${english}: time_s ${house.row.time_s}`);
  assert.equal(Number(en[2]), tens(house.row.hydrant_m), `${english}: hydrant_m ${house.row.hydrant_m}`);
  const facts = await page.locator('[data-section=fire]').innerText();
  assert.ok(facts.includes(house.row.building_id) && facts.includes(house.row.hydrant_id),
    `the fire section names the building and the hydrant: ${facts}`);
  await page.locator('[data-section=fire]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(args.out, 'fire-panel.png') });

  await page.locator('#language').click();
  await page.locator('[data-section=fire] h3', { hasText: 'Tiếp cận chữa cháy' }).waitFor();
  const vietnamese = await sentence.innerText();
  const vi = /^Đội PCCC (\d+) phút theo đường bộ, trụ nước chữa cháy hoạt động gần nhất cách (\d+) m theo đường phố$/
    .exec(vietnamese);
  assert.ok(vi, `the Vietnamese sentence: ${vietnamese}`);
  assert.equal(Number(vi[1]), minutes(house.row.time_s));
  assert.equal(Number(vi[2]), tens(house.row.hydrant_m));
  console.log(`panel: "${english}" / "${vietnamese}"`);

  // A house with no working hydrant within the run's reach, where zone I has one.
  const dry = houses.some((f) => f.properties.no_hydrant === 1 && f.properties.unreachable === 0)
    ? await pickHouse((p) => p.no_hydrant === 1 && p.unreachable === 0 && p.beyond_hose === 0) : null;
  if (dry) {
    await viewAt(dry.lon, dry.lat, 18);
    await clickAt(dry.lon, dry.lat);
    await page.locator('[data-section=fire] li[data-flag=no_hydrant]').waitFor();
    const text = await sentence.innerText();
    assert.equal(text, `Đội PCCC ${minutes(dry.row.time_s)} phút theo đường bộ, không có trụ nước chữa cháy hoạt động `
      + `trong vòng ${reach} m`);
    await page.locator('[data-section=fire]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(args.out, 'fire-panel-vi.png') });
    await page.locator('#language').click();
    await page.locator('[data-section=fire] h3', { hasText: 'Fire access' }).waitFor();
    assert.equal(await sentence.innerText(),
      `Fire station ${minutes(dry.row.time_s)} min by road, no working hydrant within ${reach} m`);
    console.log(`no hydrant within ${reach} m: ${dry.row.building_id}`);
  }

  assert.deepEqual(problems, [], 'the page reported problems');
  console.log(`fire layer test passed; screenshots in ${args.out}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
