/**
 * RequestLogStore.insert: a flush of log rows reads back as written on both databases, whatever its
 * size and text (quotes, backslashes, commas, braces, non-ASCII, nulls), with U+0000 kept as U+FFFD;
 * on PostgreSQL the flush is one statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestLogStore, type NewRequestLog } from '../../src/monitoring/store.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { QueryCounter } from '../support/query-counter.js';

/** Text that an array literal or a VALUES list could get wrong. */
const AWKWARD = ['a "quoted" value', 'back\\slash', 'comma, and {braces}', 'NULL', '', 'héllo wörld ✓ 𝄞', 'tab\tnew\nline', 'semi;colon'];

function row(i: number): NewRequestLog {
  const text = AWKWARD[i % AWKWARD.length];
  return {
    tenant_id: 't',
    connection_id: 'c',
    method: i % 2 === 0 ? 'POST' : 'PATCH',
    path: `/Users/${i}`,
    query: i % 3 === 0 ? null : `filter=userName eq "${text}"`,
    status: 200 + (i % 300),
    duration_ms: i,
    scim_type: i % 5 === 0 ? 'invalidValue' : null,
    detail: i % 4 === 0 ? text : null,
    user_agent: i % 7 === 0 ? null : `agent/${i}`,
    body: i % 2 === 0 ? JSON.stringify({ userName: text, n: i }) : null,
    created_at: `2026-11-29T10:00:00.${String(i % 1000).padStart(3, '0')}Z`,
    connection_name: i % 6 === 0 ? null : `Okta ${text}`,
    request_id: i % 5 === 0 ? null : `r.${i}`,
  };
}

for (const dialect of dialectsUnderTest()) {
  describe(`request log store [${dialect}]`, () => {
    let store: Awaited<ReturnType<typeof storeTestDatabase>>;
    let logs: RequestLogStore;
    const counter = new QueryCounter();

    beforeAll(async () => {
      store = await storeTestDatabase(dialect);
      logs = new RequestLogStore(store.db.kysely.withPlugin(counter), store.db.dialect);
    });

    afterAll(async () => {
      await store?.close();
    });

    const stored = () => store.db.kysely.selectFrom('request_logs').selectAll().orderBy('seq').execute();

    it('writes a flush of 450 rows as given, in order: one statement on PostgreSQL, a VALUES list per 200 rows on SQLite', async () => {
      const rows = Array.from({ length: 450 }, (_, i) => row(i));
      counter.count = 0;
      await logs.insert(rows);
      // SQLite: a VALUES list per 200 rows; PostgreSQL: one statement, arrays of any length.
      expect(counter.count).toBe(dialect === 'postgres' ? 1 : 3);
      const read = await stored();
      expect(read.map(({ seq: _, ...r }) => r)).toEqual(rows);
      expect(read.map((r) => Number(r.seq))).toEqual([...read.map((r) => Number(r.seq))].sort((a, b) => a - b));
    });

    it('keeps rows with U+0000 and the rows beside them, the character as U+FFFD', async () => {
      await store.db.kysely.deleteFrom('request_logs').execute();
      const rows = [row(1), { ...row(2), query: 'filter=userName eq "a\u0000b"', detail: 'bad value "\u0000"' }, row(3)];
      await logs.insert(rows);
      const read = await stored();
      expect(read).toHaveLength(3);
      expect(read[1]).toMatchObject({ query: 'filter=userName eq "a\uFFFDb"', detail: 'bad value "\uFFFD"', path: '/Users/2' });
      expect(read[0]).toMatchObject({ query: rows[0].query, path: '/Users/1' });
      expect(rows[1].query).toContain('\u0000');
    });

    it('writes nothing for an empty flush', async () => {
      counter.count = 0;
      await logs.insert([]);
      expect(counter.count).toBe(0);
    });
  });
}
