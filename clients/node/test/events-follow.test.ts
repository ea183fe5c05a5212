/**
 * `events.follow` and `events.list` against a real server: every event exactly once and in order across
 * an abort and a resume from the stored cursor while SCIM writes go on, the types filter, quiet stops on
 * abort, the growing idle wait, and failed requests retried from the same cursor.
 */
import { Rollcall, type FeedEvent } from '@rollcall/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../../test/support/databases.js';
import { feedCaughtUp } from '../../../test/webhooks/helpers.js';
import { recordingFetch, scimWriter, urlOf, useServer, type ScimWriter } from './support.js';

/** Quick polling, so the tests wait little on an idle feed. */
const FAST = { idleDelayMs: 20, maxIdleDelayMs: 100 };

for (const dialect of dialectsUnderTest()) {
  describe(`events.follow [${dialect}]`, () => {
    const server = useServer(dialect);
    let rollcall: Rollcall;
    let scim: ScimWriter;

    /** Every event of the tenant in feed order, read page by page with events.list once the feed has caught up. */
    async function wholeFeed(tenantId: string): Promise<FeedEvent[]> {
      await feedCaughtUp(server.t);
      const events: FeedEvent[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await rollcall.events.list({ tenantId, after, limit: 7 });
        if (page.items.length === 0) return events;
        events.push(...page.items);
        after = page.nextCursor;
      }
    }

    beforeAll(async () => {
      rollcall = server.client({ retry: { baseDelayMs: 1, maxDelayMs: 20 } });
      await rollcall.tenants.create({ tenantId: 'acme', name: 'Acme' });
      await rollcall.tenants.create({ tenantId: 'quiet', name: 'Nothing happens here' });
      scim = scimWriter(server.baseUrl, await rollcall.connections.create('acme', { source: 'okta', connectionName: 'Okta' }));
    });

    it('yields every event exactly once, in order, across an abort and a resume from the stored cursor, while writes go on', async () => {
      let stop = false;
      let written = 0;
      // The identity provider keeps writing through both readers: users, and every fifth user a group of the last two.
      const writing = (async () => {
        while (!stop && written < 80) {
          const user = await scim.user(`follow${written}@acme.test`);
          written++;
          if (written % 5 === 0) await scim.group(`Group ${written}`, [user]);
        }
      })();

      const seen: FeedEvent[] = [];
      let checkpoint: string | undefined;
      const first = new AbortController();
      for await (const event of rollcall.events.follow({ tenantId: 'acme', signal: first.signal, pageSize: 4, ...FAST })) {
        seen.push(event);
        checkpoint = event.cursor; // what a reader stores once it has handled the event
        if (seen.length === 10) first.abort();
      }
      expect(seen).toHaveLength(10);
      expect(written).toBeLessThan(80);

      const second = new AbortController();
      const deadline = setTimeout(() => second.abort(), 20_000);
      let last: string | undefined;
      for await (const event of rollcall.events.follow({ tenantId: 'acme', after: checkpoint, signal: second.signal, pageSize: 4, ...FAST })) {
        seen.push(event);
        if (seen.length === 30 && !stop) {
          stop = true;
          await writing;
          last = (await wholeFeed('acme')).at(-1)!.id;
        }
        if (event.id === last) second.abort();
      }
      clearTimeout(deadline);

      const feed = await wholeFeed('acme');
      expect(feed.length).toBeGreaterThanOrEqual(30);
      expect(seen.map((e) => e.id)).toEqual(feed.map((e) => e.id));
      expect(seen.map((e) => e.cursor)).toEqual(feed.map((e) => e.cursor));
      expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
      expect(seen.filter((e) => e.type === 'user.created')).toHaveLength(written);
    });

    it('keeps to the types asked for, in follow and in list', async () => {
      await scim.group('Typed');
      const expected = (await wholeFeed('acme')).filter((e) => e.type === 'group.created');
      const controller = new AbortController();
      const seen: FeedEvent[] = [];
      for await (const event of rollcall.events.follow({ tenantId: 'acme', types: ['group.created'], signal: controller.signal, ...FAST })) {
        seen.push(event);
        if (seen.length === expected.length) controller.abort();
      }
      expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      const page = await rollcall.events.list({ tenantId: 'acme', types: ['connection.created', 'group.created'], limit: 1000 });
      expect(new Set(page.items.map((e) => e.type))).toEqual(new Set(['connection.created', 'group.created']));
      expect((await rollcall.events.list({ tenantId: 'acme', types: 'connection.created' })).items).toHaveLength(1);
    });

    it('reads newest first with order=desc', async () => {
      const feed = await wholeFeed('acme');
      const page = await rollcall.events.list({ tenantId: 'acme', order: 'desc', limit: 3 });
      expect(page.items.map((e) => e.id)).toEqual(feed.slice(-3).reverse().map((e) => e.id));
    });

    it('ends quietly when the signal aborts: while idle, during a request, and before the first one', async () => {
      const idle = new AbortController();
      const started = Date.now();
      setTimeout(() => idle.abort(), 150);
      for await (const _event of rollcall.events.follow({ tenantId: 'quiet', signal: idle.signal, idleDelayMs: 5000 })) throw new Error('the quiet tenant has no events');
      expect(Date.now() - started).toBeLessThan(2000);

      // A request that never answers until the abort.
      const hanging = new AbortController();
      const stuck = server.client({
        fetch: (input, init) =>
          urlOf(input).pathname === '/auth/vendor'
            ? fetch(input, init)
            : new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error), { once: true })),
      });
      setTimeout(() => hanging.abort(), 100);
      for await (const _event of stuck.events.follow({ signal: hanging.signal })) throw new Error('no answer was ever sent');

      const recorder = recordingFetch();
      const before = new AbortController();
      before.abort();
      for await (const _event of server.client({ fetch: recorder.fetch }).events.follow({ signal: before.signal })) throw new Error('aborted before it began');
      expect(recorder.requests).toEqual([]);
    });

    it('retries a failed request from the same cursor: nothing skipped, nothing read twice', async () => {
      const feed = await wholeFeed('acme');
      // Every third request to the feed fails as a dropped connection would.
      let feedRequests = 0;
      const recorder = recordingFetch((url) => url.pathname === '/api/v1/events' && ++feedRequests % 3 === 0);
      const client = server.client({ fetch: recorder.fetch, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
      const controller = new AbortController();
      const seen: FeedEvent[] = [];
      for await (const event of client.events.follow({ tenantId: 'acme', pageSize: 2, signal: controller.signal, ...FAST })) {
        seen.push(event);
        if (seen.length === feed.length) controller.abort();
      }
      expect(seen.map((e) => e.id)).toEqual(feed.map((e) => e.id));
      const reads = recorder.to('/api/v1/events');
      const failed = reads.map((r, i) => [r, reads[i + 1]] as const).filter(([r]) => r.status === 'failed');
      expect(failed.length).toBeGreaterThanOrEqual(3);
      for (const [attempt, retry] of failed) expect(retry.url.searchParams.get('after')).toBe(attempt.url.searchParams.get('after'));
    });
  });
}

