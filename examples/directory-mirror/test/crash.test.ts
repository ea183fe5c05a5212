/**
 * The mirror under SIGKILL, end to end: a real `rollcall serve`, Okta and Entra ID traffic replayed
 * into two connections of a tenant, and beside it two mirror processes killed with SIGKILL at
 * random (seeded) points and restarted — `follow` (the feed) 4–6 times, `webhooks` 2–3 times (each
 * kill costs a ~15 s retry). When the traffic stops and both have caught up, each mirror must equal
 * what the directory API lists, and its journal must hold every event of the feed exactly once.
 *
 * What breaks it: a checkpoint committed apart from the change loses events (a kill between the two)
 * or repeats them, and a repeat shows as `redeliveries` in the journal, which the feed never causes.
 * A 2xx answered before the commit loses webhook events. Reproduce a run with MIRROR_CRASH_SEED.
 */
import { Rollcall } from '@rollcall/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, call, envAuth, serve } from '../../../test/reliability/cluster.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../../../test/support/databases.js';
import { freePort, type ServeProcess } from '../../../test/support/process.js';
import { prng, type Prng } from '../../../test/support/prng.js';
import { openStorage } from '../src/storage/open.js';
import { FEED_CHECKPOINT, type MirrorStorage } from '../src/storage/port.js';
import { directoryState, feedEnd, mirrorState, settledFeed, waitUntil, wholeFeed } from './harness.js';
import { createLastingGroup, entraRound, oktaRound, type IdpConnection } from './idp-traffic.js';
import { MirrorProcess, ensureBuilt } from './mirror-process.js';

const SEED = Number(process.env.MIRROR_CRASH_SEED ?? 20_261_207);
/** Rounds of each IdP's sequence: about 10 events per Okta round and 20 per Entra round. */
const ROUNDS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Kills `mirror` `times` times and restarts it after a random pause. Each kill comes a random gap
 * after the last, and then once `progress` shows it applied something more, within 20 ms: so it hits
 * the mirror at work (between any two statements of its loop), not while it is still starting up.
 */
async function chaos(mirror: MirrorProcess, random: Prng, times: number, gapMs: [number, number], progress: () => Promise<unknown>, atKill: () => Promise<void> = async () => undefined): Promise<void> {
  for (let i = 0; i < times; i++) {
    await sleep(gapMs[0] + random.int(gapMs[1] - gapMs[0]));
    const mark = await progress();
    // Nothing more arriving within a few seconds (the traffic is over): kill it idle.
    await waitUntil('progress', async () => (await progress()) !== mark, 3_000, 2).catch(() => undefined);
    await sleep(random.int(20));
    await mirror.kill9();
    await atKill();
    await sleep(random.int(150));
    await mirror.start();
  }
}

async function createConnection(baseUrl: string, auth: string, tenantId: string, source: 'okta' | 'azure-ad'): Promise<IdpConnection> {
  const res = await call(`${baseUrl}/directory/resources/v1/configurations/scim2`, {
    method: 'POST',
    headers: { authorization: auth, 'frontegg-tenant-id': tenantId },
    body: { source, connectionName: `${source} (crash test)`, syncToUserManagement: true },
  });
  if (res.status !== 201) throw new Error(`connection: ${res.status} ${res.text}`);
  return { baseUrl, id: res.body.id, token: res.body.token };
}

beforeAll(() => ensureBuilt(), 120_000);

