import { createInterface } from 'node:readline';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { listAgents, ROLES, validNewAgent } from '../auth/agents.repository.js';
import { addAgent } from '../auth/agents.service.js';
import { createApiToken, revokeApiToken, validNewApiToken } from '../auth/auth.repository.js';
import { importOriginalUsers, type ImportOutcome } from '../auth/legacy-import.service.js';
import { generatedPassword } from '../auth/password.js';
import { loadConfig } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import type { Role } from '../db/tables.js';
import type { CliOutput } from './cli-output.js';

const roleOption = () => new Option('--role <role>', 'admin (manages agents and tokens) or agente').choices(ROLES).default('agente');

async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig().database, { poolSize: 2 });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

async function firstLineOfStdin(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** `charla agents add|list` and `charla tokens create|revoke`: sign-in for people and machines. */
export function registerAgentCommands(program: Command, out: CliOutput): void {
  const agents = program.command('agents').description('people who sign in to the inbox and the API');
  agents
    .command('add <email>')
    .description('add an agent; the password is read from stdin with --password-stdin, or generated and printed once')
    .requiredOption('--name <name>', "the agent's name, as customers and colleagues see it")
    .addOption(roleOption())
    .option('--password-stdin', 'read the password from the first line of stdin')
    .action(async (email: string, options: { name: string; role: Role; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await firstLineOfStdin() : generatedPassword();
      // Checked before the database is opened: INPUT_INVALID naming the field (e-mail, name, password).
      const agent = validNewAgent({ email, nombre: options.name, password, rol: options.role });
      const added = await withDatabase((database) => addAgent(database.kysely, database.support, agent));
      out.result(`Agent ${added.id} added: ${added.email} (${added.rol}).`);
      if (!options.passwordStdin) out.result(`Password (shown only now): ${password}`);
    });
  agents
    .command('list')
    .description('list the agents')
    .action(async () => {
      const rows = await withDatabase((database) => listAgents(database.kysely));
      if (rows.length === 0) out.result('No agents yet: add one with `charla agents add <email> --name <name> --role admin`.');
      for (const a of rows)
        out.result(
          `${String(a.id).padStart(4)}  ${a.email.padEnd(32)} ${a.rol.padEnd(6)} ${a.activo ? 'active' : 'inactive'}  ${a.nombre}`,
        );
    });

  agents
    .command('import-legacy')
    .description(
      "create agents from the original system's users table on the same database (admins stay admins; they sign in with their original password)",
    )
    .option('--table <name>', "the original's users table", 'users')
    .option('--dry-run', 'report what would happen without changing anything')
    .action(async (options: { table: string; dryRun?: boolean }) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(options.table))
        throw new InvalidArgumentError(`--table: "${options.table}" is not a table name (letters, digits and _).`);
      const dryRun = options.dryRun ?? false;
      const outcomes = await withDatabase((database) =>
        importOriginalUsers(database.kysely, database.support, { table: options.table, dryRun }),
      );
      for (const line of importReport(outcomes, dryRun)) out.result(line);
    });

  const tokens = program.command('tokens').description('API tokens for machines');
  tokens
    .command('create <name>')
    .description('create an API token (printed once; only its hash is kept)')
    .addOption(roleOption())
    .action(async (name: string, options: { role: Role }) => {
      const token = validNewApiToken({ nombre: name, rol: options.role });
      const { id, secret } = await withDatabase((database) => createApiToken(database.kysely, database.support, token));
      out.result(`Token ${id} (${token.rol}) for "${token.nombre}". Send it as Authorization: Bearer <token>; it is shown only now:`);
      out.result(secret);
    });
  tokens
    .command('revoke')
    .argument('<id>', 'the token id `tokens create` printed', (text: string) => {
      if (!/^\d{1,9}$/.test(text)) throw new InvalidArgumentError('not a token id (the number `tokens create` printed).');
      return Number(text);
    })
    .description('revoke an API token')
    .action(async (id: number) => {
      const revoked = await withDatabase((database) => revokeApiToken(database.kysely, id));
      out.result(revoked ? `Token ${id} revoked.` : `No active token with id ${id}.`);
    });
}

/** One line per original user, then the totals. */
function importReport(outcomes: ImportOutcome[], dryRun: boolean): string[] {
  const lines = outcomes.map((o) => {
    const who = `user ${o.userId || '?'} ${o.email || '(no e-mail)'}`;
    switch (o.kind) {
      case 'imported':
        return `${who}: ${dryRun ? 'would be imported' : `imported as agent ${o.agentId}`}${o.admin ? ' (admin)' : ''}`;
      case 'linked':
        return `${who}: ${dryRun ? 'would be tied' : 'tied'} to existing agent ${o.agentId} (same e-mail; password and role unchanged)`;
      case 'already':
        return `${who}: imported before (agent ${o.agentId})`;
      case 'skipped':
        return `${who}: skipped, ${o.reason}`;
    }
  });
  const count = (kind: ImportOutcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  lines.push(
    `${dryRun ? 'Dry run, nothing changed: ' : ''}${count('imported')} imported, ${count('linked')} tied to existing agents, ${count('already')} imported before, ${count('skipped')} skipped.`,
  );
  return lines;
}
