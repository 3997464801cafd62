import { compareText, edgeKey, type GraphAccount, type GraphEdge, type GraphNode, type TrustGraph } from './trustGraph';
import { groupBy } from './accessReport';

export type Change = 'added' | 'removed' | 'unchanged';

/**
 * The part of the trust graph a change of config touches: the edges (ways
 * in) and nodes it adds or removes, and, as context, the unchanged edges
 * that lead into them or on from them (who gains a way in through a new
 * step, and where a new way leads on to). An edge whose conditions change is
 * an edge removed and one added, each labelled with its conditions.
 */
export interface TrustGraphDiff {
  readonly accounts: readonly GraphAccount[];
  readonly nodes: readonly (GraphNode & { readonly change: Change })[];
  readonly edges: readonly (GraphEdge & { readonly change: Change })[];
}

export function diffTrustGraph(base: TrustGraph, head: TrustGraph): TrustGraphDiff {
  const baseNodes = new Map(base.nodes.map((n) => [n.key, n]));
  const headNodes = new Map(head.nodes.map((n) => [n.key, n]));
  const baseEdges = new Map(base.edges.map((e) => [edgeKey(e), e]));
  const headEdges = new Map(head.edges.map((e) => [edgeKey(e), e]));

  const changed = [
    ...[...headEdges].filter(([key]) => !baseEdges.has(key)).map(([key, e]) => [key, { ...e, change: 'added' as const }] as const),
    ...[...baseEdges].filter(([key]) => !headEdges.has(key)).map(([key, e]) => [key, { ...e, change: 'removed' as const }] as const),
  ];
  const unchanged = [...headEdges].filter(([key]) => baseEdges.has(key)).map(([key, e]) => [key, { ...e, change: 'unchanged' as const }] as const);
  const context = contextEdges(changed.map(([, e]) => e), unchanged.map(([, e]) => e));
  const edges = [...changed, ...unchanged.filter(([, e]) => context.has(e))].sort(([a], [b]) => compareText(a, b)).map(([, e]) => e);

  const nodeChange = (key: string): Change => (!baseNodes.has(key) ? 'added' : !headNodes.has(key) ? 'removed' : 'unchanged');
  const shown = new Set([
    ...[...new Set([...baseNodes.keys(), ...headNodes.keys()])].filter((key) => nodeChange(key) !== 'unchanged'),
    ...edges.flatMap((e) => [e.from, e.to]),
  ]);
  const nodes = [...shown].sort(compareText).map((key) => ({ ...(headNodes.get(key) ?? baseNodes.get(key)!), change: nodeChange(key) }));

  const accounts = new Map([...base.accounts, ...head.accounts].map((a) => [a.name, a]));
  const used = new Set(nodes.map((n) => n.account));
  return { accounts: [...accounts.values()].filter((a) => used.has(a.name)).sort((a, b) => compareText(a.name, b.name)), nodes, edges };
}

/** The unchanged edges on a path through a changed one: followed back from its start and on from its end. */
function contextEdges(changed: readonly GraphEdge[], unchanged: readonly GraphEdge[]): Set<GraphEdge> {
  const into = groupBy(unchanged, (e) => e.to);
  const outOf = groupBy(unchanged, (e) => e.from);
  const found = new Set<GraphEdge>();
  const follow = (start: readonly string[], next: Map<string, GraphEdge[]>, end: (e: GraphEdge) => string) => {
    const seen = new Set(start);
    let frontier = [...start];
    while (frontier.length > 0) {
      const further: string[] = [];
      for (const node of frontier) {
        for (const edge of next.get(node) ?? []) {
          found.add(edge);
          const other = end(edge);
          if (!seen.has(other)) {
            seen.add(other);
            further.push(other);
          }
        }
      }
      frontier = further;
    }
  };
  follow(changed.map((e) => e.from), into, (e) => e.from);
  follow(changed.map((e) => e.to), outOf, (e) => e.to);
  return found;
}
