/** Vitest global setup: says once per run what the run does not cover (test/support/requirements.ts). */
import { missingNotices } from './requirements.js';

/** Each project of the run (vitest.config.ts) runs this setup; the notice is written by the first. */
const SAID = 'ROLLCALL_TEST_NOTICES_SAID';

export default function setup(): void {
  if (process.env[SAID]) return;
  process.env[SAID] = '1';
  const notices = missingNotices();
  if (notices.length > 0) process.stderr.write(`\n${notices.map((n) => `[rollcall tests] ${n}`).join('\n')}\n\n`);
}
