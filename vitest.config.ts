import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that measure time, spawn `rollcall` processes, drive Chromium or burn CPU on purpose: they run
 * one at a time, after the rest, so a neighbour's load never decides their outcome.
 */
const ALONE = [
  'test/reliability/**/*.test.ts',
  'test/browser/**/*.test.ts',
  'test/cli.test.ts',
  'test/start.test.ts',
  'test/security/work-budget.test.ts',
  'test/security/abuse-limits.test.ts',
  'test/security/fuzz-http.test.ts',
  'test/security/shared-address-throttle.test.ts',
  'test/security/shared-rate-limit.test.ts',
  'test/security/encryption-cli.test.ts',
  'test/storage/rate-buckets.test.ts',
  'test/webhooks/crash-recovery.test.ts',
  'src/scim/filter/parser.test.ts',
  'src/scim/filter/fuzz.test.ts',
  'src/scim/patch/fuzz.test.ts',
];

/** What both groups share. */
const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  globalSetup: ['./test/support/notices.ts'],
};

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      // Each file has its own databases and ports, and most of the time waits on them: two at once.
      {
        test: {
          ...shared,
          name: 'together',
          // The workspaces' tests run here too: `npm test` at the root covers the client and the example.
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'clients/node/test/**/*.test.ts', 'examples/directory-mirror/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      { test: { ...shared, name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
