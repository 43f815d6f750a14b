import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { openAtHead, run } from '../runtime/runtime.js';
import type { CliOutput } from './cli-output.js';

/** `charla serve`: the HTTP service alone, on a database already at head. */
export function registerServeCommand(program: Command, out: CliOutput): void {
  program
    .command('serve')
    .description('run the HTTP service (webhook, API); the database must be at head')
    .action(async () => {
      const config = loadConfig();
      await run(config, await openAtHead(config), { http: true, workers: false }, out.result);
    });
}