for (const dialect of dialectsUnderTest()) {
  describe(`directory-mirror under SIGKILL [${dialect}]`, () => {
    const databases: TestDatabase[] = [];
    let server: ServeProcess;
    let rollcall: Rollcall;
    const mirrors: MirrorProcess[] = [];
    const storages: MirrorStorage[] = [];

    afterAll(async () => {
      for (const mirror of mirrors) await mirror.kill9();
      for (const storage of storages) await storage.close().catch(() => undefined);
      await server?.stop();
      for (const database of databases) await database.drop();
    });

    it('follow and webhooks mirrors, killed and restarted mid-stream, equal the directory with every event applied once', { timeout: 150_000 }, async () => {
      const started = Date.now();
      const random = prng(SEED + (dialect === 'postgres' ? 1 : 0));
      const database = async () => {
        const db = await createTestDatabase(dialect);
        databases.push(db);
        return db;
      };
      server = await serve((await database()).url, { SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0' });
      rollcall = new Rollcall({ baseUrl: server.url, clientId: CLIENT_ID, secret: CLIENT_SECRET });
      const auth = await envAuth(server.url);

      // The webhook first, so that it receives every event of the feed.
      const port = await freePort();
      const webhook = await rollcall.webhooks.create({ url: `http://127.0.0.1:${port}/rollcall/events` });

      // Each mirror's database, with its tables created here so the test can read it from the start.
      const feedDb = await database();
      const hookDb = await database();
      const feedStorage = await openStorage(feedDb.url);
      const hookStorage = await openStorage(hookDb.url);
      storages.push(feedStorage, hookStorage);
      const rollcallEnv = { ROLLCALL_URL: server.url, ROLLCALL_CLIENT_ID: CLIENT_ID, ROLLCALL_CLIENT_SECRET: CLIENT_SECRET, MIRROR_VERBOSE: '1' };
      const feedMirror = new MirrorProcess('follow', { ...rollcallEnv, MIRROR_DATABASE_URL: feedDb.url });
      const hookMirror = new MirrorProcess('webhooks', { MIRROR_DATABASE_URL: hookDb.url, ROLLCALL_WEBHOOK_SECRET: webhook.secret, PORT: String(port), HOST: '127.0.0.1', MIRROR_VERBOSE: '1' });
      mirrors.push(feedMirror, hookMirror);
      await Promise.all([feedMirror.start(), hookMirror.start()]);

      const tenant = await call(`${server.url}/tenants/resources/tenants/v1`, { method: 'POST', headers: { authorization: auth }, body: { tenantId: 'acme', name: 'Acme' } });
      expect(tenant.status, tenant.text).toBe(201);
      const okta = await createConnection(server.url, auth, 'acme', 'okta');
      const entra = await createConnection(server.url, auth, 'acme', 'azure-ad');
      // Groups that live across rounds, each round's users joining one: webhooks deliver one group's
      // events one at a time, so a few groups rather than one keep the backlog behind a kill short.
      const oktaTeams = await Promise.all(['Support', 'Sales', 'Finance', 'Legal'].map((name) => createLastingGroup(okta, 'okta', name)));
      const entraTeams = await Promise.all(['North', 'South', 'East', 'West'].map((name) => createLastingGroup(entra, 'entra', name)));

      // Traffic from both IdPs at once; meanwhile the mirrors are killed and restarted.
      const trafficStarted = Date.now();
      let lagAtKills: number[] = [];
      const feedKills = 4 + random.int(3);
      const hookKills = 2 + random.int(2);
      const traffic = (async () => {
        const rounds = Array.from({ length: ROUNDS }, (_, i) => `r${i}-${random.int(1e6).toString(36)}`);
        const replay = async (round: (conn: IdpConnection, r: string, groupId: string) => Promise<void>, conn: IdpConnection, teams: string[]) => {
          for (const [i, r] of rounds.entries()) await round(conn, r, teams[i % teams.length]);
        };
        await Promise.all([replay(oktaRound, okta, oktaTeams), replay(entraRound, entra, entraTeams)]);
      })();
      const feedChaos = chaos(feedMirror, random, feedKills, [150, 900], () => feedStorage.checkpoint(FEED_CHECKPOINT), async () => {
        // How far behind the feed the mirror was when it died: kills that hit it mid-stream.
        const at = await feedStorage.checkpoint(FEED_CHECKPOINT);
        const feed = await wholeFeed(rollcall);
        lagAtKills = [...lagAtKills, feed.length - 1 - feed.findIndex((e) => e.cursor === at)];
      });
      const hookChaos = chaos(hookMirror, random, hookKills, [300, 1500], async () => (await hookStorage.appliedEvents()).length);
      await traffic;
      const trafficMs = Date.now() - trafficStarted;
      await Promise.all([feedChaos, hookChaos]);

      // Caught up: the feed mirror at the newest cursor; every delivery of the webhook settled. The
      // feed's end is known once a last change, a connection made now, shows in it (settledFeed).
      const marker = await createConnection(server.url, auth, 'acme', 'okta');
      const feed = await settledFeed(rollcall, (e) => e.type === 'connection.created' && e.data.id === marker.id);
      const end = feed.at(-1)!.cursor;
      expect(await feedEnd(rollcall)).toBe(end);
      await waitUntil('the follow mirror to reach the feed end', async () => (await feedStorage.checkpoint(FEED_CHECKPOINT)) === end, 30_000);
      const feedIds = feed.map((e) => e.id);
      const pending = async () => {
        for await (const _ of rollcall.webhooks.deliveries(webhook.id, { status: 'pending', limit: 1 })) return true;
        return false;
      };
      await waitUntil('the webhook deliveries to drain', async () => (await hookStorage.appliedEvents()).length >= feedIds.length && !(await pending()), 90_000, 500);
      const failed: unknown[] = [];
      for await (const delivery of rollcall.webhooks.deliveries(webhook.id, { status: 'failed' })) failed.push(delivery);
      expect(failed).toEqual([]);
      const succeeded: { id: string; eventId: string; attempts: number }[] = [];
      for await (const delivery of rollcall.webhooks.deliveries(webhook.id, { status: 'succeeded', limit: 500 })) succeeded.push(delivery);
      const retried = succeeded.filter((d) => d.attempts > 1).length;

      // At least once, for real: Rollcall sends a few applied events again. The journal counts them; nothing changes.
      const repeatedBefore = (await hookStorage.appliedEvents()).reduce((sum, e) => sum + e.redeliveries, 0);
      const again = [...new Set(Array.from({ length: 5 }, () => random.pick(succeeded)))];
      for (const delivery of again) await rollcall.webhooks.redeliver(webhook.id, delivery.id);
      const repeated = async () => (await hookStorage.appliedEvents()).reduce((sum, e) => sum + e.redeliveries, 0);
      await waitUntil('the redeliveries to arrive', async () => (await repeated()) >= repeatedBefore + again.length && !(await pending()), 30_000, 250);

      // SIGTERM: both stop cleanly.
      expect(await feedMirror.stop(), feedMirror.output).toBe(0);
      expect(await hookMirror.stop(), hookMirror.output).toBe(0);

      const directory = await directoryState(rollcall);
      expect(directory.users.length).toBeGreaterThan(2 * ROUNDS);
      expect(directory.memberships.length).toBeGreaterThan(2 * ROUNDS);
      expect(await mirrorState(feedStorage)).toEqual(directory);
      expect(await mirrorState(hookStorage)).toEqual(directory);

      // The feed mirror's journal: every event once, in feed order, none seen twice.
      const feedJournal = await feedStorage.appliedEvents();
      expect(feedJournal.map((e) => e.eventId)).toEqual(feedIds);
      expect(feedJournal.filter((e) => e.redeliveries > 0)).toEqual([]);
      // The webhook mirror's: every event once (in per-resource order, so compared as sets); repeats were counted, not applied.
      const hookJournal = await hookStorage.appliedEvents();
      expect(hookJournal.map((e) => e.eventId).sort()).toEqual([...feedIds].sort());
      expect(new Map(hookJournal.map((e) => [e.eventId, e.type]))).toEqual(new Map(feed.map((e) => [e.id, e.type])));
      expect(await repeated()).toBe(repeatedBefore + again.length);
      for (const delivery of again) expect(hookJournal.find((e) => e.eventId === delivery.eventId)!.redeliveries).toBeGreaterThan(0);

      expect(feedMirror.kills).toBe(feedKills);
      expect(hookMirror.kills).toBe(hookKills);
      console.info(
        `[${dialect}] seed ${SEED}: ${feed.length} events (traffic ${trafficMs} ms); follow killed ${feedKills}× (events behind at each kill: ${lagAtKills.join(', ')}), ` +
          `outcomes ${JSON.stringify(feedMirror.outcomes())}; webhooks killed ${hookKills}×, ${retried} deliveries retried, outcomes ${JSON.stringify(hookMirror.outcomes())}, ` +
          `${repeatedBefore} repeated by a kill after the commit + ${again.length} redelivered on request; ${Math.round((Date.now() - started) / 1000)} s in all`,
      );
    });
  });
}
