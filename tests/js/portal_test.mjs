// The planning portal in a real browser: `lantern serve` on a sample city,
// Debian's chromium driven headless by playwright-core. Picks a parcel in
// heritage zone I with GDAL (OGR's SQL on the city, the flood depth grid
// read by gdallocationinfo), clicks it on the map and checks the panel,
// the names on the map (the old town's streets, heritage sites, wards and
// water) and the attribution's list of sources, then the search box, the flood-level selector, the language switch, the
// permalink, a phone-sized screen and the printable parcel sheet. Saves
// screenshots and the sheet as PDF in the artefact folder.
//
//   node portal_test.mjs --lantern LANTERN --city CITY.sqlite --out FOLDER

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

import { launchChromium, mapIdle } from './chromium.mjs';
import { startServer } from './lantern_server.mjs';

const { values: args } = parseArgs({
  options: { lantern: { type: 'string' }, city: { type: 'string' }, out: { type: 'string' } },
});
for (const name of ['lantern', 'city', 'out'])
  assert.ok(args[name], `--${name} is required`);
mkdirSync(args.out, { recursive: true });

// ---- known answers from GDAL ---------------------------------------------

function ogrRows(sql) {
  const text = execFileSync('ogrinfo', ['-ro', '-q', '-geom=NO', args.city, '-sql', sql], { encoding: 'utf8' });
  const rows = [];
  let row = null;
  for (const line of text.split('\n')) {
    if (/^OGRFeature/.test(line)) {
      row = {};
      rows.push(row);
    } else if (row) {
      const match = /^\s+(\w+) \(\w+\) = (.*)$/.exec(line);
      if (match)
        row[match[1]] = match[2];
    }
  }
  return rows;
}

// The alarm III depth grid (flood_depth_2.0m) at a point in the city's CRS;
// 0 where it is dry or has no data.
function alarm3Depth(x, y) {
  const [{ path }] = ogrRows("SELECT path FROM lantern_results WHERE name = 'flood_depth_2.0m'");
  const grid = join(dirname(args.city), path);
  const text = execFileSync('gdallocationinfo', ['-valonly', '-geoloc', grid, String(x), String(y)],
    { encoding: 'utf8' }).trim();
  const value = Number(text);
  return Number.isFinite(value) && value > 0 && value < 1e6 ? value : 0;
}

// A point of the city's CRS in WGS 84 longitude and latitude, by PROJ.
function toLonLat(srid, x, y) {
  const text = execFileSync('gdaltransform', ['-s_srs', `EPSG:${srid}`, '-t_srs', 'OGC:CRS84', '-output_xy'],
    { input: `${x} ${y}\n`, encoding: 'utf8' });
  return text.trim().split(/\s+/).map(Number);
}

// Parcels whose inner point lies in heritage zone I, largest first, with the
// planning zone holding that point; the first that floods at alarm III, or
// else the largest.
function pickParcel() {
  const candidates = ogrRows(`
    SELECT p.parcel_id AS parcel_id, X(c.pt) AS x, Y(c.pt) AS y, SRID(c.pt) AS srid,
           (SELECT z.zone_id FROM zones z WHERE Within(c.pt, z.geom)) AS zone_id,
           (SELECT z.max_height_m FROM zones z WHERE Within(c.pt, z.geom)) AS max_height_m,
           (SELECT w.name FROM wards w WHERE Within(c.pt, w.geom)) AS ward_name,
           (SELECT w.unit_name FROM wards w WHERE Within(c.pt, w.geom)) AS unit_name
    FROM (SELECT parcel_id, PointOnSurface(geom) AS pt, ST_Area(geom) AS area FROM parcels) c
    JOIN parcels p ON p.parcel_id = c.parcel_id
    JOIN heritage_zones h ON h.protection = 'I' AND Within(c.pt, h.geom)
    ORDER BY c.area DESC LIMIT 25`);
  assert.ok(candidates.length > 0, 'heritage zone I holds no parcel');
  const parcels = candidates.map((row) => {
    const [lon, lat] = toLonLat(row.srid, row.x, row.y);
    return { id: row.parcel_id, lon, lat, zone: row.zone_id, maxHeight: Number(row.max_height_m),
      ward: row.ward_name, unit: row.unit_name && row.unit_name !== '(null)' ? row.unit_name : null,
      depth: alarm3Depth(Number(row.x), Number(row.y)) };
  });
  return parcels.find((p) => p.depth > 0.05) ?? parcels[0];
}

