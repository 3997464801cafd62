/**
 * Issue 8 item 2: the trust graph drawn by the real `mermaid` library in a
 * headless Chromium (Debian's package, no browser download), from local
 * files only. Every node and edge of the model is drawn with its label;
 * hostile names stay text under every securityLevel; the diff's diagram
 * draws its colours. Mandatory in CI (.ci/run); elsewhere it skips, loudly,
 * without Chromium. ROLECALL_UPDATE_SCREENSHOT=1 rewrites docs/trust-graph.png.
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mermaidDiffGraph, mermaidGraph } from '../../src/analysers/mermaidGraph';
import { labelText } from '../../src/analysers/mermaidText';
import { trustGraph, type GraphEdge, type GraphNode, type TrustGraph } from '../../src/analysers/trustGraph';
import { diffTrustGraph } from '../../src/analysers/trustGraphDiff';
import { compile } from '../../src/pipeline/compile';
import { describeChromium, linkStyles, nodeClasses, openMermaidPage, pwned, renderMermaid, type MermaidPage, type Rendered, type SecurityLevel } from '../support/chromium';
import { compileYaml } from '../support/compileYaml';

const ROOT = path.resolve(__dirname, '../..');
const SCREENSHOT = path.join(ROOT, 'docs', 'trust-graph.png');
const DIFF_SCREENSHOT = path.join(ROOT, 'docs', 'trust-graph-diff.png');

/** The example organisation's files, changed: a partner added, MFA dropped from one way, a role removed. */
function changedExample(): Record<string, string> {
  const read = (file: string) => fs.readFileSync(path.join(ROOT, 'config', file), 'utf8');
  const replaced = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`not in the example: ${from}`);
    return text.replace(from, to);
  };
  const roles = read('data-prod/roles.yaml');
  const withoutLambda = roles.slice(0, roles.indexOf('  # A service role')) + roles.slice(roles.indexOf('\nusers:') + 1);
  return {
    'accounts.yaml': `${read('accounts.yaml')}  - name: globex\n    id: "444444444444"\n    external: true\n`,
    'identity/people.yaml': read('identity/people.yaml'),
    'identity/okta-metadata.xml': read('identity/okta-metadata.xml'),
    'data-prod/roles.yaml': replaced(
      withoutLambda,
      '      - user: identity/alice\n        mfa: true\n      - role: identity/staff-console',
      '      - user: identity/alice\n      - role: identity/staff-console\n      - account: globex\n        externalId: globex-2027',
    ),
  };
}
const LEVELS: SecurityLevel[] = ['strict', 'antiscript', 'loose'];

