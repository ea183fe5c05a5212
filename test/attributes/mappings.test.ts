/**
 * GET/PUT /api/v1/connections/{id}/attribute-mappings and the preview: each provider's defaults,
 * core, enterprise, custom-extension and value-filtered paths, validation in plain words, defaults
 * that stay defaults, self-service permissions, tenant isolation and the audit entry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { READ, WRITE, bearer, mintToken, setSelfService } from '../self-service/support.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { scimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';
import { ENTERPRISE, OKTA_CUSTOM, getMappings, mappingsUrl, putMappings, setCatalogue } from './support.js';

describe.each(dialectsUnderTest())('attribute mappings (%s)', (dialect) => {
  const t = useTestApp(dialect);
  beforeAll(async () => {
    await setCatalogue(t, {
      predefined: ['department', 'phoneNumber', 'locale', 'workAddress'],
      custom: [{ key: 'seatType', type: 'string', required: true }, { key: 'seats', type: 'number' }],
    });
  });

  it("fills in each provider's defaults, custom attributes from the custom extension", async () => {
    await createTenant(t, 'map-defaults');
    const okta = await getMappings(t, (await createConnection(t, 'map-defaults', 'okta')).id);
    const entra = await getMappings(t, (await createConnection(t, 'map-defaults', 'azure-ad')).id);
    const custom = 'urn:ietf:params:scim:schemas:extension:rollcall:2.0:User';
    expect(okta.mappings).toEqual({
      department: `${ENTERPRISE}:department`,
      phoneNumber: 'phoneNumbers[primary eq true].value',
      locale: 'locale',
      workAddress: 'addresses[type eq "work"]',
      seatType: `${custom}:seatType`,
      seats: `${custom}:seats`,
    });
    expect(entra.mappings).toMatchObject({ phoneNumber: 'phoneNumbers[type eq "work"].value', locale: 'preferredLanguage' });
    expect(okta.defaults).toEqual(okta.mappings);
    expect(okta.attributes.find((a: any) => a.key === 'seatType')).toMatchObject({ kind: 'custom', type: 'string', required: true, customized: false });
    expect(okta).toMatchObject({ missingRequired: [], problemUsers: 0, evaluation: { state: 'idle' } });
  });

  it('takes core, extension and value-filtered paths; a default stays a default; null maps to nothing', async () => {
    await createTenant(t, 'map-set');
    const { id } = await createConnection(t, 'map-set', 'okta');
    const res = await putMappings(t, id, {
      department: `${OKTA_CUSTOM}:dept`,
      phoneNumber: 'phoneNumbers[type eq "mobile" and primary eq true].value',
      locale: 'locale',
      seatType: null,
      seats: 'addresses[type eq "work"].postalCode',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.mappings).toMatchObject({ department: `${OKTA_CUSTOM}:dept`, seatType: null, seats: 'addresses[type eq "work"].postalCode', locale: 'locale' });
    expect(body.attributes.find((a: any) => a.key === 'locale').customized).toBe(false);
    expect(body.attributes.find((a: any) => a.key === 'department').customized).toBe(true);
    expect(body.missingRequired).toEqual(['seatType']);
    // Replaces: what a PUT leaves out goes back to its default.
    const replaced = (await putMappings(t, id, { seats: null })).json();
    expect(replaced.mappings).toMatchObject({ department: `${ENTERPRISE}:department`, seatType: expect.stringContaining(':seatType'), seats: null });
    // A GET body's mappings sent back whole keep what they were.
    const whole = await getMappings(t, id);
    expect((await putMappings(t, id, whole.mappings)).json().mappings).toEqual(whole.mappings);
  });

  it('refuses unknown attributes and paths that are no SCIM path with 400 in plain words, changing nothing', async () => {
    await createTenant(t, 'map-bad');
    const { id } = await createConnection(t, 'map-bad', 'okta');
    await putMappings(t, id, { department: 'title' });
    for (const [mappings, field, message] of [
      [{ shoeSize: 'title' }, 'mappings.shoeSize', /not an attribute of the catalogue/],
      [{ department: 'emails[type eq "work"' }, 'mappings.department', /Not a SCIM attribute path/],
      [{ department: 'emails[type eq ]' }, 'mappings.department', /Not a SCIM attribute path \(at character \d+\)/],
      [{ department: '' }, 'mappings.department', /empty/],
      [{ department: 'emails[type eq "work"].value.extra' }, 'mappings.department', /Not a SCIM attribute path/],
    ] as const) {
      const res = await putMappings(t, id, mappings);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', field });
      expect(res.json().message).toMatch(message);
    }
    expect((await putMappings(t, id, { department: 42 })).statusCode).toBe(400);
    expect((await getMappings(t, id)).mappings.department).toBe('title');
  });

  it('previews proposed mappings against a real provisioned user, with conversion problems and path errors', async () => {
    await createTenant(t, 'map-preview');
    const connection = await createConnection(t, 'map-preview', 'okta');
    const client = scimClient(t, connection);
    const empty = await t.app.inject({ method: 'POST', url: `${mappingsUrl(connection.id)}/preview`, headers: { authorization: t.auth }, payload: {} });
    expect(empty.json()).toEqual({ user: null, values: {}, problems: [], errors: {} });
    const ann = await client.createUser({
      userName: 'ann@acme.test',
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, OKTA_CUSTOM],
      [ENTERPRISE]: { department: 'R&D' },
      [OKTA_CUSTOM]: { seat: 'full', seatCount: 'three' },
      phoneNumbers: [{ value: '+1 555 0100', type: 'work', primary: true }],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `${mappingsUrl(connection.id)}/preview`,
      headers: { authorization: t.auth },
      payload: { userId: ann.id, mappings: { seatType: `${OKTA_CUSTOM}:seat`, seats: `${OKTA_CUSTOM}:seatCount`, locale: 'emails[type eq ' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      user: { id: ann.id, userName: 'ann@acme.test' },
      values: { department: 'R&D', phoneNumber: '+1 555 0100', seatType: 'full', seats: null, locale: null, workAddress: null },
      problems: [{ key: 'seats', reason: '"three" is not a number' }],
      errors: { locale: expect.stringMatching(/Not a SCIM attribute path/) },
    });
    // Nothing was stored.
    expect((await getMappings(t, connection.id)).mappings.seatType).toMatch(/:seatType$/);
    // A user name names the user too (the portal's admin knows names, not ids).
    const byName = await t.app.inject({ method: 'POST', url: `${mappingsUrl(connection.id)}/preview`, headers: { authorization: t.auth }, payload: { userId: 'ANN@acme.test' } });
    expect(byName.json().user).toMatchObject({ id: ann.id });
    const other = await t.app.inject({ method: 'POST', url: `${mappingsUrl(connection.id)}/preview`, headers: { authorization: t.auth }, payload: { userId: 'no-such-user' } });
    expect(other.statusCode).toBe(404);
  });

  it("lets a customer admin read and preview with the read permission and map with the write permission, in its own tenant only, audited", async () => {
    await createTenant(t, 'map-own');
    await createTenant(t, 'map-other');
    const own = await createConnection(t, 'map-own', 'okta');
    const foreign = await createConnection(t, 'map-other', 'okta');
    await setSelfService(t, true);
    const reader = bearer(await mintToken(t, { tenantId: 'map-own', permissions: [READ] }));
    const writer = bearer(await mintToken(t, { tenantId: 'map-own', permissions: [READ, WRITE] }));
    const nobody = bearer(await mintToken(t, { tenantId: 'map-own', permissions: [] }));
    expect((await t.app.inject({ url: mappingsUrl(own.id), headers: reader })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `${mappingsUrl(own.id)}/preview`, headers: reader, payload: {} })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/connections/${own.id}/attribute-problems`, headers: reader })).statusCode).toBe(200);
    expect((await t.app.inject({ url: mappingsUrl(own.id), headers: nobody })).statusCode).toBe(403);
    expect((await putMappings(t, own.id, { department: 'title' }, reader)).statusCode).toBe(403);
    const written = await putMappings(t, own.id, { department: 'title' }, writer);
    expect(written.statusCode, written.body).toBe(200);
    // Another tenant's connection does not exist for this token; its mappings are untouched.
    expect((await t.app.inject({ url: mappingsUrl(foreign.id), headers: writer })).statusCode).toBe(404);
    expect((await putMappings(t, foreign.id, { department: 'title' }, writer)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `${mappingsUrl(foreign.id)}/preview`, headers: writer, payload: {} })).statusCode).toBe(404);
    expect((await getMappings(t, foreign.id)).mappings.department).toBe(`${ENTERPRISE}:department`);
    // The catalogue is the vendor's: a user token does not open it.
    expect((await t.app.inject({ url: '/api/v1/attributes', headers: writer })).statusCode).toBe(401);
    const audit = (await t.app.inject({ url: '/api/v1/audit?tenantId=map-own&action=connection.updated', headers: { authorization: t.auth } })).json();
    expect(audit.items.find((e: any) => e.target.id === own.id && e.data.change === 'attribute_mappings.updated')).toMatchObject({
      actor: { type: 'user', tenantId: 'map-own' },
      data: { mappings: { department: 'title' } },
    });
    await setSelfService(t, false);
  });
});
