/** Okta's PATCH requests (fixtures from conformance/idp-exchanges.json) through the engine. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply-patch.js';
import { fill, sampleGroup, sampleUser } from './test-support.js';

interface Step {
  name: string;
  path: string;
  body: unknown;
}
const fixtures = JSON.parse(readFileSync(new URL('./okta-patch.fixtures.json', import.meta.url), 'utf8')) as { steps: Step[] };
const vars = { userId: 'u-1', userId2: 'u-2', userName: 'bjensen@example.com', groupId: 'g-1', groupName: 'Engineering' };
const step = (name: string) => {
  const found = fixtures.steps.find((s) => s.name.startsWith(name));
  if (!found) throw new Error(`no fixture "${name}"`);
  return fill(found, vars);
};

describe('Okta PATCH requests', () => {
  it('every fixture applies without error to the right resource type', () => {
    for (const s of fixtures.steps) {
      const { body, path } = fill(s, vars);
      const isGroup = path.startsWith('/Groups');
      expect(() => applyPatch(isGroup ? sampleGroup() : sampleUser(), body, { resourceType: isGroup ? 'Group' : 'User' }), s.name).not.toThrow();
    }
  });

  it('deactivate: path-less replace {"active": false}', () => {
    const r = applyPatch(sampleUser(), step('deactivate').body, { resourceType: 'User' });
    expect(r.resource.active).toBe(false);
    expect(r.changed).toEqual(['active']);
  });

  it('reactivate: path-less replace {"active": true}', () => {
    const r = applyPatch({ ...sampleUser(), active: false }, step('reactivate').body, { resourceType: 'User' });
    expect(r.resource.active).toBe(true);
  });

  it('rename group: the echoed id is accepted; same name → nothing changed', () => {
    const r = applyPatch(sampleGroup(), step('rename group').body, { resourceType: 'Group' });
    expect(r.resource).toEqual(sampleGroup());
    expect(r.changed).toEqual([]);
    const renamed = applyPatch({ ...sampleGroup(), displayName: 'Old name' }, step('rename group').body, { resourceType: 'Group' });
    expect(renamed.resource.displayName).toBe('Engineering');
    expect(renamed.changed).toEqual(['displayName']);
  });

  it('add + remove members in one PATCH: one remove, one add, in order', () => {
    const r = applyPatch(sampleGroup(), step('add + remove members').body, { resourceType: 'Group' });
    expect(r.memberOps).toEqual([
      { op: 'remove', values: ['u-2'] },
      { op: 'add', members: [{ value: 'u-1', display: 'bjensen@example.com' }] },
    ]);
  });

  it('replace all members', () => {
    const r = applyPatch(sampleGroup(), step('replace all members').body, { resourceType: 'Group' });
    expect(r.memberOps).toEqual([{ op: 'replace', members: [{ value: 'u-1', display: 'bjensen@example.com' }, { value: 'u-2', display: 'x' }] }]);
  });

  it('password sync: path-less replace of the writeOnly password', () => {
    const r = applyPatch(sampleUser(), { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { password: 'n3w-Passw0rd' } }] }, { resourceType: 'User' });
    expect(r.resource.password).toBe('n3w-Passw0rd');
  });
});
