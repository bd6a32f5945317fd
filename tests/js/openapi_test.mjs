// The OpenAPI document of `lantern serve` (/api/openapi.json) against the
// OpenAPI 3.0 schema, by an independent validator (@apidevtools/swagger-parser,
// which also resolves every $ref), and every documented path without
// parameters answered by the running server.
//
//   node openapi_test.mjs --lantern LANTERN --city CITY.sqlite

import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';

import SwaggerParser from '@apidevtools/swagger-parser';

import { startServer } from './lantern_server.mjs';

const { values: args } = parseArgs({ options: { lantern: { type: 'string' }, city: { type: 'string' } } });
assert.ok(args.lantern && args.city, '--lantern and --city are required');

const { server, url } = await startServer(args.lantern, args.city);
try {
  const document = await (await fetch(`${url}/api/openapi.json`)).json();
  await SwaggerParser.validate(structuredClone(document));
  // The validator does reject a document that breaks the schema.
  const broken = structuredClone(document);
  broken.paths['/api/lookup'].get.responses = { 200: { content: {} } };
  await assert.rejects(SwaggerParser.validate(broken));
  assert.match(document.openapi, /^3\.0\./);
  const paths = Object.keys(document.paths);
  for (const wanted of ['/api/lookup', '/api/parcels/{parcelId}', '/api/search', '/ogc', '/ogc/collections'])
    assert.ok(paths.some((path) => path.endsWith(wanted)), `the document lacks ${wanted}: ${paths}`);
  const base = new URL(document.servers?.[0]?.url ?? url).pathname.replace(/\/$/, '');
  for (const path of paths.filter((p) => !p.includes('{'))) {
    const response = await fetch(`${url}${base}${path}`);
    assert.notEqual(response.status, 404, `${path} is documented but not served`);
  }
  console.log(`OpenAPI ${document.openapi} document valid: ${paths.length} paths`);
} finally {
  server.kill('SIGTERM');
}
