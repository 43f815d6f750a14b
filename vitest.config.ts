import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Suites that take over a minute on the three databases (child processes, kills, waiting out
 * timeouts, scrypt): project `slow` (`npm run test:slow`). `npm test` runs both projects.
 */
const SLOW = [
  'test/worker/worker-chaos.test.ts',
  'test/webhook/sigkill-durability.test.ts',
  'test/worker/outbound-limit.test.ts',
  'test/concurrent-upgrade.test.ts',
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
