/**
 * The SCIM rate limit across processes (src/limits/shared-rate-limit.ts) on each real database, with
 * two handles on one database standing for two processes: they share each connection's bucket,
 * requests are served from chunks (not a statement each), and when the shared buckets fail — SQLite's
 * write lock held elsewhere, PostgreSQL out of reach — requests are limited by the process alone,
 * never failed, with one warning, until the buckets answer again. Two real processes:
 * test/reliability/rate-limit-across-processes.test.ts.
 */
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onQueryTime } from '../../src/db/query-time.js';
import { openDatabase, sqlitePath, type Db } from '../../src/db/open.js';
import type { BucketOwner } from '../../src/db/rate-buckets.js';
import { SharedRateLimit } from '../../src/limits/shared-rate-limit.js';
import type { Take } from '../../src/limits/token-bucket.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const owner = (connectionId: string): BucketOwner => ({ tenantId: 't', connectionId });

/** A log that keeps what it is told. */
function recordingLog() {
  const lines: { level: 'warn' | 'info'; message: string }[] = [];
  return { lines, warn: (message: string) => void lines.push({ level: 'warn', message }), info: (message: string) => void lines.push({ level: 'info', message }) };
}

/** `count` requests of `who` at once. */
async function burst(limit: SharedRateLimit, who: BucketOwner, count: number): Promise<Take[]> {
  return Promise.all(Array.from({ length: count }, async () => limit.take(who)));
}
const admitted = (takes: Take[]) => takes.filter((t) => t.ok).length;

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM rate limit shared through the database [${dialect}]`, () => {
    let opened: Awaited<ReturnType<typeof storeTestDatabase>>;
    let db: Db;
    let other: Db;

    beforeAll(async () => {
      opened = await storeTestDatabase(dialect, ['a', 'b', 'c', 'during0', 'after0', 'during1', 'after1']);
      db = opened.db;
      other = openDatabase(opened.database.url);
    });
    afterAll(async () => {
      await other?.close();
      await opened?.close();
    });

    it('admits one burst between two processes, not one each, and keeps connections apart', async () => {
      // A token every ten seconds: nothing refills while the test runs.
      const one = new SharedRateLimit({ db, ratePerSecond: 0.1, burst: 10 });
      const two = new SharedRateLimit({ db: other, ratePerSecond: 0.1, burst: 10 });
      const [first, second] = await Promise.all([burst(one, owner('a'), 8), burst(two, owner('a'), 8)]);
      // A process may keep the chunk it took beyond its waiting requests (here one token) for its next ones.
      expect(admitted(first) + admitted(second)).toBeGreaterThanOrEqual(8);
      expect([...first, ...second].find((t) => !t.ok)).toEqual({ ok: false, retryAfterSeconds: 10 });
      const next = [await one.take(owner('a')), await one.take(owner('a')), await two.take(owner('a')), await two.take(owner('a'))];
      expect(admitted(first) + admitted(second) + admitted(next)).toBe(10);
      // Another connection has a bucket of its own.
      expect(admitted(await burst(two, owner('b'), 10))).toBe(10);
      expect(one.limitingAlone || two.limitingAlone).toBe(false);
    });

    it('serves steady traffic from chunks: far fewer statements than requests, and the full rate on one process', async () => {
      const limit = new SharedRateLimit({ db, ratePerSecond: 200, burst: 20 });
      let statements = 0;
      const stop = onQueryTime((parameters) => {
        if (parameters.includes('c')) statements++;
      });
      let ok = 0;
      let sent = 0;
      const started = Date.now();
      try {
        // Up to 400 requests a second, one at a time, for 1.5 s.
        while (Date.now() - started < 1500) {
          sent++;
          if ((await limit.take(owner('c'))).ok) ok++;
          await sleep(2.5);
        }
      } finally {
        stop();
      }
      const seconds = (Date.now() - started) / 1000;
      const detail = `${ok} of ${sent} admitted in ${seconds} s with ${statements} statements`;
      // At most the burst and the rate over the time, plus what the process holds (HORIZON_MS of the rate).
      expect(ok, detail).toBeLessThanOrEqual(20 + 200 * seconds + 100);
      // At least 80 % of that (timers are coarse), or of what was sent when a loaded machine sent less.
      expect(ok, detail).toBeGreaterThanOrEqual(0.8 * Math.min(sent, 20 + 200 * seconds));
      expect(statements, detail).toBeLessThan(ok / 5);
    });

    for (const [n, outage] of outages(dialect).entries()) {
      it(`limits in the process alone when the shared buckets fail (${outage.name}), warns once, and goes back when they answer`, async () => {
        const log = recordingLog();
        const broken = await outage.open(opened.database.url);
        const limit = new SharedRateLimit({ db: broken.db, ratePerSecond: 0.1, burst: 3, log, takeTimeoutMs: 300, retryMs: 200 });
        const healthy = new SharedRateLimit({ db, ratePerSecond: 0.1, burst: 3 });
        try {
          await broken.fail();
          // No error reaches the request: the process's own bucket answers (a burst of 3, then 429).
          const during = await burst(limit, owner(`during${n}`), 5);
          expect(during.map((t) => t.ok)).toEqual([true, true, true, false, false]);
          expect(limit.limitingAlone).toBe(true);
          expect(limit.take(owner(`during${n}`))).toEqual({ ok: false, retryAfterSeconds: 10 });
          await sleep(250);
          // A retry that fails again says nothing new; meanwhile the process's own bucket answers.
          expect(limit.take(owner(`during${n}`))).toMatchObject({ ok: false });
          await sleep(400);
          expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
          expect(log.lines[0].message).toMatch(/SCIM rate limit: the shared buckets in the database failed/);

          await broken.recover();
          await sleep(250);
          // The next request tries the shared bucket again (and is answered alone); once it answers, requests are served from it.
          expect(limit.take(owner(`during${n}`))).toMatchObject({ ok: false });
          for (let i = 0; i < 50 && limit.limitingAlone; i++) await sleep(20);
          expect(limit.limitingAlone).toBe(false);
          expect(log.lines.map((line) => line.level)).toEqual(['warn', 'info']);
          // Shared again: a connection's burst between this process and another, not one each.
          const [mine, theirs] = await Promise.all([burst(limit, owner(`after${n}`), 5), burst(healthy, owner(`after${n}`), 5)]);
          const more = [await limit.take(owner(`after${n}`)), await healthy.take(owner(`after${n}`))];
          expect(admitted(mine) + admitted(theirs) + admitted(more)).toBe(3);
        } finally {
          limit.close();
          await broken.close();
        }
      });
    }
  });
}

/** A handle whose database fails on demand, as one process sees an outage. */
interface Breakable {
  db: Db;
  fail(): Promise<void>;
  recover(): Promise<void>;
  close(): Promise<void>;
}

/** The ways the shared buckets fail on each database. */
function outages(dialect: string): { name: string; open(url: string): Promise<Breakable> }[] {
  if (dialect === 'sqlite') return [{ name: 'write lock held elsewhere', open: sqliteWriteLockHeld }];
  return [
    { name: 'server out of reach', open: postgresCutOff },
    { name: 'statements hang', open: postgresTableLocked },
  ];
}

/**
 * SQLite: another process holds the write lock (BEGIN IMMEDIATE). A take then waits for it on the
 * main thread (better-sqlite3 is synchronous) for the busy timeout and fails with SQLITE_BUSY; the
 * handle's busy timeout is shortened from 5 s so that the test does not wait it out.
 */
async function sqliteWriteLockHeld(url: string): Promise<Breakable> {
  const db = openDatabase(url);
  await sql`pragma busy_timeout = 50`.execute(db.kysely);
  const holder = new SqliteDatabase(sqlitePath(url));
  return {
    db,
    fail: async () => void holder.exec('begin immediate'),
    recover: async () => void holder.exec('commit'),
    async close() {
      if (holder.inTransaction) holder.exec('commit');
      holder.close();
      await db.close();
    },
  };
}

/** PostgreSQL: the server out of reach, every connection to it closed and new ones refused. */
async function postgresCutOff(url: string): Promise<Breakable> {
  const target = new URL(url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  target.host = `127.0.0.1:${proxy.port}`;
  const db = openDatabase(target.toString());
  return {
    db,
    fail: () => proxy.cut(),
    recover: () => proxy.restore(),
    async close() {
      await db.close();
      await proxy.close();
    },
  };
}

/** PostgreSQL: takes that never answer, held by a lock on the buckets' table another session keeps. */
async function postgresTableLocked(url: string): Promise<Breakable> {
  const db = openDatabase(url);
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  let locked = false;
  return {
    db,
    async fail() {
      await holder.query('begin');
      await holder.query('lock table scim_rate_buckets in exclusive mode');
      locked = true;
    },
    async recover() {
      await holder.query('commit');
      locked = false;
    },
    async close() {
      if (locked) await holder.query('commit');
      await holder.end();
      await db.close();
    },
  };
}
