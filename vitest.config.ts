import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Suites that take over a minute on the three databases (measured with Vitest's JSON reporter,
 * each file alone): worker processes killed or rate-limited, lock waits sat out, dozens of charla
 * processes, scrypt, property-based runs, a fresh database migrated per test. Project `slow`
 * (`npm run test:slow`); the rest is `fast` (`npm run test:fast`); `npm test` runs both.
 */
const SLOW = [
  'test/worker/worker-chaos.test.ts',
  'test/webhook/sigkill-durability.test.ts',
  'test/worker/outbound-limit.test.ts',
  'test/concurrent-upgrade.test.ts',
  'test/pglite-lock.test.ts',
  'test/database-url.test.ts',
  'test/api/sign-in.test.ts',
  'test/cli-agents.test.ts',
  'test/fuzz/webhook-fuzz.test.ts',
  'test/worker/reply-sender.test.ts',
  'test/worker/bot-worker.test.ts',
  // Chromium against `charla start` on each database.
  'test/browser/inbox.test.ts',
];

export default defineConfig({
  test: {
    // What is set here applies to both projects (`extends: true`); global-setup runs once per run.
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...SLOW] } },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
    globalSetup: ['test/global-setup.ts'],
    // Every project: Charla's logs are captured (setup file) and checked for phone numbers and e-mails (global setup's teardown).
    setupFiles: ['test/log-capture.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
