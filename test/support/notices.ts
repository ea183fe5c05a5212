/** Vitest global setup: says once per run what the run does not cover (test/support/requirements.ts). */
import { missingNotices } from './requirements.js';

export default function setup(): void {
  const notices = missingNotices();
  if (notices.length > 0) process.stderr.write(`\n${notices.map((n) => `[rollcall tests] ${n}`).join('\n')}\n\n`);
}
