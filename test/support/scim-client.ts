/**
 * Replays documented IdP exchanges (test/scim/fixtures/idp-exchanges.json) through a SCIM client and
 * checks each step's `expect` block exactly as written.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ScimClient } from './scim-requests.js';

/** One documented request of an IdP and what the IdP expects back. */
export interface IdpStep {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** A JSON body, or the prose "same as create" (the previous create's body again). */
  body?: unknown;
  expect: StepExpectation;
  alt_expect?: string;
  note?: string;
}

/** The `expect` block of a step. `not`, `note` and `semantics` are prose, checked by each IdP's test file. */
export interface StepExpectation {
  status: number | number[];
  body?: Record<string, unknown>;
  body_schema?: string;
  fields?: string[];
  fields_if_200?: string[];
  integers?: string[];
  no_field?: string;
  totalResults?: number | number[];
  not?: string;
  note?: string;
  semantics?: string;
}

const EXPECTATION_KEYS = new Set(['status', 'body', 'body_schema', 'fields', 'fields_if_200', 'integers', 'no_field', 'totalResults', 'not', 'note', 'semantics']);

/** Values for `{{name}}` placeholders. */
export type Placeholders = Record<string, string | undefined>;

function substitute(text: string, vars: Placeholders, encode: boolean): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`placeholder {{${name}}} has no value yet`);
    return encode ? encodeURIComponent(value) : value;
  });
}

/** The step's path with placeholders filled (URL-encoded, as the rest of the path already is). */
export function fillPath(path: string, vars: Placeholders): string {
  return substitute(path, vars, true);
}

/** A copy of a JSON body with placeholders filled in every string. */
export function fillBody(body: unknown, vars: Placeholders): unknown {
  if (typeof body === 'string') return substitute(body, vars, false);
  if (Array.isArray(body)) return body.map((v) => fillBody(v, vars));
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, fillBody(v, vars)]));
  return body;
}

/** The JSON body of a response, or undefined when it has none. */
export function bodyOf(res: LightMyRequestResponse): any {
  return res.body === '' ? undefined : res.json();
}

/**
 * The value at a field spec's path: `name.middleName`, `emails[0].value`, or a URN-qualified
 * `urn:…:enterprise:2.0:User.employeeNumber` (the URN is the longest key of the resource it prefixes).
 */
export function fieldAt(resource: Record<string, unknown>, path: string): unknown {
  let current: unknown = resource;
  let rest = path;
  if (/^(urn:|https?:)/i.test(path)) {
    const urn = Object.keys(resource).filter((k) => path.startsWith(`${k}.`)).sort((a, b) => b.length - a.length)[0];
    if (urn === undefined) return undefined;
    current = resource[urn];
    rest = path.slice(urn.length + 1);
  }
  for (const segment of rest.split('.')) {
    const [, key, indexes] = /^([^[]+)((?:\[\d+\])*)$/.exec(segment) ?? [];
    if (key === undefined) throw new Error(`bad field path ${path}`);
    current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
    for (const [, i] of indexes.matchAll(/\[(\d+)\]/g)) current = Array.isArray(current) ? current[Number(i)] : undefined;
  }
  return current;
}

/**
 * Checks one field spec: `id` (present, not empty), `active=true` (a JSON boolean),
 * `active=false (boolean)`, `name.middleName=Excited` (a string).
 */
export function expectField(resource: Record<string, unknown>, spec: string): void {
  const eq = spec.indexOf('=');
  if (eq === -1) {
    const value = fieldAt(resource, spec);
    expect(value, `field ${spec}`).not.toBeUndefined();
    expect(value, `field ${spec}`).not.toBe('');
    expect(value, `field ${spec}`).not.toBeNull();
    return;
  }
  const path = spec.slice(0, eq);
  const raw = spec.slice(eq + 1).replace(/ \(boolean\)$/, '');
  const wanted = raw === 'true' ? true : raw === 'false' ? false : raw;
  expect(fieldAt(resource, path), `field ${spec}`).toStrictEqual(wanted);
}

/** The statuses a step allows. */
export function allowedStatuses(expectation: StepExpectation): number[] {
  return Array.isArray(expectation.status) ? expectation.status : [expectation.status];
}

/** Checks a response against a step's `expect` block, every key of it; prose keys are left to the caller. */
export function expectStep(step: IdpStep, res: LightMyRequestResponse): void {
  const e = step.expect;
  for (const key of Object.keys(e)) expect(EXPECTATION_KEYS.has(key), `unknown expect key "${key}" in step "${step.name}"`).toBe(true);
  expect(allowedStatuses(e), `${step.method} ${step.path}: ${res.body}`).toContain(res.statusCode);
  const body = bodyOf(res);
  if (res.statusCode === 204) {
    expect(res.body).toBe('');
  } else {
    // RFC 7644 §3.1: every SCIM response body is application/scim+json.
    expect(String(res.headers['content-type'])).toMatch(/^application\/scim\+json(;|$)/);
    expect(body).toBeTypeOf('object');
  }
  if (e.body) for (const [key, value] of Object.entries(e.body)) expect(body?.[key], `body.${key}`).toStrictEqual(value);
  if (e.body_schema) expect(body?.schemas).toContain(e.body_schema);
  for (const spec of e.fields ?? []) expectField(body, spec);
  if (res.statusCode === 200) for (const spec of e.fields_if_200 ?? []) expectField(body, spec);
  for (const name of e.integers ?? []) expect(Number.isInteger(body?.[name]), `${name} is an integer (got ${JSON.stringify(body?.[name])})`).toBe(true);
  if (e.totalResults !== undefined) {
    expect(Number.isInteger(body?.totalResults)).toBe(true);
    expect([e.totalResults].flat()).toContain(body.totalResults);
  }
  if (e.no_field) {
    const resources: Record<string, unknown>[] = Array.isArray(body?.Resources) ? body.Resources : [body];
    for (const resource of resources) expect(resource, `no "${e.no_field}"`).not.toHaveProperty([e.no_field]);
  }
  // RFC 7643 §3.1: `id` is on every resource returned (Entra: "'id' required on every returned resource").
  if (body && res.statusCode < 300) {
    const resources: Record<string, unknown>[] = Array.isArray(body.Resources) ? body.Resources : [body];
    for (const resource of resources) expect(resource.id, 'resource id').toEqual(expect.any(String));
  }
}

/** Runs a step through `client` with `headers`, returning the response; placeholders are filled from `vars`. */
export function sendStep(client: ScimClient, step: IdpStep, vars: Placeholders, body: unknown, headers: Record<string, string>) {
  return client.request({ method: step.method, path: fillPath(step.path, vars), body: body === undefined ? undefined : fillBody(body, vars), headers });
}
