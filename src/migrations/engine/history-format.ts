import { parentsOf, type Revision } from './revision.js';
import type { RevisionGraph } from './revision-graph.js';
import { CharlaError } from '../../errors/charla-error.js';
import { planDowngrade, planUpgrade } from './migration-plan.js';

/**
 * Alembic's output formats: `rev (head)`, `parent -> rev (head), description` and the verbose
 * `Rev:/Parent:/Path:` block, so operators' scripts and habits carry over.
 */
export interface LineOptions {
  parents?: boolean;
  description?: boolean;
  current?: readonly string[];
}

export function formatLine(graph: RevisionGraph, revision: Revision, options: LineOptions = {}): string {
  const id = revision.revision;
  let text = options.parents ? `${formatParents(revision)} -> ${id}` : id;
  if (graph.isHead(id)) text += ' (head)';
  if (graph.children(id).length > 1) text += ' (branchpoint)';
  if (parentsOf(revision).length > 1) text += ' (mergepoint)';
  if (options.current?.includes(id)) text += ' (current)';
  if (options.description) text += `, ${revision.description}`;
  return text;
}

export function formatVerbose(graph: RevisionGraph, revision: Revision, options: LineOptions = {}): string {
  const id = revision.revision;
  const parents = parentsOf(revision);
  const lines = [`Rev: ${formatLine(graph, revision, { current: options.current })}`];
  lines.push(parents.length > 1 ? `Merges: ${parents.join(', ')}` : `Parent: ${formatParents(revision)}`);
  const children = graph.children(id);
  if (children.length > 1) lines.push(`Branches into: ${children.join(', ')}`);
  if (revision.path) lines.push(`Path: ${revision.path}`);
  lines.push('', `    ${revision.description}`, '', `    Revision ID: ${id}`, `    Revises: ${parents.join(', ')}`, '');
  return lines.join('\n');
}

/** The revisions of `history -r start:end`, newest first. Either side may be empty, `base`, `head`, `current` or relative. */
export function historyRange(graph: RevisionGraph, range: string | undefined, currentHeads: readonly string[]): Revision[] {
  let shown = new Set(graph.ordered.map((r) => r.revision));
  if (range) {
    const [start = '', end = ''] = range.includes(':') ? range.split(':') : [range, range];
    if (end !== '' && end !== 'heads') shown = graph.ancestorsOf(resolvePoint(graph, end, currentHeads));
    if (start !== '' && start !== 'base') {
      const from = resolvePoint(graph, start, currentHeads);
      const above = graph.descendantsOf(from);
      shown = new Set([...shown].filter((id) => above.has(id)));
    }
  }
  return graph
    .topologicalOrder(shown)
    .reverse()
    .map((id) => graph.get(id));
}

function resolvePoint(graph: RevisionGraph, point: string, currentHeads: readonly string[]): string[] {
  if (point === 'current') return [...currentHeads];
  if (point === 'head') return graph.heads().length === 1 ? graph.heads() : fail(point);
  if (/^[+-]\d+$/.test(point) || /.[+-]\d+$/.test(point)) {
    const steps = point.includes('-') ? planDowngrade(graph, currentHeads, point) : planUpgrade(graph, currentHeads, point);
    const last = steps.at(-1);
    return last ? [...last.headsAfter] : [...currentHeads];
  }
  return [graph.resolve(point).revision];
}

function fail(point: string): never {
  throw new CharlaError('MIGRATION_MULTIPLE_HEADS', `'${point}' is ambiguous: the scripts have several heads. Name a revision.`);
}

function formatParents(revision: Revision): string {
  const parents = parentsOf(revision);
  return parents.length === 0 ? '<base>' : parents.join(', ');
}
