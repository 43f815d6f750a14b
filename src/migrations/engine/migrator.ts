import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { AnyKysely, DialectSupport } from '../../db/dialects/dialect-support.js';
import type { TableSpec } from '../../db/schema/table-spec.js';
import { CharlaError, toError } from '../../errors/charla-error.js';
import { compareSchema } from '../schema/schema-drift.js';
import { dataLoss, LiveOps } from '../ops/live-ops.js';
import { ModelOps } from '../ops/model-ops.js';
import { planDowngrade, planStamp, planUpgrade, type MigrationStep } from './migration-plan.js';
import { parentsOf } from './revision.js';
import type { RevisionGraph } from './revision-graph.js';
import { ensureVersionTable, readHeads, versionStatements } from './version-table.js';

export type MigrationLog = (line: string) => void;

export interface CheckResult {
  heads: string[];
  atHead: boolean;
  drift: string[];
}

/** Runs revisions against a live database, under its migration lock. */
export class Migrator {
  constructor(
    private readonly graph: RevisionGraph,
    private readonly database: Database,
    private readonly log: MigrationLog = () => {},
  ) {}

  async currentHeads(): Promise<string[]> {
    return readHeads(this.database.kysely, this.database.support);
  }

  async upgrade(target: string): Promise<MigrationStep[]> {
    return this.locked(async (connection) => {
      const steps = planUpgrade(this.graph, await readHeads(connection, this.database.support), target);
      await this.runSteps(connection, steps, false);
      return steps;
    });
  }

  async downgrade(target: string, options: { allowDataLoss: boolean }): Promise<MigrationStep[]> {
    return this.locked(async (connection) => {
      const steps = planDowngrade(this.graph, await readHeads(connection, this.database.support), target);
      await this.preflight(connection, steps, options.allowDataLoss);
      await this.runSteps(connection, steps, options.allowDataLoss);
      return steps;
    });
  }

  async stamp(target: string, options: { purge: boolean }): Promise<string[]> {
    return this.locked(async (connection) => {
      const support = this.database.support;
      const before = await readHeads(connection, support);
      const after = planStamp(this.graph, before, target, options.purge);
      await ensureVersionTable(connection, support, Math.max(0, ...after.map((id) => id.length)));
      if (options.purge) await sql`delete from alembic_version`.execute(connection);
      for (const statement of versionStatements(options.purge ? [] : before, after)) await sql.raw(statement).execute(connection);
      this.log(`Stamped ${after.join(', ') || 'base'} (was ${before.join(', ') || 'base'}); no revision was run.`);
      return after;
    });
  }

  /**
   * Whether `alembic_version` names exactly the graph's heads: what a process checks before it
   * serves (one query; `check` also compares the whole schema).
   */
  async atHead(): Promise<{ atHead: boolean; heads: string[] }> {
    const heads = await this.currentHeads();
    const graphHeads = this.graph.heads();
    return { atHead: heads.length === graphHeads.length && graphHeads.every((h) => heads.includes(h)), heads };
  }

  /** Compares the live schema with what the applied revisions define. */
  async check(): Promise<CheckResult> {
    const { atHead, heads } = await this.atHead();
    const expected = await expectedSchema(this.graph, heads);
    const drift = await compareSchema(this.database.kysely, this.database.support, [...expected.values()]);
    return { heads, atHead, drift };
  }

  private async locked<T>(work: (connection: AnyKysely) => Promise<T>): Promise<T> {
    const support = this.database.support;
    this.log(`Context impl ${support.displayName}.`);
    this.log(`Will assume ${support.supportsTransactionalDdl ? 'transactional' : 'non-transactional'} DDL.`);
    return support.withMigrationLock(this.database.kysely, work);
  }

  /** Runs each downgrade as a dry run first: refusals and data loss stop it before anything changes. */
  private async preflight(connection: AnyKysely, steps: MigrationStep[], allowDataLoss: boolean): Promise<void> {
    const losses: { table: string; rows: number }[] = [];
    for (const step of steps) {
      const ops = new LiveOps(connection, this.database.support, { allowDataLoss, dryRun: true, note: this.log });
      await step.revision.downgrade(ops);
      losses.push(...ops.wouldDrop.filter((d) => d.rows > 0));
    }
    if (losses.length > 0 && !allowDataLoss) throw dataLoss(losses);
  }

  private async runSteps(connection: AnyKysely, steps: MigrationStep[], allowDataLoss: boolean): Promise<void> {
    if (steps.length === 0) return;
    const support = this.database.support;
    await ensureVersionTable(connection, support, Math.max(...steps.flatMap((s) => s.headsAfter.map((id) => id.length)), 0));
    for (const step of steps) {
      this.log(`Running ${describeStep(step)}`);
      const run = async (db: AnyKysely): Promise<void> => {
        const ops = new LiveOps(db, support, { allowDataLoss, dryRun: false, note: this.log });
        await step.revision[step.direction](ops);
        for (const statement of versionStatements(step.headsBefore, step.headsAfter)) await sql.raw(statement).execute(db);
      };
      try {
        if (support.supportsTransactionalDdl) await connection.transaction().execute(run);
        else await run(connection);
      } catch (thrown) {
        throw stepFailed(step, thrown, support);
      }
    }
  }
}

/** `upgrade A -> B, description` as Alembic prints it (an empty side for base). */
export function describeStep(step: MigrationStep): string {
  const parents = parentsOf(step.revision).join(', ');
  const id = step.revision.revision;
  const [from, to] = step.direction === 'upgrade' ? [parents, id] : [id, parents];
  return `${step.direction} ${from} -> ${to}, ${step.revision.description}`;
}

/** The tables the revisions up to `heads` define, replayed in order. */
export async function expectedSchema(graph: RevisionGraph, heads: readonly string[]): Promise<Map<string, TableSpec>> {
  const model = new ModelOps();
  for (const id of graph.topologicalOrder(graph.ancestorsOf(heads))) await graph.get(id).upgrade(model);
  return model.tables;
}

function stepFailed(step: MigrationStep, thrown: unknown, support: DialectSupport): Error {
  if (thrown instanceof CharlaError && thrown.code !== 'DATABASE_UNAVAILABLE') return thrown;
  const error = toError(thrown);
  const id = step.revision.revision;
  const state = support.supportsTransactionalDdl
    ? `Its changes were rolled back; the database is still at ${step.headsBefore.join(', ') || 'base'}.`
    : `The statements before the failure stay applied (${support.displayName} cannot roll back DDL); fix the cause and run the same command again: the revision completes where it stopped.`;
  return new CharlaError('MIGRATION_FAILED', `Revision ${id} failed during ${step.direction}: ${error.message}. ${state}`, {
    cause: error,
  });
}
