/**
 * The webhook endpoint's contract, request by request: the signature checked on the raw body
 * (400 and nothing applied), 2xx only once the event is committed (a failed commit answers 500, so
 * Rollcall retries), a repeat answered 2xx and counted, not applied.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { webhookSignatureHeader } from '@rollcall/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../../test/support/databases.js';
import type { Log } from '../src/log.js';
import type { MirrorStorage } from '../src/storage/port.js';
import { createWebhookServer } from '../src/webhook-server.js';
import { EventFactory, mirrorState, testMirror, type TestEvent } from './harness.js';

const SECRET = 'whsec_test_secret';
const quiet: Log = { event: () => undefined, info: () => undefined, error: () => undefined };

for (const dialect of dialectsUnderTest()) {
  describe(`webhook server [${dialect}]`, () => {
    let storage: MirrorStorage;
    let close: () => Promise<void>;
    /** When set, every transaction does its work and then fails instead of committing. */
    let failCommits = false;
    let url: string;
    let stopServer: () => Promise<void>;
    const f = new EventFactory();

    beforeAll(async () => {
      ({ storage, close } = await testMirror(dialect));
      const failing: MirrorStorage = Object.create(storage) as MirrorStorage;
      failing.transaction = (work) =>
        storage.transaction(async (tx) => {
          const result = await work(tx);
          if (failCommits) throw new Error('disk full');
          return result;
        });
      const server = createWebhookServer({ storage: failing, secret: SECRET, log: quiet });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rollcall/events`;
      stopServer = async () => {
        server.close();
        await once(server, 'close');
      };
    });
    afterAll(async () => {
      await stopServer?.();
      await close?.();
    });

    const deliver = async (event: TestEvent | string, signature?: string) => {
      const body = typeof event === 'string' ? event : JSON.stringify({ ...event, cursor: undefined });
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'rollcall-signature': signature ?? webhookSignatureHeader(SECRET, Math.floor(Date.now() / 1000), body) } });
      return res.status;
    };
    const journal = async () => (await storage.appliedEvents()).map((e) => [e.eventId, e.redeliveries]);

    it('refuses a body whose signature does not match, and applies nothing', async () => {
      const event = f.next('user.created', f.user('u1'));
      const body = JSON.stringify(event);
      expect(await deliver(event, webhookSignatureHeader('whsec_other', Math.floor(Date.now() / 1000), body))).toBe(400);
      // Signed, then changed on the way.
      expect(await deliver(body.replace('"u1"', '"u2"'), webhookSignatureHeader(SECRET, Math.floor(Date.now() / 1000), body))).toBe(400);
      // Signed long ago: a replay.
      expect(await deliver(event, webhookSignatureHeader(SECRET, Math.floor(Date.now() / 1000) - 3600, JSON.stringify({ ...event, cursor: undefined })))).toBe(400);
      expect(await deliver(body, '')).toBe(400);
      expect(await journal()).toEqual([]);
      expect((await mirrorState(storage)).users).toEqual([]);
    });

    it('answers 2xx only after the commit: a commit that fails answers 500 and leaves nothing', async () => {
      const event = f.next('user.created', f.user('u3'));
      failCommits = true;
      try {
        expect(await deliver(event)).toBe(500);
      } finally {
        failCommits = false;
      }
      expect(await journal()).toEqual([]);
      // Rollcall's retry then goes through.
      expect(await deliver(event)).toBe(204);
      expect(await journal()).toEqual([[event.id, 0]]);
      expect((await mirrorState(storage)).users.map((u) => u.id)).toEqual(['u3']);
    });

    it('answers a repeat 2xx and counts it in the journal without applying it', async () => {
      const created = f.next('user.created', f.user('u4', { firstName: 'First' }));
      const renamed = f.next('user.updated', f.user('u4', { firstName: 'Second' }));
      expect(await deliver(created)).toBe(204);
      expect(await deliver(renamed)).toBe(204);
      expect(await deliver(created)).toBe(204);
      expect((await storage.appliedEvents()).find((e) => e.eventId === created.id)?.redeliveries).toBe(1);
      expect((await mirrorState(storage)).users.find((u) => u.id === 'u4')?.firstName).toBe('Second');
    });

    it('answers 400 to a signed body that is not an event, 405 to other methods, 413 to a huge body', async () => {
      expect(await deliver('not json')).toBe(400);
      expect(await deliver(JSON.stringify({ id: 'e', type: 'user.created' }))).toBe(400);
      expect((await fetch(url)).status).toBe(405);
      const huge = JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) });
      expect(await deliver(huge)).toBe(413);
    });
  });
}
