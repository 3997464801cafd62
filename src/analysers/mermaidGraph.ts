import type { Markdown } from './markdownText';
import { mermaidLabel } from './mermaidText';
import { compareText, type GraphAccount, type GraphEdge, type GraphNode, type NodeKind, type TrustGraph } from './trustGraph';
import type { Change, TrustGraphDiff } from './trustGraphDiff';

/**
 * The trust graph as a mermaid flowchart, left to right: principals → roles
 * → roles. Each managed account is a box of its users and roles; every
 * principal outside them is in one box of its own, in orange. Ids are
 * generated (`n0`, `n1`, ... for nodes, `g0`, ... for boxes) in the graph's
 * canonical order, never taken from a name; every label goes through
 * mermaidLabel. The same graph always gives the same bytes.
 */
export function mermaidGraph(graph: TrustGraph): string {
  return flowchart(graph.accounts, graph.nodes, graph.edges);
}

/** The part of the graph a change touches: added in green, removed in red and dashed, the rest as context. */
export function mermaidDiffGraph(diff: TrustGraphDiff): string {
  return flowchart(diff.accounts, diff.nodes, diff.edges);
}

/** Mermaid's default limits (maxTextSize, maxEdges): past them it draws an error instead of the diagram. */
export const MERMAID_MAX_TEXT = 50_000;
export const MERMAID_MAX_EDGES = 500;

type Shown<T> = T & { readonly change?: Change };

const OUTSIDE = 'outside the managed accounts';

/** Node shapes by kind: the legend in the README says the same. */
const SHAPES: Record<NodeKind, readonly [string, string]> = {
  user: ['([', '])'],
  role: ['[', ']'],
  account: ['[[', ']]'],
  'external-account': ['{{', '}}'],
  'external-principal': ['([', '])'],
  service: ['[/', '/]'],
  github: ['>', ']'],
  oidc: ['>', ']'],
  saml: ['>', ']'],
  cognito: ['>', ']'],
  anyone: ['((', '))'],
};

/** The order of kinds inside a box: who signs in first, then what they reach. */
const KIND_ORDER: readonly NodeKind[] = ['user', 'account', 'role', 'external-account', 'external-principal', 'service', 'github', 'oidc', 'saml', 'cognito', 'anyone'];

type NodeClass = 'user' | 'role' | 'account' | 'outside' | 'anyone' | 'added' | 'removed';

function kindClass(kind: NodeKind): NodeClass {
  switch (kind) {
    case 'user':
    case 'role':
    case 'account':
      return kind;
    case 'anyone':
      return 'anyone';
    case 'external-account':
    case 'external-principal':
    case 'service':
    case 'github':
    case 'oidc':
    case 'saml':
    case 'cognito':
      return 'outside';
  }
}

const CLASS_STYLES: Record<NodeClass, string> = {
  user: 'fill:#ddf4ff,stroke:#0969da,color:#0a3069',
  role: 'fill:#f6f8fa,stroke:#57606a,color:#1f2328',
  account: 'fill:#f6f8fa,stroke:#57606a,stroke-dasharray:3 3,color:#1f2328',
  outside: 'fill:#fff1e5,stroke:#bc4c00,color:#3d1300',
  anyone: 'fill:#ffebe9,stroke:#cf222e,stroke-width:3px,color:#5a0a0a',
  added: 'fill:#dafbe1,stroke:#1a7f37,stroke-width:3px,color:#033a16',
  removed: 'fill:#ffebe9,stroke:#cf222e,stroke-width:3px,stroke-dasharray:6 4,color:#5a0a0a',
};

const EDGE_STYLES: Record<Exclude<Change, 'unchanged'>, string> = {
  added: 'stroke:#1a7f37,stroke-width:3px',
  removed: 'stroke:#cf222e,stroke-width:3px,stroke-dasharray:6 4',
};

interface Box {
  readonly title: string;
  /** The box of the principals outside the managed accounts. */
  readonly outside: boolean;
  readonly nodes: Shown<GraphNode>[];
}

