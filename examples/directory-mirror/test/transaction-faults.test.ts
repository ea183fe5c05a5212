/**
 * Exactly once, statement by statement: the journal row, the change and the checkpoint commit
 * together. A failure injected at each statement of an event's transaction leaves the mirror as it
 * was; `follow`, failing at many points of a run, resumes from its checkpoint and ends with every
 * event applied once, in feed order. (crash.test.ts kills real processes; this reaches every point.)
 */
import type { Events, FeedEvent } from '@rollcall/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../../test/support/databases.js';
import { applyEvent } from '../src/apply.js';
import { parseEvent } from '../src/events.js';
import { follow } from '../src/follow.js';
import type { Log } from '../src/log.js';
import { FEED_CHECKPOINT, type MirrorStorage, type MirrorTx } from '../src/storage/port.js';
import { EventFactory, mirrorState, testMirror, type TestEvent } from './harness.js';

class InjectedCrash extends Error {}

/** `storage` whose transactions throw at the statements numbered in `failAt` (1-based, counted across the run). */
function faulty(storage: MirrorStorage, failAt: ReadonlySet<number>): MirrorStorage & { calls: number } {
  const wrapper = Object.create(storage) as MirrorStorage & { calls: number };
  wrapper.calls = 0;
  wrapper.transaction = <T>(work: (tx: MirrorTx) => Promise<T>) =>
    storage.transaction((tx) => {
      const counted = new Proxy(tx, {
        get(target, key, receiver) {
          const value: unknown = Reflect.get(target, key, receiver);
          if (typeof value !== 'function') return value;
          return async (...args: unknown[]) => {
            wrapper.calls++;
            if (failAt.has(wrapper.calls)) throw new InjectedCrash(`injected at statement ${wrapper.calls}`);
            return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          };
        },
      });
      return work(counted);
    });
  return wrapper;
}

/** Everything that must move together: the tables, the journal, the checkpoint. */
async function everything(storage: MirrorStorage) {
  const journal = (await storage.appliedEvents()).map(({ eventId, type, redeliveries }) => ({ eventId, type, redeliveries }));
  return { state: await mirrorState(storage), journal, checkpoint: await storage.checkpoint(FEED_CHECKPOINT) };
}

/** A feed over `events` that honours `after` like Rollcall's, and aborts `controller` at its end. */
function fakeFeed(events: readonly TestEvent[], controller: AbortController): Pick<Events, 'follow'> {
  const feed: Pick<Events, 'follow'> = {
    async *follow({ after, signal } = {}) {
      for (let i = after === undefined ? 0 : events.findIndex((e) => e.cursor === after) + 1; i < events.length; i++) {
        if (signal?.aborted) return;
        yield events[i] as unknown as FeedEvent;
      }
      controller.abort();
    },
  };
  return feed;
}

const quiet: Log = { event: () => undefined, info: () => undefined, error: () => undefined };

/** A run of events touching every kind of change, in the order Rollcall writes them. */
function scenario(f: EventFactory): TestEvent[] {
  const events: TestEvent[] = [];
  for (const n of [1, 2, 3]) events.push(f.next('user.created', f.user(`u${n}`)));
  events.push(f.next('group.created', f.group('g1')), f.next('group.created', f.group('g2')));
  for (const n of [1, 2, 3]) events.push(f.next('group.user_added', { groupId: 'g1', userId: `u${n}` }));
  events.push(f.next('group.user_added', { groupId: 'g2', userId: 'u1' }));
  events.push(f.next('user.updated', f.user('u2', { firstName: 'Renamed' })), f.next('user.deactivated', f.user('u3', { active: false })));
  events.push(f.next('group.updated', f.group('g1', 'Renamed group')), f.next('group.user_removed', { groupId: 'g1', userId: 'u2' }));
  events.push(f.next('group.user_removed', { groupId: 'g1', userId: 'u1' }), f.next('group.user_removed', { groupId: 'g2', userId: 'u1' }), f.next('user.deleted', f.user('u1')));
  events.push(f.next('group.deleted', f.group('g2')), f.next('connection.created', { id: 'conn-2' }), f.next('user.reactivated', f.user('u3')));
  return events;
}

