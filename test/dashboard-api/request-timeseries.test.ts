/**
 * GET /api/v1/logs/timeseries: requests and errors per bucket and connection, grouped in SQL on each
 * engine. Requests go through the real SCIM routes; their log rows are then moved to known instants.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { USER_URN } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { expectError, getJson, provisioner, type Provisioner } from '../directory/support.js';

const BASE = Date.parse('2024-03-10T10:00:00.000Z');
const at = (minutes: number, seconds = 0) => new Date(BASE + minutes * 60_000 + seconds * 1000).toISOString();

/** Moves a connection's log rows, oldest first, to the given instants. */
async function placeRows(t: TestApp, connectionId: string, instants: string[]): Promise<void> {
  const rows = await t.db.kysely.selectFrom('request_logs').select('seq').where('connection_id', '=', connectionId).orderBy('seq').execute();
  expect(rows).toHaveLength(instants.length);
  for (const [i, row] of rows.entries()) await t.db.kysely.updateTable('request_logs').set({ created_at: instants[i] }).where('seq', '=', row.seq).execute();
}

for (const dialect of dialectsUnderTest()) {
  describe(`request timeseries [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let x: Provisioner;
    let y: Provisioner;
    let z: Provisioner;
    const series = (query: string) => getJson(t, `/api/v1/logs/timeseries?${query}`);
    const range = (from: string, to: string) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

    beforeAll(async () => {
      await createTenant(t, 'ts');
      await createTenant(t, 'ts-other');
      x = await provisioner(t, 'ts');
      y = await provisioner(t, 'ts');
      z = await provisioner(t, 'ts-other');
      await x.user('a@ts.test');
      await x.user('b@ts.test');
      await x.user('c@ts.test');
      expect((await x.post('/Users', { schemas: [USER_URN], userName: 'A@ts.test' })).statusCode).toBe(409);
      expect((await y.get('/Users')).statusCode).toBe(200);
      expect((await y.get('/Users?filter=userName%20eq')).statusCode).toBe(400);
      expect((await z.get('/Users')).statusCode).toBe(200);
      expect((await z.get('/Groups')).statusCode).toBe(200);
      await t.app.requestLog.flush();
      // x: 10:01, 10:20, 11:10, 11:10 (the 409); y: 10:05, 12:00:01 (the 400); z: 10:01, and one left at "now".
      await placeRows(t, x.id, [at(1), at(20), at(70), at(70)]);
      await placeRows(t, y.id, [at(5), at(120, 1)]);
      const [zFirst] = await t.db.kysely.selectFrom('request_logs').select('seq').where('connection_id', '=', z.id).orderBy('seq').execute();
      await t.db.kysely.updateTable('request_logs').set({ created_at: at(1) }).where('seq', '=', zFirst.seq).execute();
    });

    /** Items of one bucket, ordered by connection id as the API orders them. */
    const bucket = (when: string, ...points: [Provisioner, number, number][]) =>
      points.map(([p, requests, errors]) => ({ at: when, connectionId: p.id, requests, errors })).sort((a, b) => (a.connectionId < b.connectionId ? -1 : 1));

    it('counts requests and errors per hour and connection, only non-empty buckets, in time order', async () => {
      const body = await series(`tenantId=ts&${range(at(0), at(180))}&bucket=1h`);
      expect(body).toEqual({
        bucketSeconds: 3600,
        from: at(0),
        to: at(180),
        items: [...bucket(at(0), [x, 2, 0], [y, 1, 0]), ...bucket(at(60), [x, 2, 1]), ...bucket(at(120), [y, 1, 1])],
      });
    });

    it('groups by 5 and 15 minutes and by day, aligned to multiples of the width', async () => {
      expect((await series(`tenantId=ts&${range(at(0), at(180))}&bucket=15m`)).items).toEqual([
        ...bucket(at(0), [x, 1, 0], [y, 1, 0]),
        ...bucket(at(15), [x, 1, 0]),
        ...bucket(at(60), [x, 2, 1]),
        ...bucket(at(120), [y, 1, 1]),
      ]);
      const fine = await series(`connectionId=${y.id}&${range(at(0), at(180))}&bucket=5m`);
      expect(fine).toMatchObject({ bucketSeconds: 300, items: [...bucket(at(5), [y, 1, 0]), ...bucket(at(120), [y, 1, 1])] });
      const daily = await series(`tenantId=ts&${range('2024-03-09T00:00:00Z', '2024-03-12T00:00:00Z')}&bucket=1d`);
      expect(daily).toEqual({
        bucketSeconds: 86_400,
        from: '2024-03-09T00:00:00.000Z',
        to: '2024-03-12T00:00:00.000Z',
        items: bucket('2024-03-10T00:00:00.000Z', [x, 4, 1], [y, 2, 1]),
      });
    });

    it('rounds `from` down to a bucket boundary and keeps `to` exclusive', async () => {
      const body = await series(`tenantId=ts&${range(at(50), at(120, 1))}&bucket=1h`);
      expect(body.from).toBe(at(0));
      expect(body.to).toBe(at(120, 1));
      // 10:01 … 10:20 are counted (the bucket is whole); y's 12:00:01 is at `to`, so not.
      expect(body.items).toEqual([...bucket(at(0), [x, 2, 0], [y, 1, 0]), ...bucket(at(60), [x, 2, 1])]);
    });

    it('filters by connection and tenant, never mixing tenants', async () => {
      expect((await series(`connectionId=${x.id}&${range(at(0), at(180))}`)).items).toEqual([...bucket(at(0), [x, 2, 0]), ...bucket(at(60), [x, 2, 1])]);
      expect((await series(`tenantId=ts-other&${range(at(0), at(180))}`)).items).toEqual(bucket(at(0), [z, 1, 0]));
      expect((await series(`tenantId=ts-other&connectionId=${x.id}&${range(at(0), at(180))}`)).items).toEqual([]);
      expect((await series(`tenantId=nobody&${range(at(0), at(180))}`)).items).toEqual([]);
    });

    it('defaults to the last 24 hours in hourly buckets', async () => {
      const before = Date.now();
      const body = await series('tenantId=ts-other');
      expect(body.bucketSeconds).toBe(3600);
      const to = Date.parse(body.to);
      expect(to).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(body.from)).toBe(Math.floor((to - 86_400_000) / 3_600_000) * 3_600_000);
      // Only z's request left at "now" is in the window.
      expect(body.items).toHaveLength(1);
      expect(body.items[0]).toMatchObject({ connectionId: z.id, requests: 1, errors: 0 });
      expect(Date.parse(body.items[0].at) % 3_600_000).toBe(0);
    });

    it('refuses unknown buckets, more than 500 buckets, empty ranges and bad instants', async () => {
      const get = (query: string) => t.app.inject({ url: `/api/v1/logs/timeseries?${query}`, headers: { authorization: t.auth } });
      expectError(await get('bucket=2h'), 400, 'querystring.bucket');
      expectError(await get(`bucket=5m&${range('2024-03-01T00:00:00Z', '2024-03-03T00:00:00Z')}`), 400, 'querystring.bucket');
      expectError(await get(`bucket=1h&${range('2024-03-01T00:00:00Z', '2024-03-21T21:00:00Z')}`), 400, 'querystring.bucket');
      expect((await get(`bucket=1h&${range('2024-03-01T00:00:00Z', '2024-03-21T20:00:00Z')}`)).statusCode).toBe(200); // exactly 500
      expectError(await get(`${range(at(60), at(0))}`), 400, 'querystring.from');
      expectError(await get(`${range(at(0), at(0))}`), 400, 'querystring.from');
      expectError(await get('from=yesterday'), 400, 'querystring.from');
      expectError(await t.app.inject({ url: '/api/v1/logs/timeseries' }), 401);
    });
  });
}
