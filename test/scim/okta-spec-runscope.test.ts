/**
 * Okta's SCIM 2.0 SPEC test (the Runscope suites Okta hands to integrators) run against a real
 * listening server, with the dependency-free runner beside them. OKTA_SPEC_DIR names their folder
 * (.ci/run points it at ../shared/conformance/okta beside the repository); a folder named but
 * incomplete fails the test, and without the variable it is skipped (test/support/notices.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { newScimClient } from '../support/scim-requests.js';
import { OKTA_SPEC_SUITES as SUITES, oktaSpecComplete, oktaSpecDir } from '../support/requirements.js';
import { useTestApp } from '../support/test-app.js';

const SPEC_DIR = oktaSpecDir() ?? '';
const RUNNER = join(SPEC_DIR, 'run-runscope.mjs');

interface RunscopeStep {
  step_type: string;
  skipped?: boolean;
  assertions?: unknown[];
  scripts?: (string | null)[];
}

/** How many checks the runner makes for a suite: every assertion and non-empty script of a request step it runs. */
function checksIn(suite: string): number {
  const { steps } = JSON.parse(readFileSync(join(SPEC_DIR, suite), 'utf8')) as { steps: RunscopeStep[] };
  return steps
    .filter((s) => s.step_type === 'request' && !s.skipped)
    .reduce((n, s) => n + (s.assertions?.length ?? 0) + (s.scripts ?? []).filter((x) => x && x.trim()).length, 0);
}

/** Runs the runner as a child process; resolves with its exit code and output. */
async function runSuite(suite: string, base: string, token: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [RUNNER, join(SPEC_DIR, suite), '--base', base, '--auth', `Bearer ${token}`], { cwd: SPEC_DIR });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output };
}

if (!SPEC_DIR) {
  describe.skip('Okta SCIM SPEC test (Runscope): OKTA_SPEC_DIR is not set', () => {
    it('runs', () => {});
  });
} else if (!oktaSpecComplete(SPEC_DIR)) {
  describe('Okta SCIM SPEC test (Runscope)', () => {
    it('finds the suites and their runner in OKTA_SPEC_DIR', () => {
      expect.fail(`Okta's SPEC test suites and run-runscope.mjs were not found in OKTA_SPEC_DIR (${SPEC_DIR})`);
    });
  });
} else {
  for (const dialect of dialectsUnderTest()) {
    describe(`Okta SCIM SPEC test (Runscope) [${dialect}]`, () => {
      const t = useTestApp(dialect);
      let base: string;
      let token: string;

      beforeAll(async () => {
        const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
        const connection = await newScimClient(t, await createTenant(t, 'okta-spec', 'Okta SPEC test'), 'okta');
        base = `${address}/directory/resources/scim/v2.0/${connection.connectionId}`;
        token = connection.token;
        // What the suites need in the connection: one user with a name, an email and active (both
        // suites read Resources[0]), and one group (the 2016 suite's "Verify Groups endpoint").
        await connection.createUser({ userName: 'existing.user@example.com', name: { givenName: 'Existing', familyName: 'User' }, emails: [{ value: 'existing.user@example.com', type: 'work', primary: true }], active: true });
        await connection.createGroup({ displayName: 'Okta SPEC group' });
      });

      for (const suite of SUITES) {
        it(suite, async () => {
          const { code, output } = await runSuite(suite, base, token);
          const summary = /^(\d+) passed, (\d+) failed$/m.exec(output);
          expect(summary, output).not.toBeNull();
          const expected = checksIn(suite);
          expect(expected).toBeGreaterThan(0);
          expect({ code, passed: Number(summary![1]), failed: Number(summary![2]) }, output).toEqual({ code: 0, passed: expected, failed: 0 });
        });
      }
    });
  }
}