/** The node ids of a diagram by the label each shows, read from its text (`n3["role x"]`). */
function idsByLabel(text: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const m of text.matchAll(/^ {4}(n\d+)[^"]*"([^"]*)"/gm)) ids.set(m[1]!, m[2]!.replace(/#(\d+);/g, (_, c: string) => String.fromCodePoint(Number(c))));
  return new Map([...ids].map(([id, label]) => [label, id]));
}

/** What the graph must look like once drawn: each node's id and text, each edge's ends and text. */
function expected(graph: Pick<TrustGraph, 'nodes' | 'edges'>, text: string) {
  const byLabel = idsByLabel(text);
  const id = (key: string) => byLabel.get(labelText(graph.nodes.find((n) => n.key === key)!.label))!;
  return {
    nodes: graph.nodes.map((n) => ({ id: byLabel.get(labelText(n.label))!, text: labelText(n.label) })).sort(byId),
    edges: graph.edges.map((e) => ({ from: id(e.from), to: id(e.to), text: e.conditions.map((c) => labelText(c)).join('\n') })).sort(byEnds),
  };
}

const byId = (a: { id: string }, b: { id: string }) => Number(a.id.slice(1)) - Number(b.id.slice(1));
const byEnds = (a: { from: string; to: string; text: string }, b: { from: string; to: string; text: string }) =>
  Number(a.from.slice(1)) - Number(b.from.slice(1)) || Number(a.to.slice(1)) - Number(b.to.slice(1)) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

function drawn(rendered: Rendered) {
  expect(rendered.error).toBeUndefined();
  return { nodes: [...rendered.nodes].sort(byId), edges: [...rendered.edges].sort(byEnds) };
}

/** Payloads for every way out of a label: mermaid statements, directives, HTML, markdown, the fence, entities. */
const HOSTILE = [
  '"]; click n0 call pwn(); %%',
  'x"] --> n1["y',
  'click n0 href "javascript:window.__pwned=1"',
  '%%{init: {"securityLevel": "loose"}}%%',
  'n0:::anyone',
  'style n0 fill:#f00;',
  '<script>window.__pwned="script"</script>',
  '<img src=x onerror="window.__pwned=\'img\'">',
  '<a href="javascript:window.__pwned=\'a\'">link</a>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '```\n# heading\n```',
  '#quot; #60;b#62; &lt;b&gt; &#60;',
  'ﬂ°°60¶ß ﬂ°lt¶ß',
  'a;b|c[d]e{f}g(h)i<br>j',
  '\u202eevil\u2066 😀 naïve 中文',
  `very long ${'x'.repeat(300)}`,
];

/** A graph of every node shape, with hostile labels, conditions and account names. */
function hostileGraph(): TrustGraph {
  const kinds = ['user', 'role', 'account', 'external-account', 'external-principal', 'service', 'github', 'oidc', 'saml', 'cognito', 'anyone'] as const;
  const nodes: GraphNode[] = HOSTILE.map((label, i) => ({ key: `k${i}`, kind: kinds[i % kinds.length]!, label: `${i} ${label}`, ...(i % 3 === 0 ? {} : { account: `${i % 3} ${HOSTILE[i % 3]}` }) }));
  const edges: GraphEdge[] = HOSTILE.map((_, i) => ({ from: `k${i}`, to: `k${(i + 1) % HOSTILE.length}`, way: i % 2 ? 'trust' : 'own-policy', certainty: 'sure', conditions: [HOSTILE[(i + 5) % HOSTILE.length]!, `${i}`] }));
  const accounts = [1, 2].map((i) => ({ name: `${i} ${HOSTILE[i]}`, id: `${i}`.repeat(12) }));
  return { accounts, nodes, edges };
}

/** Characters that mean something to mermaid, HTML, markdown or the entity codes, with letters and spaces between them. */
const SPECIAL = fc.constantFrom(...'#;&"\'`<>[](){}|:%*_~\\/-=+!?@^$.,ﬂ°¶ß0123456789 aZ\n\u00a0é😀'.split(/(?:)/u));

describeChromium()('the trust graph drawn by mermaid in Chromium', () => {
  let browser: MermaidPage;
  beforeAll(async () => {
    browser = await openMermaidPage();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  const payloadRan = () => pwned(browser.page);

  it('draws every node and edge of the example organisation, with its label', async () => {
    const result = await compile('config', { cwd: ROOT });
    const graph = trustGraph(result.model!);
    const text = mermaidGraph(graph);
    const rendered = await renderMermaid(browser.page, text);
    expect(drawn(rendered)).toEqual(expected(graph, text));
    expect(rendered.nodes).toHaveLength(13);
    expect(rendered.edges).toHaveLength(8);
    expect([...rendered.clusters].sort()).toEqual(['account data-prod (222222222222)', 'account identity (111111111111)', 'outside the managed accounts']);
    expect(rendered.foreign).toEqual([]);
    expect(browser.requests).toEqual([]);
    if (process.env.ROLECALL_UPDATE_SCREENSHOT === '1') await browser.page.locator('#out svg').screenshot({ path: SCREENSHOT });
    // The picture the README shows is there, and is a PNG.
    expect(fs.readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
  });

  it.each(LEVELS)('hostile names are text under securityLevel %s: nothing injected, nothing run, every label as written', async (level) => {
    const graph = hostileGraph();
    const text = mermaidGraph(graph);
    const rendered = await renderMermaid(browser.page, text, level);
    expect(drawn(rendered)).toEqual(expected(graph, text));
    expect([...rendered.clusters].sort()).toEqual(['1 x"] --> n1["y', '2 click n0 href "javascript:window.__pwned=1"', 'outside the managed accounts'].map((t) => labelText(t.startsWith('outside') ? t : `account ${t} (${t[0]!.repeat(12)})`)).sort());
    expect(rendered.foreign).toEqual([]);
    // Clicking every node runs no handler a label could have asked for.
    for (const node of await browser.page.locator('#out g.node').all()) await node.click({ force: true });
    expect(await payloadRan()).toBeUndefined();
    expect(browser.requests).toEqual([]);
  });

  it('a config\'s own hostile values (GitHub environments and branches) render as text', async () => {
    const result = await compileYaml({
      'org.yaml': `accounts:
  - name: prod
    id: "222222222222"
providers:
  - name: github
    account: prod
    oidc: { url: https://token.actions.githubusercontent.com, audiences: [sts.amazonaws.com] }
roles:
  - name: deploy
    account: prod
    trust:
      - github: { repo: acme/app, environment: ${JSON.stringify('"]; click n0 call pwn() %% <img src=x onerror=pwn()>')} }
      - github: { repo: acme/app, branch: ${JSON.stringify('```</code><script>pwn()</script>#quot;-->n0')} }
`,
    });
    expect(result.configErrors).toEqual([]);
    const graph = trustGraph(result.model!);
    const text = mermaidGraph(graph);
    for (const level of LEVELS) {
      const rendered = await renderMermaid(browser.page, text, level);
      expect(drawn(rendered)).toEqual(expected(graph, text));
      expect(rendered.edges.map((e) => e.text).sort()).toEqual([
        'acme/app in environment "]; click n0 call pwn() %% <img src=x onerror=pwn()>\ntoken audience sts.amazonaws.com',
        'acme/app on branch ```</code><script>pwn()</script>#quot;-->n0\ntoken audience sts.amazonaws.com',
      ]);
      expect(rendered.foreign).toEqual([]);
    }
    expect(await payloadRan()).toBeUndefined();
  });

  it('any text at all: random labels are drawn exactly as labelText shows them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.string({ unit: SPECIAL, minLength: 1, maxLength: 40 })), { minLength: 2, maxLength: 25 }), async (labels) => {
        // Unique after labelText, so each drawn label can be told apart.
        const unique = [...new Map(labels.map((l, i) => [labelText(`${i}:${l}`), `${i}:${l}`])).values()];
        const graph: TrustGraph = {
          accounts: [],
          nodes: unique.map((label, i) => ({ key: `k${i}`, kind: 'role', label })),
          edges: unique.slice(1).map((label, i) => ({ from: `k${i}`, to: `k${i + 1}`, way: 'trust', certainty: 'sure', conditions: [label] })),
        };
        const text = mermaidGraph(graph);
        const rendered = await renderMermaid(browser.page, text, 'loose');
        expect(drawn(rendered)).toEqual(expected(graph, text));
        expect(rendered.foreign).toEqual([]);
      }),
      { numRuns: 6, seed: 8 },
    );
    expect(await payloadRan()).toBeUndefined();
  });

  it('draws the diff: added edges and nodes in green, removed ones red and dashed', async () => {
    // The example organisation, and a change to it: a new partner reads s3-reader, alice no longer needs MFA for it, ingest-lambda goes.
    const base = await compile('config', { cwd: ROOT });
    const head = await compileYaml(changedExample());
    expect(head.configErrors).toEqual([]);
    const diff = diffTrustGraph(trustGraph(base.model!), trustGraph(head.model!));
    const text = mermaidDiffGraph(diff);
    const rendered = await renderMermaid(browser.page, text);
    expect(drawn(rendered)).toEqual(expected(diff, text));
    expect(diff.edges.map((e) => e.change).sort()).toEqual(['added', 'added', 'removed', 'removed']);
    const styles = await linkStyles(browser.page);
    const ids = idsByLabel(text);
    const edgeStyle = (from: string, to: string) => styles.filter((s) => s.id.startsWith(`L_${ids.get(from)}_${ids.get(to)}_`)).map((s) => s.style);
    const green = /stroke:#1a7f37/;
    const redDashed = /stroke:#cf222e.*stroke-dasharray:6 4/;
    expect(edgeStyle('external account globex (444444444444)', 'role s3-reader')).toEqual([expect.stringMatching(green)]);
    expect(edgeStyle('service lambda.amazonaws.com', 'role ingest-lambda')).toEqual([expect.stringMatching(redDashed)]);
    // alice's way into s3-reader: the one with MFA removed, the one without added.
    const alice = edgeStyle('user alice', 'role s3-reader');
    expect(alice).toHaveLength(2);
    expect(alice.filter((s) => green.test(s))).toHaveLength(1);
    expect(alice.filter((s) => redDashed.test(s))).toHaveLength(1);
    // Only the changed part: the way through staff-console, on no changed path, is not drawn.
    expect(ids.has('role staff-console')).toBe(false);
    const classes = await nodeClasses(browser.page);
    expect(classes.get(ids.get('external account globex (444444444444)')!)).toMatch(/\badded\b/);
    expect(classes.get(ids.get('role ingest-lambda')!)).toMatch(/\bremoved\b/);
    expect(classes.get(ids.get('role s3-reader')!)).toMatch(/\brole\b/);
    expect(rendered.foreign).toEqual([]);
    if (process.env.ROLECALL_UPDATE_SCREENSHOT === '1') await browser.page.locator('#out svg').screenshot({ path: DIFF_SCREENSHOT });
    expect(fs.readFileSync(DIFF_SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
  });
});
