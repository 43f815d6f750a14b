import { inspect } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { describeDatabase, parseDatabaseUrl, redactDatabaseSecrets, redactDatabaseUrl } from '../src/config/database-url.js';
import { openDatabase } from '../src/db/database.js';
import type { CliRun } from './helpers/cli.js';
import { charlaProcess } from './helpers/processes.js';
import { adminUrls } from './helpers/engines.js';

/**
 * DATABASE_URLs as people mistype them, each with `{pw}` where a distinctive password goes. Where
 * they get past parsing, they point at 127.0.0.1:1, where nothing listens.
 */
const shapes = [
  'postgres:/user:{pw}@127.0.0.1:1/db', // one slash
  'postgres:user:{pw}@127.0.0.1:1/db', // no slash
  'postgres:///user:{pw}@127.0.0.1:1/db', // three slashes
  'postgresql:\\\\user:{pw}@127.0.0.1:1/db', // backslashes
  'postgres://user:p@{pw}@127.0.0.1:1/db', // unencoded @ in the password
  'postgres://user:{pw}@x@127.0.0.1:1/db',
  'postgres://@{pw}@127.0.0.1:1/db',
  'postgres://us:er:{pw}@127.0.0.1:1/db', // a : in the password
  'mysql://user:{pw}@127.0.0.1:notaport/db',
  'mysql://user:{pw}/x@127.0.0.1:1/db', // unencoded /
  'postgres://user:1234/{pw}@127.0.0.1:1/db', // reads as host "user", port 1234
  'postgres://user:{pw}#x@127.0.0.1:1/db', // unencoded #
  'postgres://user:{pw}?x@127.0.0.1:1/db', // unencoded ?
  'postgres://user:1234?{pw}@127.0.0.1:1/db',
  'mysql://user:{pw}%zz@127.0.0.1:1/db', // a % that is not percent-encoding
  'mariadb://user:%{pw}@127.0.0.1:1/db',
  'postgres://user:{pw} x@127.0.0.1:1/db', // a space
  'postgres://user:{pw}', // no host
  'postgres://user:{pw}/db', // "@host" forgotten
  'mysql://user:{pw}@/db', // empty host
  'mariadb://user:{pw}@[::1/db', // broken IPv6 literal
  'postgres://user@127.0.0.1:1/db?password={pw}', // password as a parameter
  'mysql://user@127.0.0.1:1/db?connectTimeout=1000&password={pw}',
  'postgress://user:{pw}@127.0.0.1:1/db', // misspelt scheme
  'http://user:{pw}@127.0.0.1:1/db', // wrong scheme
  '  postgres://user:{pw}@127.0.0.1:1/db  ', // surrounding blanks, unreachable
  'postgres://user:{pw}@127.0.0.1:1/db', // well formed, unreachable
  'mysql://user:{pw}@127.0.0.1:1/db',
  'pglite://user:{pw}@127.0.0.1/db', // a server URL with the embedded scheme
  'user:{pw}@127.0.0.1:1/db', // no scheme at all
  'user:{pw}', // credentials alone
  'host=127.0.0.1 port=1 user=u password={pw}', // libpq key=value form
];

const cases = shapes.map((shape, index) => {
  const password = `Zq${index}xW7k`;
  return { url: shape.replace('{pw}', password), password };
});

/** Whatever opening the database with `url` throws (loading the configuration included), or null. */
async function failureOf(url: string): Promise<unknown> {
  try {
    const config = loadConfig({ DATABASE_URL: url });
    const database = await openDatabase(config.database);
    await database.close();
    return null;
  } catch (error) {
    return error;
  }
}

