import { inject } from 'vitest';
import { LOG_CAPTURE_ENV } from '../src/logging/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder where Charla's loggers write what they log during the run (test/global-setup.ts). */
    logCaptureFolder: string;
  }
}

/**
 * Every test file (setupFiles): loggers created by Charla in this process (src/logging/logger.ts
 * `createLogger`), and in the charla processes its tests start (they inherit the environment),
 * also write their lines to the run's capture folder, which global teardown checks for leaks.
 */
const folder = inject('logCaptureFolder');
// A project without test/global-setup.ts would run unchecked: say so rather than skip the check.
if (!folder) throw new Error('test/log-capture.setup.ts needs test/global-setup.ts (globalSetup) in the same Vitest project.');
process.env[LOG_CAPTURE_ENV] = folder;