for (const dialect of dialectsUnderTest()) {
  describe(`transaction faults [${dialect}]`, () => {
    const mirrors: (() => Promise<void>)[] = [];
    const mirror = async () => {
      const m = await testMirror(dialect);
      mirrors.push(m.close);
      return m.storage;
    };
    afterAll(async () => {
      for (const close of mirrors) await close();
    });

    let reference: Awaited<ReturnType<typeof everything>>;
    let events: TestEvent[];
    beforeAll(async () => {
      events = scenario(new EventFactory());
      const storage = await mirror();
      await follow({ storage, feed: fakeFeed(events, new AbortController()), signal: AbortSignal.abort(), log: quiet });
      const controller = new AbortController();
      await follow({ storage, feed: fakeFeed(events, controller), signal: controller.signal, log: quiet });
      reference = await everything(storage);
    });

    it('the reference run applied each event once, in feed order, and checkpointed the last', () => {
      expect(reference.journal.map((e) => e.eventId)).toEqual(events.map((e) => e.id));
      expect(reference.journal.every((e) => e.redeliveries === 0)).toBe(true);
      expect(reference.checkpoint).toBe(events.at(-1)!.cursor);
      expect(reference.state.users.map((u) => [u.id, u.firstName, u.active])).toEqual([
        ['u2', 'Renamed', true],
        ['u3', 'First', true],
      ]);
      expect(reference.state.groups.map((g) => [g.id, g.displayName])).toEqual([['g1', 'Renamed group']]);
      expect(reference.state.memberships).toEqual([{ groupId: 'g1', userId: 'u3' }]);
    });

    it('a failure at any statement of an event leaves the mirror, the journal and the checkpoint as they were', async () => {
      const storage = await mirror();
      // The events up to user.deleted, which has the most statements: journal, three deletes, tombstone, checkpoint.
      const upTo = events.findIndex((e) => e.type === 'user.deleted');
      for (const event of events.slice(0, upTo + 1)) {
        const before = await everything(storage);
        for (let k = 1; ; k++) {
          const broken = faulty(storage, new Set([k]));
          const failure = await broken
            .transaction(async (tx) => {
              await applyEvent(tx, parseEvent(event), 'in-order');
              await tx.setCheckpoint(FEED_CHECKPOINT, event.cursor);
            })
            .then(
              () => undefined,
              (error: unknown) => error,
            );
          if (failure === undefined) {
            expect(broken.calls, 'it went through: it had fewer statements than k').toBeLessThan(k);
            break;
          }
          expect(failure).toBeInstanceOf(InjectedCrash);
          expect(await everything(storage), `${event.type} cut at statement ${k}`).toEqual(before);
        }
        expect(await storage.checkpoint(FEED_CHECKPOINT)).toBe(event.cursor);
      }
      expect((await storage.appliedEvents()).every((e) => e.redeliveries === 0)).toBe(true);
    });

    it('follow, failing at many points, resumes from the checkpoint and ends like the reference: each event once', async () => {
      const storage = await mirror();
      // Every 3rd statement fails at first, then every 7th…: dozens of failures across the run.
      const failAt = new Set<number>();
      for (let k = 2; k < 400; k += 2 + (k % 5)) failAt.add(k);
      const broken = faulty(storage, failAt);
      const controller = new AbortController();
      let failures = 0;
      const log: Log = { ...quiet, error: () => void failures++ };
      await follow({ storage: broken, feed: fakeFeed(events, controller), signal: controller.signal, log, retryDelayMs: () => 0 });
      expect(failures).toBeGreaterThan(10);
      expect(await everything(storage)).toEqual(reference);
    });
  });
}
