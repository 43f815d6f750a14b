import path from 'node:path';
import type { Database } from '../../src/db/database.js';
import { Migrator } from '../../src/migrations/engine/migrator.js';
import type { Revision } from '../../src/migrations/engine/revision.js';
import { RevisionGraph } from '../../src/migrations/engine/revision-graph.js';
import { revisions } from '../../src/migrations/revisions/index.js';

export const BASELINE = '20251114_05_modelos_impago_cuotas';
export const SEED = '20250117_conversaciones_whatsapp';
/** The newest revision: tests that go "to head" name it through this. */
export const HEAD = new RevisionGraph(revisions).heads()[0] as string;

export const fixtureRevisionsDir = (name: string): string => path.resolve(import.meta.dirname, '../fixtures/revisions', name);

/** A migrator over the built-in revisions (plus `extra`), collecting its log lines. */
export function migratorFor(database: Database, extra: Revision[] = []): { migrator: Migrator; log: string[] } {
  const log: string[] = [];
  return { migrator: new Migrator(new RevisionGraph([...revisions, ...extra]), database, (line) => log.push(line)), log };
}
