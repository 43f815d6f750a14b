import path from 'node:path';
import { CharlaError } from '../errors/charla-error.js';

export type DatabaseUrl = { kind: 'postgres'; url: string } | { kind: 'mysql'; url: string } | { kind: 'pglite'; dataDir: string | null };

export type DatabaseKind = DatabaseUrl['kind'];

/** Parses `DATABASE_URL`: `postgres://…`, `mysql://…`, `pglite:<dir>` or `pglite:memory`. */
export function parseDatabaseUrl(raw: string, cwd = process.cwd()): DatabaseUrl {
  const value = raw.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      assertParsable(value);
      return { kind: 'postgres', url: value };
    case 'mysql':
    case 'mariadb':
      assertParsable(value);
      return { kind: 'mysql', url: value.replace(/^mariadb:/i, 'mysql:') };
    case 'pglite': {
      const location = value.slice('pglite:'.length);
      if (location === 'memory') return { kind: 'pglite', dataDir: null };
      if (location === '') throw invalid(value, 'pglite: needs a directory, e.g. pglite:./data/db');
      return { kind: 'pglite', dataDir: path.resolve(cwd, location) };
    }
    default:
      throw invalid(value, 'use postgres://…, mysql://…, pglite:<dir> or pglite:memory');
  }
}

/** The URL with any password replaced, safe for logs and error messages. */
export function redactDatabaseUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}

export function describeDatabase(url: DatabaseUrl): string {
  if (url.kind === 'pglite')
    return url.dataDir ? `embedded PostgreSQL (PGlite) at ${url.dataDir}` : 'embedded PostgreSQL (PGlite) in memory';
  return `${url.kind === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'} at ${redactDatabaseUrl(url.url)}`;
}

function assertParsable(value: string): void {
  try {
    new URL(value);
  } catch (cause) {
    throw invalid(value, 'it is not a valid URL', cause);
  }
}

function invalid(value: string, hint: string, cause?: unknown): CharlaError {
  return new CharlaError('DATABASE_URL_INVALID', `DATABASE_URL "${redactDatabaseUrl(value)}" is not usable: ${hint}.`, { cause });
}
