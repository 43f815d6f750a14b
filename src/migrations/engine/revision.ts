import type { MigrationOps } from '../ops/migration-ops.js';

/**
 * One revision of the schema, as a TypeScript module. The order of revisions comes only from
 * `downRevision`, as in Alembic: never from file names or dates.
 */
export interface Revision {
  readonly revision: string;
  /** The parent: null for a base, a list for a merge. */
  readonly downRevision: string | readonly string[] | null;
  /** One line, shown by `history` and in the "Running upgrade" lines. */
  readonly description: string;
  upgrade(op: MigrationOps): Promise<void>;
  downgrade(op: MigrationOps): Promise<void>;
  /** Where the module lives, for `show` and `history --verbose`. */
  readonly path?: string;
}

export function defineRevision(revision: Revision): Revision {
  return revision;
}

export function parentsOf(revision: Revision): string[] {
  const down = revision.downRevision;
  if (down === null) return [];
  return typeof down === 'string' ? [down] : [...down];
}
