/** The built package loads both ways: require() gets the CommonJS build, import the ES module one, with the same exports. */
import * as esm from '@rollcall/client';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('the built package', () => {
  it('is required as CommonJS and imported as an ES module, with the same named exports', () => {
    const script = `
      const cjs = require('@rollcall/client');
      const path = require.resolve('@rollcall/client');
      import('@rollcall/client').then((esm) => {
        const client = new cjs.Rollcall({ baseUrl: 'http://localhost:3000', clientId: 'id', secret: 'secret' });
        console.log(JSON.stringify({ path, cjs: Object.keys(cjs).sort(), esm: Object.keys(esm).sort(), namespaces: Object.keys(client).sort(), same: cjs.Rollcall === esm.Rollcall }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })) as { path: string; cjs: string[]; esm: string[]; namespaces: string[]; same: boolean };
    expect(out.path).toMatch(/dist\/cjs\/index\.js$/);
    expect(out.same).toBe(false); // two builds, one per module system
    expect(out.cjs).toEqual(out.esm);
    expect(out.cjs).toEqual(Object.keys(esm).sort());
    expect(out.cjs).toEqual(expect.arrayContaining(['Rollcall', 'RollcallError', 'RollcallValidationError', 'RollcallConnectionError', 'verifyWebhookSignature', 'signWebhookPayload', 'webhookSignatureHeader', 'WEBHOOK_SIGNATURE_HEADER']));
    expect(out.namespaces).toEqual(['attributes', 'audit', 'connections', 'directory', 'events', 'groupRoles', 'logs', 'permissions', 'roles', 'settings', 'tenants', 'userTokens', 'webhooks']);
  });
});
