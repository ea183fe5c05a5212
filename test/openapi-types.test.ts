/**
 * docs/openapi.json and clients/node/src/api-types.ts (which the web UI imports too) are generated from the
 * route schemas (test/support/write-openapi-types.ts): a schema changed without regenerating them fails here.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGENERATE, clientApiTypes, clientTypesFile, documentFile, openApiDocument } from './support/write-openapi-types.js';

/** The first line where the checked-in text differs from the generated one, for the failure message. */
function firstDifference(checkedIn: string, generated: string): string {
  const a = checkedIn.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: checked in ${JSON.stringify(a[at] ?? '(end of file)')}, generated ${JSON.stringify(b[at] ?? '(end of file)')}`;
}

/** Fails with the command to run when `file` is not `generated`. */
function expectCurrent(file: URL, generated: string): void {
  const checkedIn = readFileSync(file, 'utf8');
  const name = file.pathname.slice(new URL('..', import.meta.url).pathname.length);
  const stale = checkedIn === generated ? '' : `${name} is stale (${firstDifference(checkedIn, generated)}): run \`${REGENERATE}\` and commit the result`;
  expect(stale).toBe('');
}

describe('the OpenAPI document and the API types generated from it', () => {
  let document: string;
  beforeAll(async () => {
    document = await openApiDocument();
  });

  it('docs/openapi.json is the document the app serves at /docs/json', () => {
    expectCurrent(documentFile, document);
  });

  it('clients/node/src/api-types.ts is what openapi-typescript makes of it', async () => {
    expectCurrent(clientTypesFile, await clientApiTypes(document));
  });
});
