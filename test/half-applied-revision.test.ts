import { afterEach, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { Migrator } from '../src/migrations/engine/migrator.js';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { loadRevisions } from '../src/migrations/engine/revision-loader.js';
import { describeEachDatabase } from './helpers/test-database.js';
import { fixtureRevisionsDir } from './helpers/migrations.js';

describeEachDatabase('a revision that fails half-way', ({ engine, fresh }) => {
  let database: Database;
  afterEach(async () => {
    delete process.env.CHARLA_TEST_FAIL_HALF_WAY;
    await database?.close();
  });

  it('completes on the next upgrade head', async () => {
    database = await (await fresh()).open();
    const migrator = new Migrator(new RevisionGraph(await loadRevisions(fixtureRevisionsDir('half-applied'))), database);
    const widgets = async () => database.support.introspector.describeTable(database.kysely, 'widgets');

    process.env.CHARLA_TEST_FAIL_HALF_WAY = '1';
    await expect(migrator.upgrade('head')).rejects.toThrow(/Revision h2_widget_details failed during upgrade: simulated failure half-way/);
    expect(await migrator.currentHeads()).toEqual(['h1_widgets']);
    const halfWay = await widgets();
    if (engine === 'mysql') {
      // No transactional DDL: what ran before the failure stays.
      expect(halfWay?.columns.map((c) => c.name)).toEqual(['id', 'name', 'color']);
      expect(halfWay?.indexes.map((i) => i.name)).toContain('ix_widgets_name');
    } else {
      // Transactional DDL: the revision was rolled back as a whole.
      expect(halfWay?.columns.map((c) => c.name)).toEqual(['id', 'name']);
    }

    delete process.env.CHARLA_TEST_FAIL_HALF_WAY;
    await migrator.upgrade('head');
    expect(await migrator.currentHeads()).toEqual(['h2_widget_details']);
    const done = await widgets();
    expect(done?.columns.map((c) => c.name)).toEqual(['id', 'name', 'color', 'size']);
    expect(done?.indexes.map((i) => i.name).sort()).toEqual(expect.arrayContaining(['ix_widgets_color', 'ix_widgets_name']));
    expect((await migrator.check()).drift).toEqual([]);
  });
});
