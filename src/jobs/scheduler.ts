/**
 * Background jobs (webhook delivery, retention): each runs on its own timer, one run at a time per
 * process. Jobs that must run once across processes coordinate through the database themselves
 * (FOR UPDATE SKIP LOCKED / claims), so any number of instances can run the scheduler.
 */
import type { FastifyBaseLogger } from 'fastify';
import { isDatabaseUnavailable } from '../db/errors.js';

/** A job: `run` does one bounded pass and returns whether there may be more work right away. */
export interface Job {
  name: string;
  intervalMs: number;
  run(): Promise<boolean | void>;
}

/** Running jobs; `stop` waits for in-flight passes to finish. */
export interface Scheduler {
  stop(): Promise<void>;
  /** Runs every job's pass now (tests and graceful shutdown). */
  runAll(): Promise<void>;
}

export function startScheduler(jobs: readonly Job[], log: FastifyBaseLogger): Scheduler {
  let stopped = false;
  const running = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();

  const pass = (job: Job): Promise<void> => {
    const inFlight = running.get(job.name);
    if (inFlight) return inFlight;
    const promise = (async () => {
      try {
        // Keep going while the job says there is more, but yield between passes.
        for (let i = 0; i < 100 && !stopped; i++) {
          const more = await job.run();
          if (!more) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        // The next pass runs on its timer all the same; a database out of reach is expected to come back.
        if (isDatabaseUnavailable(error)) log.warn({ job: job.name, reason: (error as Error).message }, 'background job failed: database unavailable');
        else log.error({ err: error, job: job.name }, 'background job failed');
      } finally {
        running.delete(job.name);
      }
    })();
    running.set(job.name, promise);
    return promise;
  };

  for (const job of jobs) {
    const schedule = () => {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void pass(job).finally(schedule);
      }, job.intervalMs);
      timer.unref();
      timers.add(timer);
    };
    schedule();
  }

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running.values());
    },
    async runAll() {
      await Promise.all(jobs.map((job) => pass(job)));
    },
  };
}
