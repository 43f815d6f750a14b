import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/test-database.js';
import { charlaProcess } from './helpers/cli.js';
import { fixtureRevisionsDir } from './helpers/migrations.js';

describeEachDatabase('two processes upgrading at the same moment', ({ fresh }) => {
  it('both exit 0 and each revision runs once', async () => {
    const target = await fresh({ onDisk: true });
    const args = ['db', '--revisions', fixtureRevisionsDir('concurrent'), 'upgrade', 'head'];
    const runs = await Promise.all([charlaProcess(target.urlText, args), charlaProcess(target.urlText, args)]);

    for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0 });
    const output = runs.map((r) => r.stderr).join('\n');
    expect(output.match(/Running upgrade {2}-> c1_create_run_log/g)).toHaveLength(1);
    expect(output.match(/Running upgrade c1_create_run_log -> c2_second_step/g)).toHaveLength(1);

    const database = await target.open();
    try {
      const { rows } = await sql<{ revision: string }>`select revision from migration_runs order by id`.execute(database.kysely);
      expect(rows.map((r) => r.revision)).toEqual(['c1_create_run_log', 'c2_second_step']);
      const versions = await sql<{ version_num: string }>`select version_num from alembic_version`.execute(database.kysely);
      expect(versions.rows).toEqual([{ version_num: 'c2_second_step' }]);
    } finally {
      await database.close();
    }
  });
});
