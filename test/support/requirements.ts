/**
 * What a test run needs from outside the repository, and whether it is required. `.ci/run` requires
 * all of it (REQUIRE_POSTGRES, REQUIRE_BROWSER, OKTA_SPEC_DIR): what is missing there fails the run.
 * Anywhere else — a laptop, a user's own CI on a clone of the repository alone (CI=true) — what is
 * missing is skipped, and test/support/notices.ts says so once per run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Chromium for the browser tests (Debian's package). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Okta's SPEC test suites and their runner (../shared/conformance/okta beside the repository in CI). */
export const OKTA_SPEC_SUITES = ['Okta-SCIM-20-SPEC-Test.2024.json', 'Okta-SCIM-20-SPEC-Test.2016.json'];

/** The folder of Okta's SPEC test, when OKTA_SPEC_DIR names one. */
export function oktaSpecDir(): string | undefined {
  return process.env.OKTA_SPEC_DIR || undefined;
}

/** Whether the folder OKTA_SPEC_DIR names holds the runner and both suites. */
export function oktaSpecComplete(dir: string): boolean {
  return existsSync(join(dir, 'run-runscope.mjs')) && OKTA_SPEC_SUITES.every((suite) => existsSync(join(dir, suite)));
}

/** What this run will not cover, one line each (empty when it covers everything). */
export function missingNotices(): string[] {
  const notices: string[] = [];
  if (!process.env.TEST_DATABASE_URL) notices.push('TEST_DATABASE_URL is not set: PostgreSQL cases are NOT run.');
  if (!existsSync(CHROMIUM)) notices.push(`${CHROMIUM} not found: browser tests are NOT run (apt-get install -y chromium).`);
  if (!oktaSpecDir()) notices.push("OKTA_SPEC_DIR is not set: Okta's SPEC test (Runscope) is NOT run.");
  return notices;
}
