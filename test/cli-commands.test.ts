import { describe, expect, it } from 'vitest';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { revisions } from '../src/migrations/revisions/index.js';
import { charla } from './helpers/cli.js';
import { BASELINE, HEAD, SEED } from './helpers/migrations.js';
import { describeEachDatabase } from './helpers/test-database.js';

const OFFLINE_URL = 'postgres://nobody@127.0.0.1:1/none';
const graph = new RevisionGraph(revisions);

describe('charla db: commands that read only the scripts', () => {
  it('history lists newest first in Alembic format', async () => {
    const run = await charla(OFFLINE_URL, 'db', 'history');
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(graph.size);
    expect(lines[0]).toMatch(new RegExp(`^\\S+ -> ${HEAD} \\(head\\), `));
    expect(lines.slice(-3)).toEqual([
      `${SEED} -> 20261125_01_ingesta_webhook, webhook ingest: message details, delivery status, pending statuses, customer phone index`,
      `${BASELINE} -> ${SEED}, conversaciones whatsapp`,
      `<base> -> ${BASELINE}, modelos impago cuotas (baseline: clientes, prestamos, cuotas, pagos)`,
    ]);
  });

  it('history -r narrows the range, and --verbose shows the full entries', async () => {
    expect((await charla(OFFLINE_URL, 'db', 'history', '-r', `${SEED}:${SEED}`)).stdout).toBe(
      `${BASELINE} -> ${SEED}, conversaciones whatsapp`,
    );
    expect((await charla(OFFLINE_URL, 'db', 'history', '-r', `${SEED}:`)).stdout.split('\n')).toHaveLength(graph.size - 1);
    expect((await charla(OFFLINE_URL, 'db', 'history', '-r', `:${BASELINE}`)).stdout).toBe(
      `<base> -> ${BASELINE}, modelos impago cuotas (baseline: clientes, prestamos, cuotas, pagos)`,
    );
    const verbose = await charla(OFFLINE_URL, 'db', 'history', '--verbose', '-r', '2025011:');
    expect(verbose.stdout).toContain(`Rev: ${SEED}\nParent: ${BASELINE}\nPath: src/migrations/revisions/${SEED}.ts`);
  });

  it('heads and show accept the grammar, unique prefixes included', async () => {
    expect((await charla(OFFLINE_URL, 'db', 'heads')).stdout).toBe(`${HEAD} (head)`);
    const show = await charla(OFFLINE_URL, 'db', 'show', '20251114');
    expect(show.stdout).toContain(`Rev: ${BASELINE}\nParent: <base>`);
    const ambiguous = await charla(OFFLINE_URL, 'db', 'show', '2025');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain("FAILED (MIGRATION_REVISION_AMBIGUOUS): Multiple revisions start with '2025'");
  });

  it('a usage error exits 2, an unknown DATABASE_URL scheme exits 1 with the expected forms', async () => {
    expect((await charla(OFFLINE_URL, 'db', 'downgrade')).code).toBe(2);
    const badUrl = await charla('sqlite:./x.db', 'db', 'current');
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain(
      'DATABASE_URL "sqlite:./x.db" is not usable: use postgres://…, mysql://…, pglite:<dir> or pglite:memory.',
    );
  });

  it('an unreachable database is reported with its redacted URL', async () => {
    const run = await charla('postgres://charla:s3cret@127.0.0.1:1/none', 'db', 'current');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('FAILED (DATABASE_UNAVAILABLE): Cannot reach PostgreSQL at postgres://charla:***@127.0.0.1:1/none');
    expect(run.stderr).not.toContain('s3cret');
  });
});

describeEachDatabase('charla db against a database', ({ fresh }) => {
  it('stamp writes a revision without running it; --purge replaces an unknown one; history -i marks the current', async () => {
    const target = await fresh({ onDisk: true });
    const stamp = await charla(target.urlText, 'db', 'stamp', SEED);
    expect(stamp.code).toBe(0);
    expect((await charla(target.urlText, 'db', 'current')).stdout).toBe(SEED);
    // Nothing ran: the check finds every table missing.
    const check = await charla(target.urlText, 'db', 'check');
    expect(check.stdout).toContain('Table conversaciones_whatsapp is missing.');

    expect((await charla(target.urlText, 'db', 'stamp', 'base')).code).toBe(0);
    expect((await charla(target.urlText, 'db', 'current')).stdout).toBe('');
    expect((await charla(target.urlText, 'db', 'upgrade', '+1')).code).toBe(0);
    const history = await charla(target.urlText, 'db', 'history', '-i');
    expect(history.stdout).toContain(`<base> -> ${BASELINE} (current), modelos impago cuotas`);

    expect((await charla(target.urlText, 'db', 'stamp', '--purge', HEAD)).code).toBe(0);
    expect((await charla(target.urlText, 'db', 'current')).stdout).toBe(`${HEAD} (head)`);
  });
});