/** Every text of an error that could reach an operator or a log: inspect(), String(), stack, causes, JSON. */
function printedForms(error: unknown): string {
  const forms: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    forms.push(inspect(current, { depth: 5 }));
    if (current instanceof Error) forms.push(String(current), current.message, current.stack ?? '');
    try {
      forms.push(JSON.stringify(current));
    } catch {
      // Circular: the other forms are enough.
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return forms.join('\n');
}

describe('DATABASE_URL passwords are never shown', () => {
  it.each(cases)('$url: not in the error, its cause, nor the redacted URL', async ({ url, password }) => {
    expect(redactDatabaseUrl(url)).not.toContain(password);
    const error = await failureOf(url);
    expect(error).toBeInstanceOf(Error);
    expect(printedForms(error)).not.toContain(password);
  });

  it('the CLI prints none of them, whatever the shape', { timeout: 180_000 }, async () => {
    const runs: { url: string; password: string; run: CliRun }[] = [];
    const queue = [...cases];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          runs.push({ ...next, run: await charlaProcess(next.url, ['db', 'current']) });
        }
      }),
    );
    for (const { url, password, run } of runs) {
      expect(run.code, url).toBe(1);
      expect(run.stderr, url).toMatch(/^FAILED \((DATABASE_URL_INVALID|DATABASE_UNAVAILABLE)\): /m);
      expect(run.stderr, url).not.toContain('    at ');
      expect(`${run.stdout}\n${run.stderr}`, url).not.toContain(password);
    }
  });

  it('keeps what helps: scheme, plain user name, host, port, database', () => {
    expect(redactDatabaseUrl('postgres://charla:hunter2@db/crm')).toBe('postgres://charla:***@db/crm');
    expect(redactDatabaseUrl('postgres:/charla:hunter2@db/crm')).toBe('postgres:/charla:***@db/crm');
    expect(redactDatabaseUrl('postgres://charla:p@ss@db:5432/crm')).toBe('postgres://charla:***@db:5432/crm');
    expect(redactDatabaseUrl('mysql://root:pw@db:notaport/crm')).toBe('mysql://root:***@db:notaport/crm');
    expect(redactDatabaseUrl('postgres://a/b:pw@db/crm')).toBe('postgres://***@db/crm');
    expect(redactDatabaseUrl('postgres://charla@db/crm?password=pw&sslmode=require')).toBe(
      'postgres://charla@db/crm?password=***&sslmode=require',
    );
    expect(redactDatabaseUrl('postgres://charla:pw/crm')).toBe('postgres://charla:***/crm');
    expect(redactDatabaseUrl('postgres://db:5432/crm')).toBe('postgres://db:5432/crm');
    expect(redactDatabaseUrl('postgres://[::1]:5432/crm')).toBe('postgres://[::1]:5432/crm');
    expect(redactDatabaseUrl('host=db password=pw')).toBe('***');
  });

  it('rejects the shapes drivers would misread, with the form to use', () => {
    expect(() => parseDatabaseUrl('postgres:/u:pw@db/crm')).toThrow(/two slashes after "postgres:"/);
    expect(() => parseDatabaseUrl('postgres://u:1234/pw@db/crm')).toThrow(/write any @ \/ \? # in the password as %40 %2F %3F %23/);
    expect(() => parseDatabaseUrl('mysql://u:pw%zz@db/crm')).toThrow(/a % that is not percent-encoding/);
    expect(() => parseDatabaseUrl('pglite://u:pw@db/crm')).toThrow(/pglite: takes a folder/);
    // Still accepted: an @ in the password (drivers read up to the last @), sockets, absolute pglite paths.
    expect(parseDatabaseUrl('postgres://u:p@ss@db/crm')).toEqual({ kind: 'postgres', url: 'postgres://u:p@ss@db/crm' });
    expect(parseDatabaseUrl('postgres:///crm').kind).toBe('postgres');
    expect(parseDatabaseUrl('pglite:///srv/db')).toEqual({ kind: 'pglite', dataDir: '/srv/db' });
  });

  it('redacts every form of the password from a driver message', () => {
    const url = 'postgres://charla:p%40ss%2Fw0rd@db/crm';
    const message = 'connect ENOENT /p%40ss%2Fw0rd and p@ss/w0rd and p%40ss%2Fw0rd@db';
    expect(redactDatabaseSecrets(message, url)).toBe('connect ENOENT /*** and *** and ***@db');
    expect(describeDatabase({ kind: 'postgres', url })).toBe('PostgreSQL at postgres://charla:***@db/crm');
  });
});

describe('servers that refuse the password', () => {
  const availability = inject('databaseAvailability');

  it.skipIf(availability.postgres !== null)('PostgreSQL: a wrong password or unknown user is reported without it', async () => {
    const base = new URL(adminUrls.postgres);
    for (const user of ['charla_no_such_role', base.username]) {
      const password = `Wr0ng${user.length}Pw9q`;
      const url = `postgres://${user}:${password}@${base.host}${base.pathname}`;
      const error = await failureOf(url);
      // A server that trusts local connections lets a wrong password in: nothing was printed then.
      if (error === null) continue;
      expect((error as Error).message).toContain('Cannot reach PostgreSQL at postgres://');
      expect(printedForms(error)).not.toContain(password);
    }
  });

  it.skipIf(availability.mysql !== null)('MariaDB: a wrong password is reported without it', async () => {
    const base = new URL(adminUrls.mysql);
    const password = 'Wr0ngMyPw4z';
    const error = await failureOf(`mysql://${base.username}:${password}@${base.host}${base.pathname}`);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('Cannot reach MySQL/MariaDB at mysql://');
    expect(printedForms(error)).not.toContain(password);
  });
});
