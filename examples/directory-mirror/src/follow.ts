/**
 * `follow`: reads the event feed from the stored checkpoint and applies each event in one
 * transaction with its journal row and the new checkpoint (apply.ts), until the signal aborts.
 */
import type { Events } from '@rollcall/client';
import { RollcallError } from '@rollcall/client';
import { applyEvent } from './apply.js';
import { InvalidEvent, parseEvent } from './events.js';
import type { Log } from './log.js';
import { FEED_CHECKPOINT, type MirrorStorage } from './storage/port.js';

/** What `follow` needs: the database, the feed, and when to stop. */
export interface FollowDeps {
  storage: MirrorStorage;
  feed: Pick<Events, 'follow'>;
  signal: AbortSignal;
  log: Log;
  /** The wait before reading again after the feed or the database failed (default: 1 s doubling to 30 s). */
  retryDelayMs?: (failures: number) => number;
}

const defaultDelay = (failures: number) => Math.min(1000 * 2 ** (failures - 1), 30_000);

/**
 * Failures that waiting will not cure: an event the mirror cannot read (skipping it would lose it),
 * or a request Rollcall refuses (a bad credential, a checkpoint that is not a cursor of this feed).
 * Rollcall unreachable, 5xx, 429 and database errors are retried.
 */
function isFatal(error: unknown): boolean {
  if (error instanceof InvalidEvent) return true;
  return error instanceof RollcallError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Follows the feed until `signal` aborts; throws only what retrying cannot fix. */
export async function follow({ storage, feed, signal, log, retryDelayMs = defaultDelay }: FollowDeps): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    try {
      // After a failure the position is read back from the database: the checkpoint is the truth.
      const after = await storage.checkpoint(FEED_CHECKPOINT);
      for await (const item of feed.follow({ after, signal })) {
        const event = parseEvent(item);
        // One transaction: journal row (or redelivery count), the change, the checkpoint.
        const outcome = await storage.transaction(async (tx) => {
          const result = await applyEvent(tx, event, 'in-order');
          await tx.setCheckpoint(FEED_CHECKPOINT, item.cursor);
          return result;
        });
        failures = 0;
        log.event(event, outcome);
      }
    } catch (error) {
      if (signal.aborted) return;
      if (isFatal(error)) throw error;
      failures++;
      const delay = retryDelayMs(failures);
      log.error(`follow: failed (${failures} in a row), resuming from the checkpoint in ${delay} ms`, error);
      await pause(delay, signal);
    }
  }
}