// The old town's streets (docs/sample-city.md), and its middle: the centre
// of heritage zone I, in WGS 84.
const oldTownStreets = ['Trần Phú', 'Nguyễn Thái Học', 'Bạch Đằng', 'Lê Lợi', 'Phan Châu Trinh'];
function oldTownCentre() {
  const [row] = ogrRows(`SELECT X(c) AS x, Y(c) AS y, SRID(c) AS srid
    FROM (SELECT Centroid(Extent(geom)) AS c FROM heritage_zones WHERE protection = 'I')`);
  return toLonLat(row.srid, row.x, row.y);
}

const parcel = pickParcel();
const [zoneI] = ogrRows("SELECT name FROM heritage_zones WHERE protection = 'I'");
console.log(`parcel ${parcel.id} at ${parcel.lon}, ${parcel.lat}: zone ${parcel.zone}, alarm III depth ${parcel.depth.toFixed(2)} m`);

// ---- the server -------------------------------------------------------------

const { server, url } = await startServer(args.lantern, args.city);
const browser = await launchChromium();

const problems = [];
async function openPage(viewport, options = {}) {
  const context = await browser.newContext({ viewport, locale: 'en-GB', ...options });
  const page = await context.newPage();
  // Generous: under the sanitizers the server renders tiles several times slower.
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
    const target = request.url();
    if (!target.startsWith(url) && !/^(data|blob):/.test(target))
      problems.push(`request outside the server: ${target}`);
  });
  return page;
}

// Moves the map and waits until it has drawn the new view.
async function viewAt(page, lon, lat, zoom) {
  await page.evaluate(([x, y, z]) => new Promise((resolve) => {
    const map = window.lanternPortal.map;
    map.once('idle', resolve);
    map.jumpTo({ center: [x, y], zoom: z });
  }), [lon, lat, zoom]);
  await mapIdle(page);
}

async function clickAt(page, lon, lat) {
  const point = await page.evaluate(([x, y]) => window.lanternPortal.map.project([x, y]), [lon, lat]);
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + point.x, box.y + point.y);
}

const panelText = (page) => page.locator('#panel').innerText();

function depthIn(text) {
  const match = /depth ([\d.]+) m/.exec(text);
  return match ? Number(match[1]) : null;
}

