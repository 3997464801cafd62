/** What a plan does, counted as terraform's own "Plan: N to import, X to add, Y to change, Z to destroy" line counts it. */
export interface PlanCounts {
  /** Existing objects taken into state by an `import` block (`adopt: true`); an import may change its object too. */
  readonly import: number;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

export const NO_CHANGES: PlanCounts = { import: 0, add: 0, change: 0, destroy: 0 };

/** The part of `terraform show -json PLANFILE` the summary reads. */
interface ShownPlan {
  readonly resource_changes?: readonly {
    readonly mode?: string;
    /** `importing` is set (an object, possibly empty) on a change an `import` block makes. */
    readonly change?: { readonly actions?: readonly string[]; readonly importing?: unknown };
  }[];
}

type ChangeKind = 'add' | 'change' | 'destroy' | 'replace' | 'none';

/**
 * The kind of one resource change from its `actions`: a replacement is
 * `["delete","create"]` or `["create","delete"]`. Anything else terraform
 * may add later counts as a change: a summary must not hide it.
 */
function changeKind(actions: readonly string[]): ChangeKind {
  const key = actions.join(',');
  switch (key) {
    case 'create':
      return 'add';
    case 'update':
      return 'change';
    case 'delete':
      return 'destroy';
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    case 'no-op':
    case 'read':
    case 'forget':
      return 'none';
    default:
      return 'change';
  }
}

function counted(counts: PlanCounts, kind: ChangeKind): PlanCounts {
  switch (kind) {
    case 'add':
      return { ...counts, add: counts.add + 1 };
    case 'change':
      return { ...counts, change: counts.change + 1 };
    case 'destroy':
      return { ...counts, destroy: counts.destroy + 1 };
    case 'replace':
      // A replacement both destroys and adds, as terraform counts it.
      return { ...counts, add: counts.add + 1, destroy: counts.destroy + 1 };
    case 'none':
      return counts;
  }
}

/** Counts the managed resources' changes of a plan as `terraform show -json` prints it; data sources are read, never changed. */
export function summarizePlan(shown: unknown): PlanCounts {
  const changes = (shown as ShownPlan | null)?.resource_changes ?? [];
  return changes
    .filter((resource) => resource.mode !== 'data')
    .reduce((counts, resource) => {
      const withChange = counted(counts, changeKind(resource.change?.actions ?? []));
      // Counted besides its action, as terraform does: an imported object may also be changed.
      const importing = resource.change?.importing !== undefined && resource.change.importing !== null;
      return importing ? { ...withChange, import: withChange.import + 1 } : withChange;
    }, NO_CHANGES);
}

export function addCounts(a: PlanCounts, b: PlanCounts): PlanCounts {
  return { import: a.import + b.import, add: a.add + b.add, change: a.change + b.change, destroy: a.destroy + b.destroy };
}
