/**
 * The `unquotedFilterValues` switch: `userName eq jdoe@acme.com` (authentik's SCIM provider, scripts
 * copied from Microsoft's example `externalId eq jyoung`) is 400 invalidFilter by default, and found
 * when set, in list filters and both /.search endpoints. Where the grammar leaves doubt the filter
 * is still a 400; literals keep their JSON meaning.
 */
import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { dialectsUnderTest } from '../../support/databases.js';
import { createConnection, createTenant } from '../../support/fixtures.js';
import { SEARCH_REQUEST, idsOf, q, scimClient, type ScimClient } from '../../support/scim-requests.js';
import { useTestApp } from '../../support/test-app.js';
import { setSwitches } from './support.js';

describe('bare filter values (parser)', () => {
  const bare = (text: string) => parseFilter(text, undefined, { unquotedValues: true });

  it('reads a bare run as a string, up to a space, ")" or "]"', () => {
    expect(bare('userName eq jdoe@acme.com')).toEqual({ kind: 'compare', path: { attr: 'userName' }, op: 'eq', value: 'jdoe@acme.com' });
    expect(bare('(title eq Employee) and active eq true')).toMatchObject({ kind: 'and', left: { value: 'Employee' }, right: { value: true } });
    expect(bare('emails[value eq a.b+c@x.io]')).toMatchObject({ kind: 'valuePath', filter: { value: 'a.b+c@x.io' } });
    expect(bare('externalId eq 00u1-ABC_9')).toMatchObject({ value: '00u1-ABC_9' });
    expect(bare('userName sw j and userName ew .com')).toMatchObject({ left: { op: 'sw', value: 'j' }, right: { op: 'ew', value: '.com' } });
  });

  it('keeps quoted strings, numbers, true, false and null as JSON reads them', () => {
    expect(bare('userName eq "john smith"')).toMatchObject({ value: 'john smith' });
    expect(bare('x eq 42')).toMatchObject({ value: 42 });
    expect(bare('x eq -1.5e3')).toMatchObject({ value: -1500 });
    expect(bare('active eq TRUE')).toMatchObject({ value: true });
    expect(bare('manager eq null')).toMatchObject({ value: null });
    // Not a JSON number: a string.
    expect(bare('employeeNumber eq 0042')).toMatchObject({ value: '0042' });
  });

  it('still refuses what it cannot read without doubt', () => {
    for (const text of ['userName eq John Smith', 'userName eq', 'userName eq "open', 'userName eq a"b', 'userName eq f(x)', 'userName eq a[0]', 'userName eq )']) {
      expect(() => bare(text), text).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidFilter' }));
    }
  });

  it('is off unless asked for', () => {
    expect(() => parseFilter('userName eq jdoe')).toThrow(/strings need double quotes/);
    expect(() => parseFilter('userName eq jdoe@acme.com')).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe.each(dialectsUnderTest())('unquoted filter values over HTTP (%s)', (dialect) => {
  const t = useTestApp(dialect);

  async function setUp(tenantId: string): Promise<{ id: string; client: ScimClient; jdoe: string }> {
    await createTenant(t, tenantId);
    const connection = await createConnection(t, tenantId, 'okta');
    const client = scimClient(t, connection);
    const jdoe = (await client.createUser({ userName: 'jdoe@acme.com', externalId: 'jyoung', title: 'Employee' })).id;
    await client.createUser({ userName: 'other@acme.com', title: 'Contractor' });
    return { id: connection.id, client, jdoe };
  }

  it('answers 400 invalidFilter by default', async () => {
    const { client } = await setUp('ufv-off');
    for (const filter of ['userName eq jdoe@acme.com', 'title eq Employee', 'externalId eq jyoung']) {
      const res = await client.get(`/Users?filter=${q(filter)}`);
      expect(res.statusCode, filter).toBe(400);
      expect(res.json()).toMatchObject({ scimType: 'invalidFilter' });
    }
  });

  it('finds by bare values when set: list, /Users/.search and the root /.search', async () => {
    const { id, client, jdoe } = await setUp('ufv-on');
    await setSwitches(t, id, { unquotedFilterValues: true });
    for (const filter of ['userName eq jdoe@acme.com', 'title eq Employee', 'externalId eq jyoung', 'userName eq "jdoe@acme.com"', 'title eq Employee and active eq true']) {
      const res = await client.get(`/Users?filter=${q(filter)}`);
      expect(res.statusCode, `${filter}: ${res.body}`).toBe(200);
      expect(idsOf(res), filter).toEqual([jdoe]);
    }
    const search = await client.post('/Users/.search', { schemas: [SEARCH_REQUEST], filter: 'userName eq jdoe@acme.com' });
    expect(idsOf(search)).toEqual([jdoe]);
    const root = await client.post('/.search', { schemas: [SEARCH_REQUEST], filter: 'userName eq jdoe@acme.com' });
    expect(idsOf(root)).toEqual([jdoe]);
    // Doubtful input is still a 400, not a guess.
    const doubt = await client.get(`/Users?filter=${q('userName eq John Smith')}`);
    expect(doubt.statusCode).toBe(400);
    expect(doubt.json().scimType).toBe('invalidFilter');
  });

  it('is on by default for a generic SCIM client', async () => {
    await createTenant(t, 'ufv-other');
    const client = scimClient(t, await createConnection(t, 'ufv-other', 'other'));
    const user = await client.createUser({ userName: 'akadmin' });
    expect(idsOf(await client.get(`/Users?filter=${q('userName eq akadmin')}`))).toEqual([user.id]);
  });
});
