/** End to end: an IdP provisions a user over SCIM, the vendor's endpoint receives a signed user.created. */
import { afterAll, describe, expect, it } from 'vitest';
import { verifyRollcallSignature } from '../../src/webhooks/verify.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { createWebhook, settle } from './helpers.js';
import { startReceiver, type Receiver } from './receiver.js';

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM to webhook [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let receiver: Receiver | undefined;
    afterAll(() => receiver?.close());

    it('POST /Users through SCIM reaches the webhook as user.created', async () => {
      receiver = await startReceiver(() => 204);
      const tenantId = await createTenant(t, 'e2e', 'End to End');
      const { secret } = await createWebhook(t, { url: receiver.url, tenantId, events: ['user.created'] });
      const connection = await createConnection(t, tenantId, 'okta');
      const res = await t.app.inject({
        method: 'POST',
        url: `/directory/resources/scim/v2.0/${connection.id}/Users`,
        headers: { authorization: `Bearer ${connection.token}`, 'content-type': 'application/scim+json' },
        payload: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'ann@e2e.test',
          name: { givenName: 'Ann', familyName: 'Lee' },
          emails: [{ value: 'ann@e2e.test', primary: true }],
          active: true,
        },
      });
      expect(res.statusCode).toBe(201);
      const userId = res.json().id;

      await settle(t);
      expect(receiver.accepted()).toHaveLength(1);
      const [delivery] = receiver.accepted();
      expect(verifyRollcallSignature(secret, delivery.headers['rollcall-signature'] as string, delivery.body)).toBe(true);
      const event = JSON.parse(delivery.body);
      expect(event).toMatchObject({ type: 'user.created', tenantId, connectionId: connection.id });
      expect(JSON.stringify(event.data)).toContain(userId);
      expect(JSON.stringify(event.data)).toContain('ann@e2e.test');
      expect(delivery.headers['rollcall-event-id']).toBe(event.id);
    });
  });
}
