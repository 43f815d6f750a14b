import { describe, expect, it } from 'vitest';
import { planDowngrade, planStamp, planUpgrade } from '../src/migrations/engine/migration-plan.js';
import { defineRevision, type Revision } from '../src/migrations/engine/revision.js';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { versionStatements } from '../src/migrations/engine/version-table.js';
import { formatLine } from '../src/migrations/engine/history-format.js';
import { revisions } from '../src/migrations/revisions/index.js';

const rev = (revision: string, downRevision: Revision['downRevision']): Revision =>
  defineRevision({ revision, downRevision, description: `step ${revision}`, upgrade: async () => {}, downgrade: async () => {} });

/**
 *        ┌─ b1 ─┐
 *  a ────┤      ├── m ── z
 *        └─ b2 ─┘
 */
const branched = () => new RevisionGraph([rev('z', 'm'), rev('m', ['b1', 'b2']), rev('b2', 'a'), rev('b1', 'a'), rev('a', null)]);
const ids = (steps: { revision: Revision }[]) => steps.map((s) => s.revision.revision);

describe('the revision graph', () => {
  it('orders by parents, never by names or dates: 20250117_… comes after 20251114_05_…', () => {
    const graph = new RevisionGraph(revisions);
    expect(graph.ordered.map((r) => r.revision).slice(0, 2)).toEqual([
      '20251114_05_modelos_impago_cuotas',
      '20250117_conversaciones_whatsapp',
    ]);
    expect(graph.heads()).toHaveLength(1);
  });

  it('upgrades through a branch and its merge, applying both branches before the merge', () => {
    const graph = branched();
    expect(ids(planUpgrade(graph, [], 'head'))).toEqual(['a', 'b1', 'b2', 'm', 'z']);
    expect(ids(planUpgrade(graph, ['b1'], 'head'))).toEqual(['b2', 'm', 'z']);
  });

  it('keeps one alembic_version row per head across a branch and merges them back into one', () => {
    const steps = planUpgrade(branched(), [], 'm');
    expect(steps.map((s) => s.headsAfter)).toEqual([['a'], ['b1'], ['b1', 'b2'], ['m']]);
    expect(versionStatements(['b1', 'b2'], ['m'])).toEqual([
      "UPDATE alembic_version SET version_num='m' WHERE alembic_version.version_num = 'b1'",
      "DELETE FROM alembic_version WHERE alembic_version.version_num = 'b2'",
    ]);
    expect(versionStatements(['b1'], ['b1', 'b2'])).toEqual(["INSERT INTO alembic_version (version_num) VALUES ('b2')"]);
  });

  it('downgrades a merge back into two heads, undoing only what builds on the target', () => {
    const steps = planDowngrade(branched(), ['z'], 'b1');
    expect(ids(steps)).toEqual(['z', 'm']);
    expect(steps.at(-1)?.headsAfter).toEqual(['b1', 'b2']);
    expect(ids(planDowngrade(branched(), ['b1', 'b2'], 'a'))).toEqual(['b2', 'b1']);
  });

  it('understands relative targets: +N, <rev>+N, -N, <rev>-N', () => {
    const graph = new RevisionGraph([rev('one', null), rev('two', 'one'), rev('three', 'two'), rev('four', 'three')]);
    expect(ids(planUpgrade(graph, [], '+2'))).toEqual(['one', 'two']);
    expect(ids(planUpgrade(graph, ['one'], '+1'))).toEqual(['two']);
    expect(ids(planUpgrade(graph, ['one'], 'two+2'))).toEqual(['two', 'three', 'four']);
    expect(ids(planDowngrade(graph, ['four'], '-3'))).toEqual(['four', 'three', 'two']);
    expect(ids(planDowngrade(graph, ['four'], 'four-1'))).toEqual(['four']);
    expect(ids(planDowngrade(graph, ['two'], '-2'))).toEqual(['two', 'one']);
    expect(() => planUpgrade(graph, ['three'], '+2')).toThrow("Relative revision +2 didn't produce 2 migrations.");
    expect(() => planUpgrade(branched(), ['a'], '+1')).toThrow(/ambiguous: a branches into b1, b2/);
  });

  it('resolves unique prefixes and names the candidates of an ambiguous one', () => {
    const graph = new RevisionGraph(revisions);
    expect(graph.resolve('2025011').revision).toBe('20250117_conversaciones_whatsapp');
    expect(graph.resolve('20251114').revision).toBe('20251114_05_modelos_impago_cuotas');
    expect(() => graph.resolve('2025')).toThrow(
      "Multiple revisions start with '2025': 20250117_conversaciones_whatsapp, 20251114_05_modelos_impago_cuotas. Give more characters.",
    );
    expect(() => graph.resolve('zzz')).toThrow("Can't locate revision identified by 'zzz'.");
    expect(ids(planUpgrade(graph, [], '20251114'))).toEqual(['20251114_05_modelos_impago_cuotas']);
  });

  it('reports a cycle with its path', () => {
    expect(() => new RevisionGraph([rev('a', null), rev('b', ['a', 'd']), rev('c', 'b'), rev('d', 'c')])).toThrow(
      'The revisions form a cycle: b -> c -> d -> b.',
    );
  });

  it('reports a missing parent and a duplicate id', () => {
    expect(() => new RevisionGraph([rev('a', null), rev('b', 'ghost')])).toThrow(
      'Revision b names ghost as its down revision, but no revision ghost exists.',
    );
    expect(() => new RevisionGraph([rev('a', null), rev('a', null)])).toThrow('Revision id a is defined twice.');
  });

  it("refuses 'head' when there are several heads, and offers 'heads'", () => {
    const graph = new RevisionGraph([rev('a', null), rev('b1', 'a'), rev('b2', 'a')]);
    expect(() => planUpgrade(graph, [], 'head')).toThrow(/Multiple head revisions are present for 'head' \(b1, b2\)/);
    expect(ids(planUpgrade(graph, [], 'heads'))).toEqual(['a', 'b1', 'b2']);
  });

  it('refuses a target that is not ahead of the database, and one the database cannot go down to', () => {
    const graph = branched();
    expect(() => planUpgrade(graph, ['m'], 'a')).toThrow(/Destination a is not a valid upgrade target from current head\(s\) m/);
    expect(() => planDowngrade(graph, ['b1'], 'b2')).toThrow(/Revision b2 is not an ancestor of the current revision\(s\) b1/);
    expect(planUpgrade(graph, ['z'], 'head')).toEqual([]);
  });

  it('stamps over related heads, and with purge over anything', () => {
    const graph = branched();
    expect(planStamp(graph, ['b1', 'b2'], 'm', false)).toEqual(['m']);
    expect(planStamp(graph, ['unknown'], 'a', true)).toEqual(['a']);
    expect(() => planStamp(graph, ['unknown'], 'a', false)).toThrow(/stamp --purge/);
  });

  it('formats lines as Alembic does: head, branchpoint and mergepoint markers', () => {
    const graph = branched();
    expect(formatLine(graph, graph.get('z'), { parents: true, description: true })).toBe('m -> z (head), step z');
    expect(formatLine(graph, graph.get('a'), { parents: true, description: true })).toBe('<base> -> a (branchpoint), step a');
    expect(formatLine(graph, graph.get('m'), { parents: true, description: true })).toBe('b1, b2 -> m (mergepoint), step m');
  });
});
