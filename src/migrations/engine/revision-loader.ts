import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CharlaError } from '../../errors/charla-error.js';
import type { Revision } from './revision.js';

/**
 * Loads revisions from a folder of modules, each with a default export made by `defineRevision`
 * (the `--revisions` option, like Alembic's script location).
 */
export async function loadRevisions(directory: string): Promise<Revision[]> {
  const folder = path.resolve(directory);
  const files = (await readdir(folder)).filter((f) => /\.(m?js|ts)$/.test(f) && !f.endsWith('.d.ts') && !/^index\./.test(f)).sort();
  const revisions: Revision[] = [];
  for (const file of files) {
    const full = path.join(folder, file);
    const module = (await import(pathToFileURL(full).href)) as { default?: Partial<Revision> };
    const candidate = module.default;
    if (
      !candidate ||
      typeof candidate.revision !== 'string' ||
      typeof candidate.upgrade !== 'function' ||
      typeof candidate.downgrade !== 'function' ||
      candidate.downRevision === undefined
    ) {
      throw new CharlaError(
        'MIGRATION_SCRIPT_INVALID',
        `${full} is not a revision: its default export needs revision, downRevision, description, upgrade and downgrade.`,
      );
    }
    revisions.push({ description: '', ...candidate, path: full } as Revision);
  }
  return revisions;
}
