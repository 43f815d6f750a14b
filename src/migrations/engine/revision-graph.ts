import { CharlaError } from '../../errors/charla-error.js';
import { parentsOf, type Revision } from './revision.js';

/**
 * The revisions as a graph of parents and children: validated on construction (duplicate ids,
 * missing parents, cycles) and queried by the planner and the `history`/`heads` commands.
 */
export class RevisionGraph {
  private readonly byId = new Map<string, Revision>();
  private readonly childrenById = new Map<string, string[]>();
  /** Every revision, parents before children; ties broken by id so output is stable. */
  readonly ordered: readonly Revision[];

  constructor(revisions: readonly Revision[]) {
    for (const revision of revisions) {
      if (this.byId.has(revision.revision)) {
        throw invalid(`Revision id ${revision.revision} is defined twice${describePaths(revision, this.byId.get(revision.revision))}.`);
      }
      this.byId.set(revision.revision, revision);
      this.childrenById.set(revision.revision, []);
    }
    for (const revision of revisions) {
      for (const parent of parentsOf(revision)) {
        if (!this.byId.has(parent)) {
          throw invalid(`Revision ${revision.revision} names ${parent} as its down revision, but no revision ${parent} exists.`);
        }
        this.childrenById.get(parent)?.push(revision.revision);
      }
    }
    this.ordered = this.topologicalOrder(new Set(this.byId.keys())).map((id) => this.get(id));
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Revision {
    const revision = this.byId.get(id);
    if (!revision) throw new CharlaError('MIGRATION_REVISION_UNKNOWN', `Can't locate revision identified by '${id}'.`);
    return revision;
  }

  /** An exact id, or a unique prefix of one. */
  resolve(idOrPrefix: string): Revision {
    const exact = this.byId.get(idOrPrefix);
    if (exact) return exact;
    const matches = [...this.byId.keys()].filter((id) => id.startsWith(idOrPrefix));
    if (matches.length === 1) return this.get(matches[0] as string);
    if (matches.length > 1) {
      throw new CharlaError(
        'MIGRATION_REVISION_AMBIGUOUS',
        `Multiple revisions start with '${idOrPrefix}': ${matches.sort().join(', ')}. Give more characters.`,
      );
    }
    throw new CharlaError('MIGRATION_REVISION_UNKNOWN', `Can't locate revision identified by '${idOrPrefix}'.`);
  }

  parents(id: string): string[] {
    return parentsOf(this.get(id));
  }

  children(id: string): string[] {
    return [...(this.childrenById.get(id) ?? [])].sort();
  }

  heads(): string[] {
    return this.ordered.filter((r) => this.children(r.revision).length === 0).map((r) => r.revision);
  }

  bases(): string[] {
    return this.ordered.filter((r) => parentsOf(r).length === 0).map((r) => r.revision);
  }

  isHead(id: string): boolean {
    return this.children(id).length === 0;
  }

  /** The given revisions and everything below them. */
  ancestorsOf(ids: Iterable<string>): Set<string> {
    return this.walk(ids, (id) => this.parents(id));
  }

  /** The given revisions and everything above them. */
  descendantsOf(ids: Iterable<string>): Set<string> {
    return this.walk(ids, (id) => this.children(id));
  }

  /** `ids` ordered parents first. */
  topologicalOrder(ids: Set<string>): string[] {
    const pending = new Map<string, number>();
    for (const id of ids) pending.set(id, this.parents(id).filter((p) => ids.has(p)).length);
    const ready = [...pending].filter(([, n]) => n === 0).map(([id]) => id);
    const order: string[] = [];
    while (ready.length > 0) {
      ready.sort();
      const id = ready.shift() as string;
      order.push(id);
      for (const child of this.children(id)) {
        if (!pending.has(child)) continue;
        const left = (pending.get(child) as number) - 1;
        pending.set(child, left);
        if (left === 0) ready.push(child);
      }
    }
    if (order.length !== ids.size) {
      throw invalid(`The revisions form a cycle: ${this.findCycle([...ids].filter((id) => !order.includes(id))).join(' -> ')}.`);
    }
    return order;
  }

  /** The revisions among `applied` that no other applied revision builds on. */
  maximal(applied: Set<string>): string[] {
    return this.topologicalOrder(applied).filter((id) => !this.children(id).some((c) => applied.has(c)));
  }

  private walk(start: Iterable<string>, next: (id: string) => string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...next(id));
    }
    return seen;
  }

  private findCycle(candidates: string[]): string[] {
    const inCycle = new Set(candidates);
    const start = candidates.sort()[0] as string;
    const path = [start];
    let current = start;
    // Every candidate has a parent among the candidates, so following parents must come back.
    for (;;) {
      const parent = this.parents(current).find((p) => inCycle.has(p)) as string;
      const seenAt = path.indexOf(parent);
      if (seenAt >= 0) return [...path.slice(seenAt), parent].reverse();
      path.push(parent);
      current = parent;
    }
  }
}

function invalid(message: string): CharlaError {
  return new CharlaError('MIGRATION_SCRIPT_INVALID', message);
}

function describePaths(a: Revision, b: Revision | undefined): string {
  const paths = [a.path, b?.path].filter(Boolean);
  return paths.length > 0 ? ` (${paths.join(' and ')})` : '';
}
