/**
 * GET/PUT /api/v1/attributes: the predefined attributes with their defaults per provider, custom
 * attributes, validation that changes nothing, the audit entry, and the custom SCIM extension in
 * /Schemas and /ResourceTypes.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { newScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';
import { CATALOGUE, ENTERPRISE, setCatalogue } from './support.js';

const PREDEFINED_KEYS = ['jobTitle', 'department', 'division', 'costCenter', 'organization', 'employeeNumber', 'employeeType', 'manager', 'phoneNumber', 'locale', 'timezone', 'workAddress'];

describe.each(dialectsUnderTest())('attribute catalogue (%s)', (dialect) => {
  const t = useTestApp(dialect);

  it('lists the standard and predefined attributes, all off, with their default source per provider', async () => {
    const res = await t.app.inject({ url: CATALOGUE, headers: { authorization: t.auth } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.standard.map((a: any) => a.key)).toEqual(['userName', 'email', 'firstName', 'lastName', 'displayName', 'active']);
    const keys = body.predefined.map((a: any) => a.key);
    for (const key of PREDEFINED_KEYS) expect(keys).toContain(key);
    expect(body.predefined.every((a: any) => a.enabled === false)).toBe(true);
    const phone = body.predefined.find((a: any) => a.key === 'phoneNumber');
    expect(phone.defaults).toMatchObject({ okta: 'phoneNumbers[primary eq true].value', 'azure-ad': 'phoneNumbers[type eq "work"].value' });
    expect(body.predefined.find((a: any) => a.key === 'department').defaults.okta).toBe(`${ENTERPRISE}:department`);
    expect(body.predefined.find((a: any) => a.key === 'manager').type).toBe('user');
    expect(body).toMatchObject({ custom: [], customSchema: 'urn:ietf:params:scim:schemas:extension:rollcall:2.0:User', evaluation: { connections: 0 } });
  });

  it('sets predefined and custom attributes, and refuses bad ones with 400 naming the field, changing nothing', async () => {
    const set = await setCatalogue(t, {
      predefined: ['department', 'jobTitle'],
      custom: [{ key: 'seatType', type: 'string', description: 'Seat', required: true }, { key: 'seats', type: 'number' }],
    });
    // Predefined keys come back in catalogue order, custom ones as sent with their defaults filled in.
    expect(set.predefined.filter((a: any) => a.enabled).map((a: any) => a.key)).toEqual(['jobTitle', 'department']);
    expect(set.custom).toEqual([
      { key: 'seatType', type: 'string', description: 'Seat', required: true },
      { key: 'seats', type: 'number', description: '', required: false },
    ]);
    const bad: [Record<string, unknown>, string][] = [
      [{ predefined: ['shoeSize'], custom: [] }, 'predefined.0'],
      [{ predefined: [], custom: [{ key: '9lives', type: 'string' }] }, 'custom.0.key'],
      [{ predefined: [], custom: [{ key: 'a', type: 'string' }, { key: 'A', type: 'number' }] }, 'custom.1.key'],
      [{ predefined: [], custom: [{ key: 'department', type: 'string' }] }, 'custom.0.key'],
      [{ predefined: [], custom: [{ key: 'email', type: 'string' }] }, 'custom.0.key'],
      [{ predefined: [], custom: [{ key: 'x', type: 'object' }] }, 'custom.0.type'],
      [{ predefined: [], custom: [], customSchema: 'not a urn' }, 'customSchema'],
      [{ predefined: [], custom: [], customSchema: ENTERPRISE }, 'customSchema'],
      [{ custom: [] }, 'predefined'],
    ];
    for (const [body, field] of bad) {
      const res = await t.app.inject({ method: 'PUT', url: CATALOGUE, headers: { authorization: t.auth }, payload: body });
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
      expect(res.json().field, JSON.stringify(body)).toBe(field);
    }
    const after = (await t.app.inject({ url: CATALOGUE, headers: { authorization: t.auth } })).json();
    expect(after.custom.map((a: any) => a.key)).toEqual(['seatType', 'seats']);
  });

  it('records each change in the audit log with what it was before and after', async () => {
    await setCatalogue(t, { predefined: ['costCenter'], custom: [] });
    const audit = (await t.app.inject({ url: '/api/v1/audit?action=attributes.updated', headers: { authorization: t.auth } })).json();
    expect(audit.items[0]).toMatchObject({ action: 'attributes.updated', tenantId: null, actor: { type: 'credential' }, data: { after: { predefined: ['costCenter'], custom: [] } } });
  });

  it('advertises the custom attributes as a SCIM extension under the URN the vendor names', async () => {
    await createTenant(t, 'cat-scim');
    const client = await newScimClient(t, 'cat-scim');
    const urn = 'urn:acme:params:scim:schemas:extension:acme:1.0:User';
    await setCatalogue(t, { predefined: [], custom: [{ key: 'seatType', type: 'string', description: 'Seat' }, { key: 'regions', type: 'string[]' }, { key: 'startDate', type: 'date' }], customSchema: urn });
    const types = (await client.get('/ResourceTypes/User')).json();
    expect(types.schemaExtensions).toEqual([
      { schema: ENTERPRISE, required: false },
      { schema: urn, required: false },
    ]);
    const schemas = (await client.get('/Schemas')).json();
    expect(schemas.totalResults).toBe(4);
    const custom = (await client.get(`/Schemas/${urn}`)).json();
    expect(custom.id).toBe(urn);
    expect(custom.attributes.map((a: any) => [a.name, a.type, a.multiValued])).toEqual([
      ['seatType', 'string', false],
      ['regions', 'string', true],
      ['startDate', 'string', false],
    ]);
    // A user sent with the extension keeps it, and reads it back.
    const user = await client.createUser({ userName: 'ext@acme.test', schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', urn], [urn]: { seatType: 'full' } });
    expect(user[urn]).toEqual({ seatType: 'full' });
    // Without custom attributes nothing extra is advertised.
    await setCatalogue(t, { predefined: [], custom: [] });
    expect((await client.get('/ResourceTypes/User')).json().schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    expect((await client.get(`/Schemas/${urn}`)).statusCode).toBe(404);
  });
});
