import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Database } from '../src/db/database.js';
import { describeEachDatabase, type TestDatabase } from './helpers/test-database.js';
import { fixtureRevisionsDir } from './helpers/migrations.js';
import { spawnCharla, type RunningProcess } from './helpers/processes.js';

/**
 * Whether process `pid` is waiting for the lock that keeps two upgrades apart. PostgreSQL: an
 * advisory lock requested and not granted in this database; MariaDB: a connection to this
 * database in GET_LOCK; PGlite (one process at a time): `pid`'s candidate file in the folder lock
 * (src/db/dialects/pglite/data-dir-lock.ts), which it only writes when it wants the folder.
 */
async function waitingForLock(target: TestDatabase, observer: Database | undefined, pid: number): Promise<boolean> {
  switch (target.engine) {
    case 'pglite': {
      const lockDir = `${target.urlText.slice('pglite:'.length)}.lock`;
      const candidates = readdirSync(lockDir).filter((name) => name.endsWith('.candidate'));
      return candidates.some((name) => (JSON.parse(readFileSync(path.join(lockDir, name), 'utf8')) as { pid: number }).pid === pid);
    }
    case 'postgres': {
      const { rows } = await sql<{ n: string }>`select count(*) as n from pg_locks
        where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`.execute(
        (observer as Database).kysely,
      );
      return Number(rows[0]?.n) > 0;
    }
    case 'mysql': {
      const { rows } = await sql<{ n: number }>`select count(*) as n from information_schema.processlist
        where db = database() and state = 'User lock' and id <> connection_id()`.execute((observer as Database).kysely);
      return Number(rows[0]?.n) > 0;
    }
  }
}

describeEachDatabase('two processes upgrading at the same moment', ({ fresh }) => {
  let barrier = '';
  const started: RunningProcess[] = [];
  beforeEach(() => {
    barrier = mkdtempSync(path.join(tmpdir(), 'charla-barrier-'));
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.stop('SIGKILL')));
    rmSync(barrier, { recursive: true, force: true });
  });

  it(
    'the second waits for the first’s migration lock, then finds nothing to do: each revision runs once',
    { timeout: 150_000 },
    async () => {
      const target = await fresh({ onDisk: true });
      // PGlite cannot be opened while a process has it: it is looked at through its lock folder only.
      const observer = target.engine === 'pglite' ? undefined : await target.open();
      try {
        const args = ['db', '--revisions', fixtureRevisionsDir('concurrent'), 'upgrade', 'head'];
        const upgrade = (): RunningProcess => {
          const run = spawnCharla(target.urlText, args, { env: { CHARLA_TEST_BARRIER: barrier } });
          started.push(run);
          return run;
        };

        // The first process runs revision c1 under the lock, and stays there (the fixture's barrier).
        const first = upgrade();
        await vi.waitFor(() => expect(readdirSync(barrier)).toContain(`holding-${first.pid}`), { timeout: 60_000, interval: 50 });
        // The second starts only now, so it cannot get ahead: it must come to wait for the lock.
        const second = upgrade();
        await vi.waitFor(async () => expect(await waitingForLock(target, observer, second.pid)).toBe(true), {
          timeout: 45_000,
          interval: 50,
        });
        writeFileSync(path.join(barrier, 'proceed'), '');

        const runs = await Promise.all([first.exited, second.exited]);
        for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0 });
        // Only the first ran the revisions; the second, once it had the lock, found the database at head.
        expect(readdirSync(barrier).filter((name) => name.startsWith('holding-'))).toEqual([`holding-${first.pid}`]);
        expect(first.stderr().match(/Running upgrade {2}-> c1_create_run_log/g)).toHaveLength(1);
        expect(first.stderr().match(/Running upgrade c1_create_run_log -> c2_second_step/g)).toHaveLength(1);
        expect(second.stderr()).not.toContain('Running upgrade');
      } finally {
        await observer?.close();
      }

      const database = await target.open();
      try {
        const { rows } = await sql<{ revision: string }>`select revision from migration_runs order by id`.execute(database.kysely);
        expect(rows.map((r) => r.revision)).toEqual(['c1_create_run_log', 'c2_second_step']);
        const versions = await sql<{ version_num: string }>`select version_num from alembic_version`.execute(database.kysely);
        expect(versions.rows).toEqual([{ version_num: 'c2_second_step' }]);
      } finally {
        await database.close();
      }
    },
  );
});
