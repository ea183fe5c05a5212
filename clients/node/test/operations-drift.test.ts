/**
 * The client's table of operations (src/operations.ts) against the OpenAPI document the server serves
 * (docs/openapi.json, checked by test/openapi-types.test.ts): every operation of the covered APIs is
 * called by the client, and the client calls nothing the server does not have. The web UI's session
 * routes (/ui/*), /healthz, the Frontegg-compatible role routes (/identity/resources/groups/v1…) and
 * Google's OAuth redirect (a browser's, not a program's) are not the client's.
 */
import { OPERATIONS } from '@rollcall/client';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Browser routes under the covered prefixes. */
const BROWSER_ONLY = new Set(['GET /api/v1/google-workspace/oauth/callback']);
const COVERED = [/^\/api\/v1\//, /^\/auth\/vendor$/, /^\/tenants\/resources\/tenants\/v1(\/|$)/, /^\/directory\/resources\/v1\/configurations\/scim2(\/|$)/];
const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete']);

const document = JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };

/** `METHOD path` of every operation in the document. */
const served = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.has(m)).map((m) => `${m.toUpperCase()} ${path}`));
const called = Object.values(OPERATIONS).map(({ method, path }) => `${method.toUpperCase()} ${path}`);

describe('the client’s operations and the OpenAPI document', () => {
  it('covers every operation of the management, directory, events, tenants and configuration APIs', () => {
    const covered = served.filter((op) => !BROWSER_ONLY.has(op) && COVERED.some((prefix) => prefix.test(op.split(' ')[1])));
    expect(covered.length).toBeGreaterThan(40);
    expect(covered.filter((op) => !called.includes(op))).toEqual([]);
  });

  it('calls only operations the server has, each under one name', () => {
    expect(called.filter((op) => !served.includes(op))).toEqual([]);
    expect(new Set(called).size).toBe(called.length);
  });
});
