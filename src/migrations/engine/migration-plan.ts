import { CharlaError } from '../../errors/charla-error.js';
import type { Revision } from './revision.js';
import type { RevisionGraph } from './revision-graph.js';

export interface MigrationStep {
  readonly revision: Revision;
  readonly direction: 'upgrade' | 'downgrade';
  /** `alembic_version` before and after the step: one row per head. */
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
}

const RELATIVE = /^(.*?)([+-])(\d+)$/;

/** The heads a database holds, checked against the scripts, with a way out when one is unknown. */
export function checkKnownHeads(graph: RevisionGraph, heads: readonly string[]): void {
  const unknown = heads.filter((h) => !graph.has(h));
  if (unknown.length > 0) {
    throw new CharlaError(
      'MIGRATION_REVISION_UNKNOWN',
      `The database is at revision ${unknown.join(', ')}, which none of Charla's revision scripts defines. ` +
        'It was migrated by a newer or different code base: run that code, or if you are sure of the schema, ' +
        "re-stamp it with 'charla db stamp --purge <revision>'.",
    );
  }
}

/** The revisions an upgrade to `target` (head, heads, <rev>, +N, <rev>+N) applies, in order. */
export function planUpgrade(graph: RevisionGraph, currentHeads: readonly string[], target: string): MigrationStep[] {
  checkKnownHeads(graph, currentHeads);
  const applied = graph.ancestorsOf(currentHeads);
  const targets = resolveUpgradeTargets(graph, currentHeads, target);
  const behind = targets.filter((t) => applied.has(t) && !currentHeads.includes(t));
  if (behind.length > 0) {
    throw new CharlaError(
      'MIGRATION_TARGET_INVALID',
      `Destination ${behind.join(', ')} is not a valid upgrade target from current head(s) ${currentHeads.join(', ')}: it is already applied. Use 'charla db downgrade' to go back.`,
    );
  }
  const pending = new Set([...graph.ancestorsOf(targets)].filter((id) => !applied.has(id)));
  let heads = [...currentHeads];
  return graph.topologicalOrder(pending).map((id) => {
    const below = graph.ancestorsOf(graph.parents(id));
    const after = [...heads.filter((h) => !below.has(h)), id];
    const step: MigrationStep = { revision: graph.get(id), direction: 'upgrade', headsBefore: heads, headsAfter: after };
    heads = after;
    return step;
  });
}

/** The revisions a downgrade to `target` (base, <rev>, -N, <rev>-N) undoes, newest first. */
export function planDowngrade(graph: RevisionGraph, currentHeads: readonly string[], target: string): MigrationStep[] {
  checkKnownHeads(graph, currentHeads);
  const applied = graph.ancestorsOf(currentHeads);
  const destination = resolveDowngradeTarget(graph, currentHeads, target);
  if (destination !== null && !applied.has(destination)) {
    throw new CharlaError(
      'MIGRATION_TARGET_INVALID',
      `Revision ${destination} is not an ancestor of the current revision(s) ${currentHeads.join(', ') || '(base)'}; it cannot be a downgrade target.`,
    );
  }
  const undo =
    destination === null
      ? new Set(applied)
      : new Set([...graph.descendantsOf([destination])].filter((id) => id !== destination && applied.has(id)));
  const remaining = new Set(applied);
  let heads = [...currentHeads];
  return graph
    .topologicalOrder(undo)
    .reverse()
    .map((id) => {
      remaining.delete(id);
      const after = graph.maximal(remaining);
      const step: MigrationStep = { revision: graph.get(id), direction: 'downgrade', headsBefore: heads, headsAfter: after };
      heads = after;
      return step;
    });
}