function flowchart(accounts: readonly GraphAccount[], nodes: readonly Shown<GraphNode>[], edges: readonly Shown<GraphEdge>[]): string {
  const boxes = boxesOf(accounts, nodes);
  const ids = new Map<string, string>();
  const lines = ['flowchart LR'];
  boxes.forEach((box, b) => {
    const boxId = `g${b}`;
    lines.push(`  subgraph ${boxId}[${mermaidLabel([box.title])}]`);
    for (const node of box.nodes) {
      const id = `n${ids.size}`;
      ids.set(node.key, id);
      const [open, close] = SHAPES[node.kind];
      lines.push(`    ${id}${open}${mermaidLabel([node.label])}${close}`);
    }
    lines.push('  end');
    lines.push(`  style ${boxId} ${box.outside ? 'fill:#fffaf5,stroke:#bc4c00' : 'fill:#fcfcfd,stroke:#8c959f'}`);
  });
  // In the order of their ends' ids: the diagram reads from its first box on.
  const order = (key: string) => Number(ids.get(key)!.slice(1));
  const written = [...edges].sort((a, b) => order(a.from) - order(b.from) || order(a.to) - order(b.to));
  for (const edge of written) {
    const arrow = edge.way === 'trust' && edge.certainty === 'sure' ? '-->' : '-.->';
    const label = edge.conditions.length > 0 ? `|${mermaidLabel(edge.conditions)}|` : '';
    lines.push(`  ${ids.get(edge.from)} ${arrow}${label} ${ids.get(edge.to)}`);
  }
  const classes = new Map<NodeClass, string[]>();
  for (const box of boxes) {
    for (const node of box.nodes) {
      const cls = node.change === 'added' || node.change === 'removed' ? node.change : kindClass(node.kind);
      classes.set(cls, [...(classes.get(cls) ?? []), ids.get(node.key)!]);
    }
  }
  for (const cls of Object.keys(CLASS_STYLES) as NodeClass[]) {
    const members = classes.get(cls);
    if (members) lines.push(`  classDef ${cls} ${CLASS_STYLES[cls]}`, `  class ${members.join(',')} ${cls}`);
  }
  for (const change of ['added', 'removed'] as const) {
    // linkStyle counts edges in the order they are written.
    const indexes = written.flatMap((e, i) => (e.change === change ? [i] : []));
    if (indexes.length > 0) lines.push(`  linkStyle ${indexes.join(',')} ${EDGE_STYLES[change]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One box per managed account that holds a node, in name order, then the box of everything outside them. */
function boxesOf(accounts: readonly GraphAccount[], nodes: readonly Shown<GraphNode>[]): Box[] {
  const ids = new Map(accounts.map((a) => [a.name, a.id]));
  const byAccount = new Map<string | undefined, Shown<GraphNode>[]>();
  for (const node of nodes) byAccount.set(node.account, [...(byAccount.get(node.account) ?? []), node]);
  const names = [...byAccount.keys()].filter((name): name is string => name !== undefined).sort();
  const title = (name: string) => (ids.has(name) ? `account ${name} (${ids.get(name)})` : `account ${name}`);
  return [...names.map((name) => ({ title: title(name), outside: false, nodes: byAccount.get(name)! })), ...(byAccount.has(undefined) ? [{ title: OUTSIDE, outside: true, nodes: byAccount.get(undefined)! }] : [])].map(
    (box) => ({ ...box, nodes: [...box.nodes].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compareText(a.key, b.key)) }),
  );
}

/**
 * A diagram for a markdown report: a ```mermaid block, which GitHub and
 * GitLab draw. No backtick is ever in the text (mermaidLabel escapes every
 * one), so no value can close the fence. A diagram past mermaid's limits is
 * left out with a sentence saying where to get it.
 */
export function mermaidMarkdown(text: string, edges: number, command: string): Markdown[] {
  if (text.includes('`')) throw new Error('a mermaid diagram must hold no backtick');
  if (text.length > MERMAID_MAX_TEXT || edges > MERMAID_MAX_EDGES) {
    return [{ markdown: `The trust graph is larger than mermaid draws by default (${edges} edges, ${text.length} characters); \`${command}\` writes it.` }];
  }
  return [{ markdown: '```mermaid' }, ...text.trimEnd().split('\n').map((line) => ({ markdown: line })), { markdown: '```' }];
}
