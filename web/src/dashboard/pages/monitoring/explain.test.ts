import { describe, expect, it } from 'vitest';
import { explainFailure } from './explain.js';

describe('explainFailure', () => {
  it('tells a refused token to be copied again or rotated', () => {
    const e = explainFailure({ status: 401, detail: 'The bearer token is not valid for this SCIM connection', method: 'GET', path: '/Users' });
    expect(e.title).toBe('The provisioning token was refused');
    expect(e.explanation).toMatch(/revoked|expired/);
    expect(e.fix).toMatch(/Copy the provisioning token again/);
    expect(e.fix).toMatch(/rotate/);
  });

  it('tells a missing token apart from a wrong one', () => {
    const e = explainFailure({ status: 401, detail: 'A bearer token is required (Authorization: Bearer <token>)', method: 'GET', path: '/Users' });
    expect(e.title).toBe('No provisioning token was sent');
    expect(e.fix).toMatch(/paste it into the identity provider/);
  });

  it('explains the IP allowlist on 403', () => {
    const e = explainFailure({ status: 403, detail: 'This SCIM connection accepts requests only from its IP allowlist, which does not include 10.0.0.9', method: 'POST', path: '/Users' });
    expect(e.title).toMatch(/IP allowlist/);
    expect(e.fix).toMatch(/outbound IP addresses/);
  });

  it('explains a taken userName as an IdP that lost track of a user', () => {
    const e = explainFailure({ status: 409, scimType: 'uniqueness', detail: 'userName "ada@example.com" is already in use in this connection', method: 'POST', path: '/Users' });
    expect(e.title).toBe('A user with this userName already exists in this connection');
    expect(e.explanation).toMatch(/lost track/);
    expect(e.fix).toMatch(/match existing users on userName/);
    expect(e.fix).toMatch(/delete the stale user/);
  });

  it('names externalId and group displayName conflicts', () => {
    expect(explainFailure({ status: 409, scimType: 'uniqueness', detail: 'externalId "00u1" is already in use', method: 'POST', path: '/Users' }).title).toContain('externalId');
    const group = explainFailure({ status: 409, scimType: 'uniqueness', detail: 'A group with displayName "Eng" already exists in this connection', method: 'POST', path: '/Groups' });
    expect(group.title).toBe('A group with this displayName already exists in this connection');
    expect(group.fix).not.toMatch(/userName/);
  });

  it('treats a 409 without uniqueness as a concurrent change', () => {
    const e = explainFailure({ status: 409, detail: 'The resource is being changed by another request; try again', method: 'PATCH', path: '/Users/u1' });
    expect(e.title).toBe('Conflicting change');
  });

  it('explains invalidFilter', () => {
    const e = explainFailure({ status: 400, scimType: 'invalidFilter', detail: 'Unexpected token', method: 'GET', path: '/Users' });
    expect(e.title).toMatch(/filter/);
    expect(e.fix).toMatch(/userName eq/);
  });

  it('explains schema mismatches (invalidValue, invalidSyntax, unknown attribute) with the attribute mappings', () => {
    for (const failure of [
      { status: 400, scimType: 'invalidValue', detail: 'active must be a boolean', method: 'POST', path: '/Users' },
      { status: 400, scimType: 'invalidSyntax', detail: 'The body is not a JSON object', method: 'POST', path: '/Users' },
      { status: 400, scimType: null, detail: 'unknown attribute "foo"', method: 'PUT', path: '/Users/u1' },
    ]) {
      const e = explainFailure(failure);
      expect(e.title).toBe('The request does not match the SCIM schema');
      expect(e.fix).toMatch(/attribute mappings/);
    }
  });

  it('explains noTarget and invalidPath on PATCH', () => {
    const noTarget = explainFailure({ status: 400, scimType: 'noTarget', detail: 'No value matches members[value eq "x"]', method: 'PATCH', path: '/Groups/g1' });
    expect(noTarget.title).toBe('The PATCH targets a value that is not there');
    const invalidPath = explainFailure({ status: 400, scimType: 'invalidPath', detail: '"nickName2" is not an attribute of User (unknown attribute "nickName2")', method: 'PATCH', path: '/Users/u1' });
    expect(invalidPath.title).toBe('The PATCH path is not valid');
    expect(invalidPath.fix).toMatch(/re-push/);
  });

  it('explains a 404 on a resource as something deleted here, and a 404 elsewhere as a wrong URL', () => {
    const user = explainFailure({ status: 404, detail: 'User 123 not found', method: 'PATCH', path: '/Users/123' });
    expect(user.title).toBe('The user no longer exists here');
    expect(user.fix).toMatch(/Re-push the user/);
    expect(user.fix).toMatch(/cached/);
    expect(explainFailure({ status: 404, detail: 'Group 9 not found', method: 'GET', path: '/Groups/9' }).title).toBe('The group no longer exists here');
    expect(explainFailure({ status: 404, detail: 'Not found', method: 'GET', path: '/scim/v2/Users' }).fix).toMatch(/provisioning URL/);
  });

  it('explains 412, 413, 429 and 5xx', () => {
    expect(explainFailure({ status: 412, detail: 'If-Match W/"1" does not match', method: 'PUT', path: '/Users/u1' }).title).toMatch(/ETag/);
    expect(explainFailure({ status: 413, detail: 'The bulk request has 2000 operations', method: 'POST', path: '/Bulk' }).fix).toMatch(/bulk size/);
    expect(explainFailure({ status: 429, detail: 'Too many requests', method: 'POST', path: '/Users' }).title).toBe('Rate limited');
    expect(explainFailure({ status: 500, detail: 'Internal server error', method: 'POST', path: '/Users' }).fix).toMatch(/server logs/);
    expect(explainFailure({ status: 503, method: 'GET', path: '/Users' }).title).toBe('Rollcall failed to handle the request');
    expect(explainFailure({ status: 501, detail: 'Sorting is not supported', method: 'GET', path: '/Users' }).title).toBe('Not supported by Rollcall');
  });

  it('always answers, also for codes it has no special words for and for successes', () => {
    expect(explainFailure({ status: 418 }).title).toBe('The request was refused (HTTP 418)');
    expect(explainFailure({ status: 400 }).title).toBe('The request was malformed');
    expect(explainFailure({ status: 201 }).title).toBe('Succeeded');
  });
});
