/**
 * Background jobs with several processes on one database: retention runs once per interval across
 * all of them (job_leases), while delivery jobs stay shared by claims (test/webhooks/concurrency.test.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { EXCLUSIVE, exclusive } from '../../src/jobs/exclusive.js';
import type { Job } from '../../src/jobs/scheduler.js';
import type { JobTables } from '../../src/jobs/tables.js';
import { dialectsUnderTest } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

for (const dialect of dialectsUnderTest()) {
  describe(`background jobs across processes [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('runs retention jobs exclusively and leaves delivery jobs to their claims', () => {
      const exclusiveNames = t.app.services.jobs.filter((j) => EXCLUSIVE in j).map((j) => j.name).sort();
      expect(exclusiveNames).toEqual(['attributes.reevaluate', 'deprovisioning.prune', 'events.retention', 'request-logs.retention', 'ui-sessions.prune', 'webhooks.retention']);
      const names = t.app.services.jobs.map((j) => j.name);
      expect(names).toEqual(expect.arrayContaining(['events.retention', 'request-logs.retention', 'webhooks.retention']));
      for (const name of names.filter((n) => n.startsWith('webhooks.') && n !== 'webhooks.retention')) {
        expect(EXCLUSIVE in t.app.services.jobs.find((j) => j.name === name)!, name).toBe(false);
      }
    });

    it('runs one pass per interval across two processes racing for it, and the next once it is due', async () => {
      // The second "process": its own connection (SQLite) or pool (PostgreSQL) on the same database.
      const other = openDatabase(t.database.url, { poolSize: 3 });
      try {
        let runs = 0;
        const job: Job = { name: 'test.exclusive', intervalMs: 60_000, run: async () => { runs++; await sleep(20); return false; } };
        const here = exclusive(t.db.kysely, job);
        const there = exclusive(other.kysely, job);
        const race = () => Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? here : there).run()));
        await race();
        expect(runs).toBe(1);
        await race();
        expect(runs).toBe(1);
        // The interval has passed: due again, and again exactly one process runs it.
        await t.db.kysely.withTables<JobTables>().updateTable('job_leases').set({ run_after: new Date(Date.now() - 1000).toISOString() }).where('name', '=', 'test.exclusive').execute();
        await race();
        expect(runs).toBe(2);
        const lease = await t.db.kysely.withTables<JobTables>().selectFrom('job_leases').selectAll().where('name', '=', 'test.exclusive').executeTakeFirstOrThrow();
        expect(Date.parse(lease.run_after) - Date.now()).toBeGreaterThan(50_000);
        expect(lease.holder).toMatch(/^\d+:/);
      } finally {
        await other.close();
      }
    });

    it('lets the winner finish a pass of several batches', async () => {
      let batches = 0;
      const job = exclusive(t.db.kysely, { name: 'test.batches', intervalMs: 60_000, run: async () => ++batches < 4 });
      expect(await job.run()).toBe(false);
      expect(batches).toBe(4);
    });
  });
}
