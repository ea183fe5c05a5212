/**
 * Substring filters (`co`, `sw`, `ew`) on userName, displayName and externalId go through trigram
 * indexes (SQLite FTS5, PostgreSQL pg_trgm; migration 0013). The index only narrows: answers are
 * exactly a scan's, as a resource is created, renamed and deleted, in every case and script, for
 * values shorter than a trigram, for another connection's users, and on SQLite after VACUUM.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { trigramQuery } from '../../src/db/sqlite/substring-search.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { newScimClient, patchOp, q, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

describe('trigramQuery', () => {
  it('ANDs the distinct trigrams of the value in its column, quoting double quotes', () => {
    expect(trigramQuery('user_name', 'abcd')).toBe('user_name:"abc" AND user_name:"bcd"');
    expect(trigramQuery('user_name', 'aaaa')).toBe('user_name:"aaa"');
    expect(trigramQuery('display_name', 'a"b"')).toBe('display_name:"a""b" AND display_name:"""b"""');
    expect(trigramQuery('display_name', 'ab')).toBeUndefined();
    // Code points, not UTF-16 units.
    expect(trigramQuery('display_name', '😀ab')).toBe('display_name:"😀ab"');
  });
});

for (const dialect of dialectsUnderTest()) {
  describe(`substring filters through trigram indexes [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let scim: ScimClient;
    let other: ScimClient;
    const ids: Record<string, string> = {};

    const names = async (filter: string, client = scim) => {
      const res = await client.get(`/Users?count=200&filter=${q(filter)}`);
      expect(res.statusCode).toBe(200);
      return (res.json().Resources as { userName: string }[]).map((u) => u.userName).sort();
    };

    beforeAll(async () => {
      await createTenant(t, 'search');
      scim = await newScimClient(t, 'search');
      other = await newScimClient(t, 'search');
      const people = [
        ['Élodie.Martin@example.com', 'Élodie Martin', 'EXT-Alpha-1'],
        ['jdoe@example.com', 'John Doe', 'ext-beta-2'],
        ['anna.doe@example.org', 'Anna "Quoted" Doe', 'Ext-Gamma-3'],
        ['zoë@example.net', 'Zoë 😀 Smiles', 'ext-delta-4'],
        ['bob@example.com', 'Bob', null],
      ] as const;
      for (const [userName, displayName, externalId] of people) {
        const user = await scim.createUser({ userName, displayName, ...(externalId ? { externalId } : {}) });
        ids[userName] = user.id;
      }
      await other.createUser({ userName: 'jdoe@other.example.com', displayName: 'John Doe (other)', externalId: 'ext-beta-2' });
    });

    it('finds substrings case-insensitively in userName and displayName, exactly in externalId', async () => {
      expect(await names('userName co "EXAMPLE.COM"')).toEqual(['bob@example.com', 'jdoe@example.com', 'Élodie.Martin@example.com']);
      expect(await names('userName sw "jdo"')).toEqual(['jdoe@example.com']);
      expect(await names('userName ew ".ORG"')).toEqual(['anna.doe@example.org']);
      expect(await names('displayName co "DOE"')).toEqual(['anna.doe@example.org', 'jdoe@example.com']);
      expect(await names('displayName co "élodie"')).toEqual(['Élodie.Martin@example.com']);
      expect(await names('displayName co "ÉLODIE MAR"')).toEqual(['Élodie.Martin@example.com']);
      expect(await names('displayName co "\\"Quoted\\""')).toEqual(['anna.doe@example.org']);
      expect(await names('displayName co "😀 Smi"')).toEqual(['zoë@example.net']);
      // externalId is caseExact (RFC 7643 §3.1): the index finds every case, the filter keeps the exact one.
      expect(await names('externalId co "Alpha"')).toEqual(['Élodie.Martin@example.com']);
      expect(await names('externalId co "alpha"')).toEqual([]);
      expect(await names('externalId sw "ext-"')).toEqual(['jdoe@example.com', 'zoë@example.net']);
      expect(await names('externalId ew "-3"')).toEqual(['anna.doe@example.org']);
    });

    it('answers values shorter than a trigram, and negations, as a scan does', async () => {
      expect(await names('displayName co "oe"')).toEqual(['anna.doe@example.org', 'jdoe@example.com']);
      expect(await names('userName sw "b"')).toEqual(['bob@example.com']);
      expect(await names('not (displayName co "Doe") and userName co "example"')).toEqual(['bob@example.com', 'zoë@example.net', 'Élodie.Martin@example.com']);
      expect(await names('displayName co "Doe" or externalId co "delta"')).toEqual(['anna.doe@example.org', 'jdoe@example.com', 'zoë@example.net']);
    });

    it("never returns another connection's users", async () => {
      expect(await names('displayName co "John"')).toEqual(['jdoe@example.com']);
      expect(await names('displayName co "John"', other)).toEqual(['jdoe@other.example.com']);
    });

    it('follows renames and deletes', async () => {
      const id = ids['bob@example.com'];
      const renamed = await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Roberta Quinn' }, { op: 'replace', path: 'externalId', value: 'ext-epsilon-5' }));
      expect(renamed.statusCode).toBe(200);
      expect(await names('displayName co "Quinn"')).toEqual(['bob@example.com']);
      expect(await names('displayName co "Bob"')).toEqual([]);
      expect(await names('externalId co "epsilon"')).toEqual(['bob@example.com']);
      const put = await scim.put(`/Users/${id}`, { userName: 'roberta@example.com', displayName: 'Roberta' });
      expect(put.statusCode).toBe(200);
      expect(await names('userName co "roberta@"')).toEqual(['roberta@example.com']);
      expect(await names('userName co "bob@"')).toEqual([]);
      expect(await names('externalId co "epsilon"')).toEqual([]);
      expect((await scim.delete(`/Users/${id}`)).statusCode).toBe(204);
      expect(await names('userName co "roberta"')).toEqual([]);
      const again = await scim.createUser({ userName: 'bob@example.com', displayName: 'Bob Again' });
      ids['bob@example.com'] = again.id;
      expect(await names('displayName co "b again"')).toEqual(['bob@example.com']);
    });

    it('finds group names the same way', async () => {
      await scim.createGroup({ displayName: 'Engineering Leads', externalId: 'grp-ENG' });
      await scim.createGroup({ displayName: 'Sales', externalId: 'grp-sales' });
      const res = await scim.get(`/Groups?filter=${q('displayName co "NEERING" or externalId ew "sales"')}&excludedAttributes=members`);
      expect((res.json().Resources as { displayName: string }[]).map((g) => g.displayName).sort()).toEqual(['Engineering Leads', 'Sales']);
    });

    if (dialect === 'sqlite') {
      it('sqlite only: reads candidates from the FTS5 trigram table, and still finds them after VACUUM', async () => {
        const plan = await sql<{ detail: string }>`explain query plan select r.id from scim_users r where r.rowid in (select rowid from scim_users_search where scim_users_search match ${trigramQuery('display_name', 'doe')})`.execute(t.db.kysely);
        expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/scim_users_search VIRTUAL TABLE/);
        await sql`vacuum`.execute(t.db.kysely);
        expect(await names('displayName co "DOE"')).toEqual(['anna.doe@example.org', 'jdoe@example.com']);
      });
    } else {
      it('postgres only: has a pg_trgm index on each searched column', async () => {
        const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where indexname like '%_trgm' order by indexname`.execute(t.db.kysely);
        expect(indexes.rows.map((r) => r.indexname)).toEqual([
          'scim_groups_display_name_norm_trgm',
          'scim_groups_external_id_trgm',
          'scim_users_display_name_norm_trgm',
          'scim_users_external_id_trgm',
          'scim_users_user_name_norm_trgm',
        ]);
      });
    }
  });
}
