import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { openDatabase, dialectSupportFor, type Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { formatLine, formatVerbose, historyRange } from '../migrations/engine/history-format.js';
import { Migrator } from '../migrations/engine/migrator.js';
import { offlineSql } from '../migrations/engine/offline-sql.js';
import { RevisionGraph } from '../migrations/engine/revision-graph.js';
import { loadRevisions } from '../migrations/engine/revision-loader.js';
import { revisions as builtInRevisions } from '../migrations/revisions/index.js';
import type { CliOutput } from './cli-output.js';

interface DbOptions {
  revisions?: string;
}

/** `charla db …`: Alembic's commands and grammar over Charla's revisions. */
export function registerDbCommands(program: Command, out: CliOutput): void {
  const db = program
    .command('db')
    .description('database migrations (Alembic-compatible: alembic_version, same commands and grammar)')
    .option('--revisions <dir>', 'load revisions from this folder instead of the built-in ones');

  const graphOf = async (): Promise<RevisionGraph> => {
    const { revisions } = db.opts<DbOptions>();
    return new RevisionGraph(revisions ? await loadRevisions(revisions) : builtInRevisions);
  };

  db.command('upgrade')
    .description('apply revisions up to a target: head, heads, <rev>, +N, <rev>+N')
    .argument('[target]', 'where to go', 'head')
    .option('--sql', 'print the SQL for [start:]target instead of running it')
    .action(async (target: string, options: { sql?: boolean }) => {
      const graph = await graphOf();
      if (options.sql) return out.result(await offlineSql(graph, dialectSupportFor(loadConfig().database.kind), 'upgrade', target));
      await withMigrator(graph, out, async (migrator) => {
        const steps = await migrator.upgrade(target);
        if (steps.length === 0) out.info('Nothing to upgrade: the database is already at the target.');
      });
    });

  db.command('downgrade')
    .description('undo revisions down to a target: -N, <rev>, <rev>-N, base')
    .argument('<target>', 'where to go')
    .option('--sql', 'print the SQL for start:target instead of running it')
    .option('--yes', 'accept dropping tables that hold rows')
    .action(async (target: string, options: { sql?: boolean; yes?: boolean }) => {
      const graph = await graphOf();
      if (options.sql) return out.result(await offlineSql(graph, dialectSupportFor(loadConfig().database.kind), 'downgrade', target));
      await withMigrator(graph, out, async (migrator) => {
        const steps = await migrator.downgrade(target, { allowDataLoss: options.yes === true });
        if (steps.length === 0) out.info('Nothing to downgrade: the database is already at the target.');
      });
    });

  db.command('current')
    .description('show the revision(s) the database is at')
    .option('-v, --verbose', 'show each revision in full')
    .action(async (options: { verbose?: boolean }) => {
      const graph = await graphOf();
      await withMigrator(graph, out, async (migrator) => {
        const heads = await migrator.currentHeads();
        if (heads.length === 0) out.info('The database has no revision (base).');
        for (const head of heads) {
          if (!graph.has(head)) throw unknownInDatabase(head);
          const revision = graph.get(head);
          out.result(options.verbose ? formatVerbose(graph, revision) : formatLine(graph, revision));
        }
      });
    });

  db.command('history')
    .description('list revisions, newest first')
    .option('-r, --rev-range <range>', 'start:end (base, head, current, <rev>, relative)')
    .option('-v, --verbose', 'show each revision in full')
    .option('-i, --indicate-current', 'mark the revision(s) the database is at')
    .action(async (options: { revRange?: string; verbose?: boolean; indicateCurrent?: boolean }) => {
      const graph = await graphOf();
      const needsDatabase = options.indicateCurrent === true || (options.revRange ?? '').includes('current');
      const print = (current: readonly string[]): void => {
        for (const revision of historyRange(graph, options.revRange, current)) {
          const lineOptions = { parents: true, description: true, current: options.indicateCurrent ? current : undefined };
          out.result(options.verbose ? formatVerbose(graph, revision, lineOptions) : formatLine(graph, revision, lineOptions));
        }
      };
      if (!needsDatabase) return print([]);
      await withMigrator(graph, out, async (migrator) => print(await migrator.currentHeads()));
    });

  db.command('heads')
    .description('show the head revision(s) of the scripts')
    .option('-v, --verbose', 'show each revision in full')
    .action(async (options: { verbose?: boolean }) => {
      const graph = await graphOf();
      for (const head of graph.heads()) {
        const revision = graph.get(head);
        out.result(options.verbose ? formatVerbose(graph, revision) : formatLine(graph, revision));
      }
    });

  db.command('show')
    .description('show one revision (a unique prefix is enough)')
    .argument('<revision>')
    .action(async (id: string) => {
      const graph = await graphOf();
      const resolved = id === 'head' ? graph.heads() : [graph.resolve(id).revision];
      for (const head of resolved) out.result(formatVerbose(graph, graph.get(head)));
    });

  db.command('stamp')
    .description('write a revision into alembic_version without running any revision')
    .argument('<revision>', 'head, heads, <rev> or base')
    .option('--purge', 'delete every row of alembic_version first (also when it holds an unknown revision)')
    .option('--sql', 'print the SQL instead of running it')
    .action(async (target: string, options: { purge?: boolean; sql?: boolean }) => {
      const graph = await graphOf();
      if (options.sql) return out.result(await offlineSql(graph, dialectSupportFor(loadConfig().database.kind), 'stamp', target));
      await withMigrator(graph, out, (migrator) => migrator.stamp(target, { purge: options.purge === true }));
    });

  db.command('check')
    .description('compare the live schema with what the revisions define and report drift')
    .action(async () => {
      const graph = await graphOf();
      await withMigrator(graph, out, async (migrator) => {
        const result = await migrator.check();
        const problems = [...result.drift];
        if (!result.atHead) {
          problems.unshift(
            `Target database is not up to date: it is at ${result.heads.join(', ') || 'base'}, the scripts' head is ${graph.heads().join(', ')}.`,
          );
        }
        if (problems.length === 0) {
          out.result(`No drift: the schema matches the revisions at ${result.heads.join(', ')}.`);
          return;
        }
        for (const problem of problems) out.result(problem);
        throw new CharlaError('SCHEMA_DRIFT', `${problems.length} difference(s) between the database and the revisions; see above.`);
      });
    });
}

async function withMigrator<T>(graph: RevisionGraph, out: CliOutput, work: (migrator: Migrator) => Promise<T>): Promise<T> {
  const database: Database = await openDatabase(loadConfig().database, { poolSize: 2 });
  try {
    return await work(new Migrator(graph, database, out.info));
  } finally {
    await database.close();
  }
}

function unknownInDatabase(id: string): CharlaError {
  return new CharlaError(
    'MIGRATION_REVISION_UNKNOWN',
    `The database is at revision ${id}, which none of Charla's revision scripts defines.`,
  );
}
