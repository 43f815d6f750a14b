import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { parseDatabaseUrl, redactDatabaseUrl } from '../src/config/database-url.js';
import { errorCatalogue } from '../src/errors/error-catalogue.js';

const doc = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../docs', name), 'utf8');

describe('configuration', () => {
  it('defaults to the embedded database under ./data/db', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.resolve('data/db') });
  });

  it('reads every form of DATABASE_URL', () => {
    expect(parseDatabaseUrl('postgres://u:p@db:5432/crm')).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/crm' });
    expect(parseDatabaseUrl('postgresql://db/crm').kind).toBe('postgres');
    expect(parseDatabaseUrl('mysql://root@db:3306/crm')).toEqual({ kind: 'mysql', url: 'mysql://root@db:3306/crm' });
    expect(parseDatabaseUrl('mariadb://root@db/crm')).toEqual({ kind: 'mysql', url: 'mysql://root@db/crm' });
    expect(parseDatabaseUrl('pglite:memory')).toEqual({ kind: 'pglite', dataDir: null });
    expect(parseDatabaseUrl('pglite:./x', '/srv')).toEqual({ kind: 'pglite', dataDir: '/srv/x' });
  });

  it('rejects bad values with the variable named and the expected forms', () => {
    expect(() => loadConfig({ DATABASE_URL: 'pglite:' })).toThrow('DATABASE_URL "pglite:" is not usable: pglite: needs a directory');
    expect(() => loadConfig({ DATABASE_URL: 'redis://x' })).toThrow(/use postgres:\/\/…, mysql:\/\/…, pglite:<dir> or pglite:memory/);
    expect(() => loadConfig({ DATABASE_URL: 42 as unknown as string })).toThrow(/Invalid configuration:\n {2}DATABASE_URL: /);
    // The allowed form in the message is the one docs/configuration.md shows (test/configuration-table.test.ts).
    expect(() => loadConfig({ TIMEZONE: 'Mars/Olympus', LOCALE: 'es_VE!' })).toThrow(
      /LOCALE: "es_VE!" is not a locale such as es-VE\n {2}TIMEZONE: "Mars\/Olympus" is not an IANA time zone such as America\/Caracas/,
    );
    expect(() => loadConfig({ WHATSAPP_API_VERSION: '21' })).toThrow('WHATSAPP_API_VERSION: must be a Graph API version such as v21.0');
  });

  it('never shows a password', () => {
    expect(redactDatabaseUrl('postgres://charla:hunter2@db/crm')).toBe('postgres://charla:***@db/crm');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@[bad/crm' })).toThrow(/mysql:\/\/root:\*\*\*@\[bad\/crm/);
  });

  it('docs/errors.md lists every error code with its status, summary and Spanish detail, as the catalogue says', () => {
    const rows = doc('errors.md')
      .split('\n')
      .filter((line) => /^\| `[A-Z_]+` /.test(line))
      .map((line) =>
        line
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim().replace(/\\\|/g, '|')),
      );
    const documented: Record<string, { httpStatus: number; summary: string | undefined; detalle: string | undefined }> = Object.fromEntries(
      rows.map(([code, status, summary, detalle]) => [code?.replace(/`/g, '') ?? '', { httpStatus: Number(status), summary, detalle }]),
    );
    expect(documented).toEqual(errorCatalogue);
  });
});
