import { z } from 'zod';
import { CharlaError } from '../errors/charla-error.js';
import { parseDatabaseUrl, type DatabaseUrl } from './database-url.js';

/**
 * The environment Charla reads, validated once at start-up. docs/configuration.md documents each
 * variable; a test keeps that page and this schema in step.
 */
export const environmentSchema = z.object({
  DATABASE_URL: z.string().min(1).default('pglite:./data/db'),
});

export interface Config {
  database: DatabaseUrl;
  databaseUrlText: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new CharlaError('CONFIG_INVALID', `Invalid configuration:\n  ${problems.join('\n  ')}\nSee docs/configuration.md.`);
  }
  return {
    database: parseDatabaseUrl(parsed.data.DATABASE_URL),
    databaseUrlText: parsed.data.DATABASE_URL,
  };
}

/** An empty variable (`FOO=`) means "not set", as operators expect from shell and .env files. */
function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]));
}
