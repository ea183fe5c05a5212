/**
 * Sequential paging by key (src/scim/store/page-seek.ts): an IdP paging startIndex=1, 1+n, 1+2n, …
 * gets exactly the pages OFFSET gives, read by key instead of by skipping rows; a write to the
 * connection sends the next page back to OFFSET, so it is still the page OFFSET would read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { USER_URN, newScimClient, q, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

const USERS = 60;

describe.each(dialectsUnderTest())('sequential paging (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let client: ScimClient;
  const stats = () => t.app.services.scim.paging.pages.stats;
  const ids = async (path: string) => ((await client.get(path)).json().Resources as { id: string }[]).map((r) => r.id);

  /** Pages read from the last to the first: no page ends where a later request starts, so all by OFFSET. */
  async function byOffset(query: string, size: number, total: number): Promise<string[][]> {
    const pages: string[][] = [];
    for (let start = Math.floor((total - 1) / size) * size + 1; start >= 1; start -= size) pages.unshift(await ids(`/Users?${query}startIndex=${start}&count=${size}`));
    return pages;
  }

  async function sequentially(query: string, size: number, total: number): Promise<string[][]> {
    const pages: string[][] = [];
    for (let start = 1; start <= total; start += size) pages.push(await ids(`/Users?${query}startIndex=${start}&count=${size}`));
    return pages;
  }

  beforeAll(async () => {
    client = await newScimClient(t, await createTenant(t));
    for (let i = 0; i < USERS; i++) await client.createUser({ schemas: [USER_URN], userName: `p${String(i).padStart(2, '0')}@paging.test`, active: i % 3 !== 0 });
  });

  for (const [name, query, total] of [
    ['the default order', '', USERS],
    ['descending', 'sortOrder=descending&', USERS],
    ['a filter', `filter=${q('active eq true')}&`, USERS - USERS / 3],
  ] as const) {
    it(`gives the pages OFFSET gives, by key (${name})`, async () => {
      const expected = await byOffset(query, 7, total);
      expect(expected.flat()).toHaveLength(total);
      expect(new Set(expected.flat()).size).toBe(total);
      const before = { ...stats() };
      const actual = await sequentially(query, 7, total);
      expect(actual).toEqual(expected);
      // Every page after the first was read by key.
      expect(stats().seeks - before.seeks).toBe(expected.length - 1);
    });
  }

  it('goes back to OFFSET for the page after a write, and that page is right', async () => {
    const first = await ids('/Users?startIndex=1&count=10');
    // A user of the first page goes: the second page by OFFSET now starts one row later.
    expect((await client.delete(`/Users/${first[0]}`)).statusCode).toBe(204);
    const before = { ...stats() };
    const second = await ids('/Users?startIndex=11&count=10');
    expect(stats().offsets - before.offsets).toBe(1);
    const all = await byOffset('', 10, USERS - 1);
    expect(second).toEqual(all[1]);
  });

  it('never seeks on a sorted list', async () => {
    const before = { ...stats() };
    await sequentially('sortBy=userName&', 10, USERS - 1);
    expect(stats().seeks).toBe(before.seeks);
  });
});
