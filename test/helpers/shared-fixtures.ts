import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Meta's public webhook payloads, kept outside this project in ../shared/wa-fixtures and read
 * from there, never copied. Plain Node (no Vitest) so that global-setup can say when they are absent.
 */
export const SHARED_FIXTURES_DIR = path.resolve(import.meta.dirname, '../../../shared/wa-fixtures');

/** As written in test names and warnings. */
export const SHARED_FIXTURES_NAME = '../shared/wa-fixtures';

export const sharedFixturesPresent = (): boolean => existsSync(SHARED_FIXTURES_DIR);

/** The payloads (`<name>.json`), by name; none when the folder is absent. */
export function sharedFixtures(): { name: string; payload: unknown }[] {
  if (!sharedFixturesPresent()) return [];
  return readdirSync(SHARED_FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.json$/, ''),
      payload: JSON.parse(readFileSync(path.join(SHARED_FIXTURES_DIR, f), 'utf8')) as unknown,
    }));
}
