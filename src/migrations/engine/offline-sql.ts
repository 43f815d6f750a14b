import type { DialectSupport } from '../../db/dialects/dialect-support.js';
import { CharlaError } from '../../errors/charla-error.js';
import { OfflineOps } from '../ops/offline-ops.js';
import { describeStep, expectedSchema } from './migrator.js';
import { planDowngrade, planStamp, planUpgrade } from './migration-plan.js';
import type { RevisionGraph } from './revision-graph.js';
import { createVersionTableSql, VERSION_COLUMN_LENGTH, versionStatements } from './version-table.js';

/** Alembic's 32-character column: anything longer needs the column widened first. */
const ALEMBIC_COLUMN_LENGTH = 32;

/**
 * `--sql`: the script a DBA runs instead of Charla, for `upgrade [start:]end`,
 * `downgrade start:end` and `stamp [start:]end`, without connecting to the database.
 */
export async function offlineSql(
  graph: RevisionGraph,
  support: DialectSupport,
  command: 'upgrade' | 'downgrade' | 'stamp',
  range: string,
): Promise<string> {
  const [start, end] = splitRange(range, command);
  const startHeads = start === 'base' ? [] : [graph.resolve(start).revision];
  const lines: string[] = [];
  const emit = (statement: string): void => {
    lines.push(statement.startsWith('--') ? `${statement}\n` : `${statement};\n`);
  };

  if (support.supportsTransactionalDdl) emit('BEGIN');
  if (start === 'base') emit(createVersionTableSql());

  if (command === 'stamp') {
    const after = planStamp(graph, startHeads, end, false);
    if (start !== 'base' && after.some((id) => id.length > ALEMBIC_COLUMN_LENGTH)) emit(support.widenVersionColumn(VERSION_COLUMN_LENGTH));
    versionStatements(startHeads, after).forEach(emit);
  } else {
    const steps = command === 'upgrade' ? planUpgrade(graph, startHeads, end) : planDowngrade(graph, startHeads, end);
    const ops = new OfflineOps(support.ddl, emit).seed(await expectedSchema(graph, startHeads));
    if (command === 'downgrade') emit('-- Tables this script drops lose their rows: back them up first.');
    let widened = start === 'base';
    for (const step of steps) {
      emit(`-- Running ${describeStep(step)}`);
      await step.revision[step.direction](ops);
      if (!widened && step.headsAfter.some((id) => id.length > ALEMBIC_COLUMN_LENGTH)) {
        emit(support.widenVersionColumn(VERSION_COLUMN_LENGTH));
        widened = true;
      }
      versionStatements(step.headsBefore, step.headsAfter).forEach(emit);
    }
  }

  if (support.supportsTransactionalDdl) emit('COMMIT');
  return lines.join('\n');
}

function splitRange(range: string, command: string): [string, string] {
  const parts = range.split(':');
  if (parts.length === 1) {
    if (command === 'downgrade') {
      throw new CharlaError(
        'MIGRATION_OFFLINE_UNSUPPORTED',
        `downgrade --sql needs a start and an end, as <from>:<to> (for example 20250117_conversaciones_whatsapp:20251114_05_modelos_impago_cuotas).`,
      );
    }
    return ['base', range];
  }
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new CharlaError('MIGRATION_OFFLINE_UNSUPPORTED', `'${range}' is not a range; write it as <from>:<to>.`);
  }
  return [parts[0], parts[1]];
}
