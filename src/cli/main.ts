import { Command, CommanderError } from 'commander';
import { CharlaError, toError } from '../errors/charla-error.js';
import { registerAgentCommands } from './agents.command.js';
import { processOutput, type CliOutput } from './cli-output.js';
import { registerDbCommands } from './db.command.js';
import { registerDemoCommand } from './demo.command.js';
import { registerServeCommand } from './serve.command.js';
import { registerStartCommand } from './start.command.js';
import { registerTemplatesCommand } from './templates.command.js';
import { registerWorkerCommand } from './worker.command.js';

export function buildProgram(out: CliOutput = processOutput): Command {
  const program = new Command('charla')
    .description('Charla: WhatsApp bot and conversation CRM for lenders')
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => out.error(text.trimEnd()) })
    .exitOverride();
  registerStartCommand(program, out);
  registerServeCommand(program, out);
  registerWorkerCommand(program, out);
  registerDbCommands(program, out);
  registerDemoCommand(program, out);
  registerAgentCommands(program, out);
  registerTemplatesCommand(program, out);
  return program;
}

/** Runs the CLI and returns the exit code: 0, 1 for a reported failure, 2 for a usage error. */
export async function runCli(argv: string[], out: CliOutput = processOutput): Promise<number> {
  try {
    await buildProgram(out).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (thrown) {
    if (thrown instanceof CommanderError) return thrown.exitCode === 0 ? 0 : 2;
    const error = toError(thrown);
    out.error(error instanceof CharlaError ? `FAILED (${error.code}): ${error.message}` : `FAILED: ${error.stack ?? error.message}`);
    return 1;
  }
}