describe('events.follow on an idle feed', () => {
  it('waits longer after each empty page, up to the cap, and polls quickly again once events arrive', async () => {
    // The timing alone is under test: a fetch that answers empty pages, and one event on the fifth request.
    const times: number[] = [];
    const event = { id: 'e1', type: 'user.created', tenantId: 't', connectionId: 'c', occurredAt: new Date().toISOString(), data: {}, cursor: 'c2' };
    const rollcall = new Rollcall({
      baseUrl: 'http://rollcall.invalid',
      clientId: 'id',
      secret: 'secret',
      fetch: async (input) => {
        if (urlOf(input).pathname === '/auth/vendor') return Response.json({ token: 'token', expiresIn: 3600 });
        times.push(Date.now());
        return times.length === 5 ? Response.json({ items: [event], nextCursor: 'c2' }) : Response.json({ items: [], nextCursor: urlOf(input).searchParams.get('after') ?? 'c1' });
      },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 800);
    const seen: string[] = [];
    for await (const item of rollcall.events.follow({ signal: controller.signal, idleDelayMs: 40, maxIdleDelayMs: 160 })) seen.push(item.id);
    expect(seen).toEqual(['e1']);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // Before the event: 40, 80, 160, 160 (the cap). After it: at once, then 40, 80… again. Timers may fire late, never early.
    const within = (gap: number, ms: number) => gap >= ms - 5 && gap < ms + 60;
    expect(gaps.slice(0, 4).map((gap, i) => within(gap, [40, 80, 160, 160][i]))).toEqual([true, true, true, true]);
    expect(gaps[4]).toBeLessThan(40);
    expect(within(gaps[5], 40)).toBe(true);
    expect(within(gaps[6], 80)).toBe(true);
  });
});
