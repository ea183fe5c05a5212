/**
 * A `schemas` member inside an extension's value (sent by some SCIM client libraries): POST and PUT
 * ignore it, and so does PATCH, with or without a path, instead of answering 400 invalidPath.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../support/databases.js';
import { createConnection, createTenant } from '../../support/fixtures.js';
import { ENTERPRISE_URN, USER_URN, patchOp, scimClient } from '../../support/scim-requests.js';
import { useTestApp } from '../../support/test-app.js';

describe.each(dialectsUnderTest())('schemas inside an extension value (%s)', (dialect) => {
  const t = useTestApp(dialect);

  it('is ignored by POST, PUT and PATCH alike', async () => {
    await createTenant(t, 'ext-schemas');
    const client = scimClient(t, await createConnection(t, 'ext-schemas', 'okta'));
    const extension = (department: string) => ({ schemas: [ENTERPRISE_URN], department, employeeNumber: '7' });
    const posted = await client.createUser({ schemas: [USER_URN, ENTERPRISE_URN], userName: 'posted@x.com', [ENTERPRISE_URN]: extension('Sales') });
    expect(posted[ENTERPRISE_URN]).toEqual({ department: 'Sales', employeeNumber: '7' });

    const target = await client.createUser({ userName: 'patched@x.com' });
    const pathless = await client.patch(`/Users/${target.id}`, patchOp({ op: 'add', value: { [ENTERPRISE_URN]: extension('Sales') } }));
    expect(pathless.statusCode, pathless.body).toBe(200);
    expect(pathless.json()[ENTERPRISE_URN]).toEqual(posted[ENTERPRISE_URN]);
    expect(pathless.json().schemas).toEqual(posted.schemas);

    const withPath = await client.patch(`/Users/${target.id}`, patchOp({ op: 'replace', path: ENTERPRISE_URN, value: extension('Support') }));
    expect(withPath.statusCode, withPath.body).toBe(200);
    expect(withPath.json()[ENTERPRISE_URN]).toEqual({ department: 'Support', employeeNumber: '7' });

    const put = await client.put(`/Users/${target.id}`, { schemas: [USER_URN, ENTERPRISE_URN], userName: 'patched@x.com', [ENTERPRISE_URN]: extension('Legal') });
    expect(put.statusCode).toBe(200);
    expect(put.json()[ENTERPRISE_URN]).toEqual({ department: 'Legal', employeeNumber: '7' });
    // Any other unknown name in the extension is still a PATCH error, as before.
    const unknown = await client.patch(`/Users/${target.id}`, patchOp({ op: 'add', value: { [ENTERPRISE_URN]: { departmnet: 'typo' } } }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().scimType).toBe('invalidPath');
  });
});
