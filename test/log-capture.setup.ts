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
if (folder) process.env[LOG_CAPTURE_ENV] = folder;
