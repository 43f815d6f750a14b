import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { openAtHead, run } from '../runtime/runtime.js';
import type { CliOutput } from './cli-output.js';

/** `charla worker`: the bot worker and the reply sender, as many processes as needed. */
export function registerWorkerCommand(program: Command, out: CliOutput): void {
  program
    .command('worker')
    .description('answer inbound messages and send replies (any number of workers can run side by side)')
    .action(async () => {
      const config = loadConfig();
      await run(config, await openAtHead(config), { http: false, workers: true }, out.result);
    });
}