/** The heads `stamp <target>` leaves in `alembic_version`. */
export function planStamp(graph: RevisionGraph, currentHeads: readonly string[], target: string, purge: boolean): string[] {
  if (target === 'base') return [];
  const targets = resolveUpgradeTargets(graph, currentHeads, target, { relative: false });
  if (purge) return targets;
  checkKnownHeads(graph, currentHeads);
  const related = new Set([...graph.ancestorsOf(targets), ...graph.descendantsOf(targets)]);
  return [...currentHeads.filter((h) => !related.has(h)), ...targets];
}

export function singleHead(graph: RevisionGraph, heads: readonly string[], what: string): string {
  if (heads.length > 1) {
    throw new CharlaError(
      'MIGRATION_MULTIPLE_HEADS',
      `Multiple head revisions are present for ${what} (${heads.join(', ')}); name one of them as the target, use 'heads', or add a merge revision.`,
    );
  }
  return heads[0] as string;
}

function resolveUpgradeTargets(
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: string,
  options = { relative: true },
): string[] {
  if (target === 'heads') return graph.heads();
  if (target === 'head') return [singleHead(graph, graph.heads(), "'head'")];
  const relative = options.relative ? RELATIVE.exec(target) : null;
  if (relative) {
    const [, from, sign, count] = relative as unknown as [string, string, string, string];
    if (sign === '-') throw new CharlaError('MIGRATION_TARGET_INVALID', `'${target}' goes backwards; use 'charla db downgrade ${target}'.`);
    const start = from === '' ? currentStart(graph, currentHeads) : resolveNamed(graph, from);
    return [walk(graph, start, Number(count), 'up', target)];
  }
  return [graph.resolve(target).revision];
}

function resolveDowngradeTarget(graph: RevisionGraph, currentHeads: readonly string[], target: string): string | null {
  if (target === 'base') return null;
  const relative = RELATIVE.exec(target);
  if (relative) {
    const [, from, sign, count] = relative as unknown as [string, string, string, string];
    if (sign === '+') throw new CharlaError('MIGRATION_TARGET_INVALID', `'${target}' goes forwards; use 'charla db upgrade ${target}'.`);
    const start = from === '' ? currentStart(graph, currentHeads) : resolveNamed(graph, from);
    if (start === null)
      throw new CharlaError('MIGRATION_TARGET_INVALID', `The database is at base; there is nothing to downgrade by ${count}.`);
    return walk(graph, start, Number(count), 'down', target);
  }
  return graph.resolve(target).revision;
}

function resolveNamed(graph: RevisionGraph, name: string): string {
  if (name === 'head') return singleHead(graph, graph.heads(), "'head'");
  return graph.resolve(name).revision;
}

function currentStart(graph: RevisionGraph, currentHeads: readonly string[]): string | null {
  checkKnownHeads(graph, currentHeads);
  return currentHeads.length === 0 ? null : singleHead(graph, currentHeads, 'a relative target');
}

/** Follows single children (up) or single parents (down) `count` times from `start` (null = base). */
function walk(graph: RevisionGraph, start: string | null, count: number, direction: 'up', label: string): string;
function walk(graph: RevisionGraph, start: string, count: number, direction: 'down', label: string): string | null;
function walk(graph: RevisionGraph, start: string | null, count: number, direction: 'up' | 'down', label: string): string | null {
  let at = start;
  for (let i = 0; i < count; i++) {
    const next = direction === 'up' ? (at === null ? graph.bases() : graph.children(at)) : graph.parents(at as string);
    if (next.length === 0) {
      if (direction === 'down') {
        if (i === count - 1) return null;
      }
      throw new CharlaError('MIGRATION_TARGET_INVALID', `Relative revision ${label} didn't produce ${count} migrations.`);
    }
    if (next.length > 1) {
      throw new CharlaError(
        'MIGRATION_TARGET_INVALID',
        `Relative revision ${label} is ambiguous: ${at ?? 'base'} ${direction === 'up' ? 'branches into' : 'merges'} ${next.join(', ')}. Name a revision instead.`,
      );
    }
    at = next[0] as string;
  }
  return at;
}