try {
  // Desktop: the Ancient Town, tiles drawn, the parcel clicked.
  const page = await openPage({ width: 1366, height: 860 });
  let tilesServed = 0;
  page.on('response', (response) => {
    if (/\/tiles\/.*\.mvt/.test(response.url()) && response.status() === 200)
      tilesServed += 1;
  });
  const glyphRanges = new Set();
  page.on('response', (response) => {
    const glyphs = /\/fonts\/[^/]+\/(\d+-\d+)\.pbf$/.exec(response.url());
    if (glyphs && response.status() === 200)
      glyphRanges.add(glyphs[1]);
  });
  const catalogName = (await (await fetch(`${url}/catalog`)).json()).name;
  await page.goto(`${url}/#map=17.5/${parcel.lat}/${parcel.lon}&lang=en`);
  await mapIdle(page);
  assert.ok(tilesServed > 0, 'the map drew no tile from the server');
  const drawn = await page.evaluate(() => window.lanternPortal.map.queryRenderedFeatures().length);
  assert.ok(drawn > 0, 'no features drawn on the map');

  await clickAt(page, parcel.lon, parcel.lat);
  await page.locator('[data-section=parcel] h3', { hasText: parcel.id }).waitFor();
  const text = await panelText(page);
  assert.match(text, new RegExp(`Parcel ${parcel.id}\\b`));
  assert.match(text, new RegExp(`Planning zone ${parcel.zone}\\b`));
  assert.match(text, new RegExp(`Maximum height\\s+${parcel.maxHeight} m`));
  assert.ok(text.includes(zoneI.name), `the panel names heritage zone I: ${text}`);
  // The ward as it is now and as land records name it.
  const wardShown = parcel.unit && parcel.unit !== parcel.ward ? `${parcel.unit}, formerly ${parcel.ward}` : parcel.ward;
  assert.ok(text.includes(wardShown), `the panel names the ward as ${wardShown}: ${text}`);
  const alarm3 = await page.locator('[data-section=flood] li[data-stage="2.0"]').innerText();
  assert.match(alarm3, /Alarm III/);
  if (parcel.depth > 0.05) {
    const shown = depthIn(alarm3);
    assert.ok(shown !== null && Math.abs(shown - parcel.depth) <= 0.051,
      `alarm III depth shown ${alarm3}, GDAL reads ${parcel.depth}`);
  } else {
    assert.match(alarm3, /dry/);
  }
  assert.match(page.url(), /at=/);
  await page.screenshot({ path: join(args.out, 'portal-desktop.png') });

  // Names on the map, in Vietnamese with every mark, from the server's own
  // glyphs: the old town's streets along them, its heritage sites beside
  // them; wards and water once each at the city's scale.
  const labelled = (classes) => page.evaluate((wanted) => {
    const map = window.lanternPortal.map;
    const layers = map.getStyle().layers.filter((l) => l.type === 'symbol' && wanted.includes(l.metadata?.class));
    const classOf = Object.fromEntries(layers.map((l) => [l.id, l.metadata.class]));
    const names = {};
    for (const feature of map.queryRenderedFeatures({ layers: layers.map((l) => l.id) }))
      (names[classOf[feature.layer.id]] ??= new Set()).add(feature.properties.name);
    return Object.fromEntries(Object.entries(names).map(([k, v]) => [k, [...v].sort()]));
  }, classes);
  const [townLon, townLat] = oldTownCentre();
  await viewAt(page, townLon, townLat, 16.3);
  const inTown = await labelled(['roads', 'heritage_sites']);
  for (const street of oldTownStreets)
    assert.ok(inTown.roads?.includes(street), `${street} is not labelled: ${inTown.roads}`);
  assert.ok(inTown.heritage_sites?.includes('Chùa Cầu'), `Chùa Cầu is not labelled: ${inTown.heritage_sites}`);
  await page.screenshot({ path: join(args.out, 'portal-street-names.png') });
  await viewAt(page, townLon, townLat, 13);
  const inCity = await labelled(['wards', 'water']);
  const wardNames = new Set(ogrRows('SELECT name FROM wards').map((row) => row.name));
  const waterNames = new Set(ogrRows('SELECT name FROM water').map((row) => row.name));
  assert.ok(inCity.wards?.length >= 5 && inCity.wards.every((name) => wardNames.has(name)),
    `ward names: ${inCity.wards}`);
  assert.ok(inCity.water?.length >= 1 && inCity.water.every((name) => waterNames.has(name)),
    `water names: ${inCity.water}`);
  const wardLabels = await page.evaluate(() => window.lanternPortal.map.queryRenderedFeatures({
    layers: window.lanternPortal.map.getStyle().layers.filter((l) => l.metadata?.class === 'wards' && l.type === 'symbol')
      .map((l) => l.id) }).map((f) => f.properties.name));
  assert.equal(wardLabels.length, new Set(wardLabels).size, `a ward is named twice: ${wardLabels}`);
  assert.ok(glyphRanges.has('0-255') && glyphRanges.has('7680-7935'),
    `the glyph ranges of Vietnamese were not loaded: ${[...glyphRanges]}`);

  // The attribution: one line; its link lists every layer's source.
  assert.equal(await page.locator('#attribution').innerText(), `Lantern · ${catalogName} city data`);
  await page.locator('#attribution').click();
  await page.locator('#panel-title', { hasText: 'Data sources' }).waitFor();
  const [{ source: roadsSource }] = ogrRows("SELECT source FROM lantern_classes WHERE name = 'roads'");
  assert.match(await page.locator('.sources li[data-layer=roads]').innerText(), new RegExp(roadsSource.replace('.', '\\.')));
  await page.locator('#panel-close').click();

  // Search with suggestions: a heritage site without its accents, then the parcel id.
  await page.locator('#search-input').fill('chua ca');
  await page.locator('#suggestions li', { hasText: 'Chùa Cầu' }).first().waitFor();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#suggestions li[aria-selected=true]').count(), 1);
  await page.keyboard.press('Enter');
  await page.locator('[data-section=heritage] li', { hasText: 'Chùa Cầu' }).waitFor();
  await page.locator('#search-input').fill(parcel.id);
  await page.locator('#suggestions li[data-kind=parcel]', { hasText: parcel.id }).first().waitFor();
  await page.locator('#suggestions li[data-kind=parcel]', { hasText: parcel.id }).first().click();
  await page.locator('#panel-title', { hasText: `Parcel ${parcel.id}` }).waitFor();
  await page.locator('[data-section=zone] h4', { hasText: parcel.zone }).waitFor();
  assert.match(page.url(), new RegExp(`parcel=${parcel.id}`));

  // The flood-level selector draws the alarm III extent with its legend.
  await page.locator('#flood-stage').selectOption('2.0');
  await page.waitForFunction(() => window.lanternPortal.map.getLayoutProperty('flood-2.0', 'visibility') === 'visible');
  await page.evaluate(() => window.lanternPortal.map.setZoom(14));
  await mapIdle(page);
  const flooded = await page.evaluate(() => window.lanternPortal.map.queryRenderedFeatures({ layers: ['flood-2.0'] }).length);
  assert.ok(flooded > 0, 'the alarm III extent is not drawn');
  assert.equal(await page.locator('.flood-control .legend li').count(), 4);
  assert.match(page.url(), /flood=2\.0/);
  await page.screenshot({ path: join(args.out, 'portal-flood-alarm3.png') });

  // A result's toggle: the cameras with their coverage and the streets no camera watches.
  await page.locator('#toggle-cameras').check();
  await mapIdle(page);
  const drawnLayers = await page.evaluate(() =>
    [...new Set(window.lanternPortal.map.queryRenderedFeatures().map((f) => f.sourceLayer))]);
  for (const layer of ['camera_coverage', 'camera_gaps', 'cameras'])
    assert.ok(drawnLayers.includes(layer), `${layer} is not drawn: ${drawnLayers}`);
  assert.match(page.url(), /layers=[^&]*cameras/);
  assert.equal(await page.locator('li:has(#toggle-cameras) .legend li').count(), 3);
  await page.locator('#toggle-cameras').uncheck();

  // Every class is drawn with its description's style rules, as /catalog gives them.
  const catalog = await (await fetch(`${url}/catalog`)).json();
  const styleLayers = await page.evaluate(() => window.lanternPortal.map.getStyle().layers);
  for (const layer of catalog.layers.filter((l) => l.kind === 'class' && l.feature_count > 0)) {
    layer.style.forEach((rule, k) => {
      const drawn = styleLayers.filter((s) => s.metadata?.class === layer.name && s.metadata?.rule === k);
      assert.ok(drawn.length > 0, `${layer.name} rule ${k} is not in the map style`);
      for (const s of drawn) {
        const colour = s.paint['fill-color'] ?? s.paint['circle-color'] ?? s.paint['line-color'];
        const wanted = (s.type === 'line' ? rule.stroke : rule.fill).slice(0, 7);
        assert.equal(colour, wanted, `${s.id} is drawn in ${colour}, its description says ${wanted}`);
      }
    });
  }
  // The zones' legend names each zone type the description colours.
  const zoneRules = catalog.layers.find((l) => l.name === 'zones').style.filter((rule) => rule.where);
  assert.equal(await page.locator('li:has(#toggle-zones) .legend li').count(), zoneRules.length);
  assert.equal(await page.locator('li:has(#toggle-zones) .legend li', { hasText: 'Residential' }).count(), 1);

  // Vietnamese: the page and the open panel switch.
  await page.locator('#language').click();
  await page.locator('#title', { hasText: 'Tra cứu quy hoạch Hội An' }).waitFor();
  await page.locator('#panel-title', { hasText: `Thửa đất ${parcel.id}` }).waitFor();
  assert.match(await panelText(page), /Chiều cao tối đa/);
  if (parcel.unit && parcel.unit !== parcel.ward)
    assert.ok((await panelText(page)).includes(`${parcel.unit}, trước đây là ${parcel.ward}`),
      `the Vietnamese panel names the ward as it was: ${await panelText(page)}`);
  assert.match(page.url(), /lang=vi/);
  const permalink = page.url();

  // The printable sheet: map extract, rules, flood, heritage, data version and date.
  await page.evaluate(() => { window.print = () => { window.printed = true; }; });
  await page.locator('#print-sheet').click();
  await page.waitForFunction(() => window.printed === true);
  const sheet = await page.locator('#sheet').textContent();
  assert.ok(sheet.includes(parcel.id) && sheet.includes('phiên bản') && sheet.includes(new Date().toISOString().slice(0, 10)),
    `the sheet lacks the parcel, the data version or the date: ${sheet}`);
  assert.ok((await page.locator('#sheet img').getAttribute('src')).length > 10000, 'the sheet has no map extract');
  await page.emulateMedia({ media: 'print' });
  const pdf = join(args.out, 'parcel-sheet.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  assert.ok(statSync(pdf).size > 20000, 'the parcel sheet PDF is nearly empty');

  // The permalink on a phone: same parcel, stage and language; the panel a bottom sheet.
  const phone = await openPage({ width: 390, height: 844 }, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await phone.goto(permalink);
  await mapIdle(phone);
  await phone.locator('#panel-title', { hasText: `Thửa đất ${parcel.id}` }).waitFor();
  assert.equal(await phone.locator('#flood-stage').inputValue(), '2.0');
  const sheetBox = await phone.locator('#panel').boundingBox();
  assert.ok(Math.abs(sheetBox.y + sheetBox.height - 844) < 2 && sheetBox.width >= 388,
    `the panel is not a bottom sheet on a phone: ${JSON.stringify(sheetBox)}`);
  assert.equal(await phone.locator('#layers-panel').isVisible(), false);
  await phone.screenshot({ path: join(args.out, 'portal-phone.png') });
  await phone.locator('#layers-button').click();
  assert.equal(await phone.locator('#layers-panel').isVisible(), true);
  await phone.screenshot({ path: join(args.out, 'portal-phone-layers.png') });

  assert.deepEqual(problems, [], 'the pages reported problems');
  console.log(`portal test passed: ${tilesServed} tiles on the desktop page; screenshots in ${args.out}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
