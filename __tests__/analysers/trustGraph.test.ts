/**
 * Issue 8 item 2: the trust graph as a picture. The graph's data (every open
 * way in is an edge, with the report's conditions), its mermaid text (ids
 * generated, every label escaped, canonical bytes), and its place in the
 * markdown of access and diff. The real mermaid renders it in
 * __tests__/render/mermaidRender.test.ts.
 */
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import * as path from 'node:path';
import { accessReport } from '../../src/analysers/accessReport';
import { diffAccess } from '../../src/analysers/accessDiff';
import { formatAccessMarkdown } from '../../src/analysers/formatAccess';
import { formatDiffMarkdown } from '../../src/analysers/formatDiff';
import { MERMAID_MAX_EDGES, mermaidDiffGraph, mermaidGraph, mermaidMarkdown } from '../../src/analysers/mermaidGraph';
import { labelText, LINE_BREAK } from '../../src/analysers/mermaidText';
import { trustGraph, type GraphEdge, type GraphNode, type NodeKind, type TrustGraph } from '../../src/analysers/trustGraph';
import { diffTrustGraph } from '../../src/analysers/trustGraphDiff';
import type { AccessModel } from '../../src/model/accessModel';
import { compile } from '../../src/pipeline/compile';
import { compileValid, compileYaml } from '../support/compileYaml';

const ROOT = path.resolve(__dirname, '../..');

async function example(): Promise<AccessModel> {
  const result = await compile('config', { cwd: ROOT });
  expect(result.diagnostics).toEqual([]);
  return result.model!;
}

const ACCOUNTS = `
accounts:
  - name: identity
    id: "111111111111"
  - name: prod
    id: "222222222222"
`;

/** Edges as `from → to (way, certainty): conditions`, for readable expectations. */
const edgeWords = (graph: TrustGraph) => graph.edges.map((e) => `${e.from} → ${e.to} (${e.way}${e.certainty === 'possible' ? ', possible' : ''}): ${e.conditions.join('; ')}`);

describe('the trust graph of the example organisation', () => {
  it('has every user and role in its account, every other grantee outside, and one edge per way in with its conditions', async () => {
    const graph = trustGraph(await example());
    expect(graph.accounts).toEqual([
      { name: 'data-prod', id: '222222222222' },
      { name: 'identity', id: '111111111111' },
    ]);
    expect(graph.nodes.map((n) => [n.key, n.kind, n.label, n.account ?? 'outside'])).toEqual([
      ['account:333333333333', 'external-account', 'external account partner-acme (333333333333)', 'outside'],
      ['github:arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com', 'github', 'GitHub Actions, provider github in data-prod', 'outside'],
      ['role:data-prod/analytics-deploy', 'role', 'role analytics-deploy', 'data-prod'],
      ['role:data-prod/data-admin', 'role', 'role data-admin', 'data-prod'],
      ['role:data-prod/ingest-lambda', 'role', 'role ingest-lambda', 'data-prod'],
      ['role:data-prod/partner-acme-reports', 'role', 'role partner-acme-reports', 'data-prod'],
      ['role:data-prod/s3-reader', 'role', 'role s3-reader', 'data-prod'],
      ['role:identity/staff-console', 'role', 'role staff-console', 'identity'],
      ['saml:arn:aws:iam::111111111111:saml-provider/okta', 'saml', 'SAML sign-in, provider okta in identity', 'outside'],
      ['service:lambda.amazonaws.com', 'service', 'service lambda.amazonaws.com', 'outside'],
      ['user:data-prod/report-broker', 'user', 'user report-broker', 'data-prod'],
      ['user:identity/alice', 'user', 'user alice', 'identity'],
      ['user:identity/bob', 'user', 'user bob', 'identity'],
    ]);
    expect(edgeWords(graph)).toEqual([
      'account:333333333333 → role:data-prod/partner-acme-reports (trust): with external id acme-joint-2026; until 2029-12-31T00:00:00Z',
      'github:arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com → role:data-prod/analytics-deploy (trust): acme/analytics-pipeline on branch main; token audience sts.amazonaws.com',
      // Role chaining: staff-console is the step between the SAML sign-in and s3-reader.
      'role:identity/staff-console → role:data-prod/s3-reader (trust): ',
      'saml:arn:aws:iam::111111111111:saml-provider/okta → role:identity/staff-console (trust): through the AWS sign-in page',
      'service:lambda.amazonaws.com → role:data-prod/ingest-lambda (trust): on behalf of account 222222222222',
      'user:identity/alice → role:data-prod/data-admin (trust): with MFA; MFA signed in within 1h; from 203.0.113.0/24',
      'user:identity/alice → role:data-prod/s3-reader (trust): with MFA',
      'user:identity/bob → role:data-prod/data-admin (trust): with MFA; MFA signed in within 1h; from 203.0.113.0/24',
    ]);
  });

  it('agrees with the access report: one edge per way in the report lists, with the same conditions', async () => {
    const model = await example();
    const graph = trustGraph(model);
    const report = accessReport(model, (await compile('config', { cwd: ROOT })).catalog!);
    const ways = report.roles.flatMap((r) => r.assumedBy.filter((p) => !p.blockedBy).map((p) => `${r.role}: ${p.conditions.join('; ')}`));
    const edges = graph.edges.map((e) => `${e.to.replace(/^role:/, '')}: ${e.conditions.filter((c) => !c.includes(' on branch ')).join('; ')}`);
    expect(edges.sort()).toEqual(ways.sort());
  });

  it('is written as mermaid with generated ids in canonical order', async () => {
    const text = mermaidGraph(trustGraph(await example()));
    expect(text).toBe(`flowchart LR
  subgraph g0["account data-prod (222222222222)"]
    n0(["user report-broker"])
    n1["role analytics-deploy"]
    n2["role data-admin"]
    n3["role ingest-lambda"]
    n4["role partner-acme-reports"]
    n5["role s3-reader"]
  end
  style g0 fill:#fcfcfd,stroke:#8c959f
  subgraph g1["account identity (111111111111)"]
    n6(["user alice"])
    n7(["user bob"])
    n8["role staff-console"]
  end
  style g1 fill:#fcfcfd,stroke:#8c959f
  subgraph g2["outside the managed accounts"]
    n9{{"external account partner-acme (333333333333)"}}
    n10[/"service lambda.amazonaws.com"/]
    n11>"GitHub Actions, provider github in data-prod"]
    n12>"SAML sign-in, provider okta in identity"]
  end
  style g2 fill:#fffaf5,stroke:#bc4c00
  n6 -->|"with MFA<br>MFA signed in within 1h<br>from 203.0.113.0/24"| n2
  n6 -->|"with MFA"| n5
  n7 -->|"with MFA<br>MFA signed in within 1h<br>from 203.0.113.0/24"| n2
  n8 --> n5
  n9 -->|"with external id acme-joint-2026<br>until 2029-12-31T00#58;00#58;00Z"| n4
  n10 -->|"on behalf of account 222222222222"| n3
  n11 -->|"acme/analytics-pipeline on branch main<br>token audience sts.amazonaws.com"| n1
  n12 -->|"through the AWS sign-in page"| n8
  classDef user fill:#ddf4ff,stroke:#0969da,color:#0a3069
  class n0,n6,n7 user
  classDef role fill:#f6f8fa,stroke:#57606a,color:#1f2328
  class n1,n2,n3,n4,n5,n8 role
  classDef outside fill:#fff1e5,stroke:#bc4c00,color:#3d1300
  class n9,n10,n11,n12 outside
`);
  });
});

describe('ways in the graph draws', () => {
  const BREAK_GLASS = `
roles:
  - name: break-glass
    account: prod
    trust:
      - account: identity
    managedPolicies: [AdministratorAccess]
  - name: ops
    account: identity
    trust:
      - user: identity/alice
    allow:
      - actions: [sts:AssumeRole]
        resources: ["*"]
        conditions:
          Bool: { aws:MultiFactorAuthPresent: true }
users:
  - name: alice
    account: identity
`;

  it('a principal of a trusted managed account, by its own policy: a dotted edge that says so, beside the account as a whole', async () => {
    const graph = trustGraph(await compileValid({ 'org.yaml': ACCOUNTS + BREAK_GLASS }));
    expect(edgeWords(graph)).toEqual([
      'account:111111111111 → role:prod/break-glass (trust): ',
      'role:identity/ops → role:prod/break-glass (own-policy): by its own policy (rolecall-permissions); with MFA',
      'user:identity/alice → role:identity/ops (trust): ',
    ]);
    expect(graph.nodes.find((n) => n.key === 'account:111111111111')).toEqual({
      key: 'account:111111111111',
      kind: 'account',
      label: 'any principal of identity whose own policy allows it',
      account: 'identity',
    });
    const text = mermaidGraph(graph);
    expect(text).toContain('    n1[["any principal of identity whose own policy allows it"]]');
    expect(text).toMatch(/n2 -\.->\|"by its own policy \(rolecall-permissions\)<br>with MFA"\| n3/);
  });

  it('a way that depends on a policy rolecall cannot read: dotted, naming the policy', async () => {
    const graph = trustGraph(
      await compileValid({
        'org.yaml': `${ACCOUNTS}
roles:
  - name: break-glass
    account: prod
    trust:
      - account: identity
  - name: ops
    account: identity
    trust:
      - service: ec2.amazonaws.com
    managedPolicies: ["arn:aws:iam::111111111111:policy/custom"]
`,
      }),
    );
    const edge = graph.edges.find((e) => e.from === 'role:identity/ops')!;
    expect(edge).toEqual({
      from: 'role:identity/ops',
      to: 'role:prod/break-glass',
      way: 'own-policy',
      certainty: 'possible',
      conditions: ['if arn:aws:iam::111111111111:policy/custom allows it'],
    });
    expect(mermaidGraph(graph)).toMatch(/ -\.->\|"if arn#58;aws#58;iam#58;#58;111111111111#58;policy\/custom allows it"\| /);
  });

  it('a way the caller closes with its own Deny is no edge', async () => {
    const yaml = (deny: string) => `${ACCOUNTS}
roles:
  - name: reader
    account: prod
    trust:
      - user: identity/alice
users:
  - name: alice
    account: identity
${deny}`;
    expect(edgeWords(trustGraph(await compileValid({ 'org.yaml': yaml('') })))).toEqual(['user:identity/alice → role:prod/reader (trust): ']);
    const closed = trustGraph(await compileValid({ 'org.yaml': yaml(`    deny:\n      - actions: ["sts:*"]\n        resources: ["*"]\n`) }));
    expect(closed.edges).toEqual([]);
    // Still a node: the picture shows every principal.
    expect(closed.nodes.map((n) => n.key)).toEqual(['role:prod/reader', 'user:identity/alice']);
  });

  it('GitHub environments, OIDC subjects, Cognito pools, and Cognito guests as "anyone"', async () => {
    const graph = trustGraph(
      await compileValid({
        'org.yaml': `${ACCOUNTS}
providers:
  - name: github
    account: prod
    oidc: { url: https://token.actions.githubusercontent.com, audiences: [sts.amazonaws.com] }
  - name: idp
    account: prod
    oidc: { url: https://idp.example.com, audiences: [app] }
roles:
  - name: deploy
    account: prod
    trust:
      - github: { repo: acme/app, environment: production }
      - oidc: { provider: idp, audience: app, subject: "system:serviceaccount:ci:runner" }
  - name: app
    account: prod
    trust:
      - cognito: { identityPool: "eu-west-1:11111111-2222-3333-4444-555555555555" }
      - cognito: { identityPool: "eu-west-1:11111111-2222-3333-4444-555555555555", authenticated: false }
`,
      }),
    );
    expect(graph.nodes.filter((n) => n.account === undefined).map((n) => [n.kind, n.label])).toEqual([
      ['anyone', 'anyone: guests of Cognito pool eu-west-1:11111111-2222-3333-4444-555555555555'],
      ['cognito', 'Cognito identities of pool eu-west-1:11111111-2222-3333-4444-555555555555'],
      ['github', 'GitHub Actions, provider github in prod'],
      ['oidc', 'OIDC identities, provider idp in prod'],
    ]);
    expect(graph.edges.find((e) => e.from.startsWith('github:'))!.conditions).toEqual(['acme/app in environment production', 'token audience sts.amazonaws.com']);
    expect(graph.edges.find((e) => e.from.startsWith('oidc:'))!.conditions).toEqual(['token audience app', 'token subject system:serviceaccount:ci:runner']);
    const text = mermaidGraph(graph);
    expect(text).toMatch(/n\d+\(\("anyone#58; guests of Cognito pool /);
    expect(text).toMatch(/classDef anyone .*\n {2}class n\d+ anyone/);
  });
});

/** The statements rolecall writes, and nothing else: a line of any other form would be a value that broke out. */
const LABEL = String.raw`"(?:[A-Za-z0-9 .,/()@=+_-]|#\d+;)*(?:<br>(?:[A-Za-z0-9 .,/()@=+_-]|#\d+;)*)*"`;
const SHAPE = String.raw`(?:\(\[${LABEL}\]\)|\[${LABEL}\]|\[\[${LABEL}\]\]|\{\{${LABEL}\}\}|\[\/${LABEL}\/\]|>${LABEL}\]|\(\(${LABEL}\)\))`;
const STATEMENTS = [
  /^flowchart LR$/,
  new RegExp(String.raw`^  subgraph g\d+\[${LABEL}\]$`),
  new RegExp(String.raw`^    n\d+${SHAPE}$`),
  /^ {2}end$/,
  /^ {2}style g\d+ fill:#(?:fffaf5,stroke:#bc4c00|fcfcfd,stroke:#8c959f)$/,
  new RegExp(String.raw`^  n\d+ (?:-->|-\.->)(?:\|${LABEL}\|)? n\d+$`),
  /^ {2}classDef (?:user|role|account|outside|anyone|added|removed) [a-z-]+:[#\w. ]+(?:,[a-z-]+:[#\w. ]+)*$/,
  /^ {2}class n\d+(?:,n\d+)* (?:user|role|account|outside|anyone|added|removed)$/,
  /^ {2}linkStyle \d+(?:,\d+)* [a-z-]+:[#\w. ]+(?:,[a-z-]+:[#\w. ]+)*$/,
];

const KINDS: NodeKind[] = ['user', 'role', 'account', 'external-account', 'external-principal', 'service', 'github', 'oidc', 'saml', 'cognito', 'anyone'];
const anyText = fc.string({ unit: 'binary', maxLength: 100 });

/** A graph of arbitrary names, conditions and accounts: whatever a value holds. */
const anyGraph: fc.Arbitrary<TrustGraph> = fc
  .record({
    accounts: fc.uniqueArray(anyText, { maxLength: 3 }),
    nodes: fc.uniqueArray(fc.record({ key: anyText, kind: fc.constantFrom(...KINDS), label: anyText, box: fc.nat(3) }), { minLength: 1, maxLength: 8, selector: (n) => n.key }),
    edges: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), own: fc.boolean(), conditions: fc.array(anyText, { maxLength: 3 }) }), { maxLength: 10 }),
  })
  .map(({ accounts, nodes, edges }) => ({
    accounts: accounts.map((name, i) => ({ name, id: String(100000000000 + i) })),
    nodes: nodes.map((n): GraphNode => ({ key: n.key, kind: n.kind, label: n.label, ...(n.box < accounts.length ? { account: accounts[n.box]! } : {}) })),
    edges: edges.map(
      (e): GraphEdge => ({ from: nodes[e.from % nodes.length]!.key, to: nodes[e.to % nodes.length]!.key, way: e.own ? 'own-policy' : 'trust', certainty: 'sure', conditions: e.conditions }),
    ),
  }));

/** The labels of a diagram, decoded as mermaid decodes them, in the order written. */
const labels = (text: string) =>
  [...text.matchAll(new RegExp(LABEL, 'g'))].map((m) =>
    m[0]
      .slice(1, -1)
      .split(LINE_BREAK)
      .map((part) => part.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))),
  );

describe('no value can break the diagram', () => {
  it('every line is one of the statements rolecall writes, whatever the names and conditions', () => {
    fc.assert(
      fc.property(anyGraph, (graph) => {
        const lines = mermaidGraph(graph).trimEnd().split('\n');
        return lines.every((line) => STATEMENTS.some((s) => s.test(line)));
      }),
      { numRuns: 300 },
    );
  });

  it('every label shows its value as labelText does, nothing lost or added', () => {
    fc.assert(
      fc.property(anyGraph, (graph) => {
        const shown = labels(mermaidGraph(graph)).map((lines) => lines.join('\n'));
        const expected = [...graph.nodes.map((n) => labelText(n.label)), ...graph.edges.filter((e) => e.conditions.length > 0).map((e) => e.conditions.map((c) => labelText(c)).join('\n'))];
        const boxes = [...new Set(graph.nodes.map((n) => n.account))];
        // Box titles, node labels, edge labels: as many as the graph has, each one of them.
        expect(shown.length).toBe(boxes.length + expected.length);
        for (const value of expected) expect(shown).toContain(value);
      }),
      { numRuns: 200 },
    );
  });

  it('ids are generated, never taken from names: a role called n0 or g1 or "A --> B" changes no id', () => {
    const graph: TrustGraph = {
      accounts: [{ name: 'g1', id: '111111111111' }],
      nodes: [
        { key: 'role:g1/n1', kind: 'role', label: 'n1', account: 'g1' },
        { key: 'user:g1/A --> B', kind: 'user', label: 'A --> B', account: 'g1' },
      ],
      edges: [{ from: 'user:g1/A --> B', to: 'role:g1/n1', way: 'trust', certainty: 'sure', conditions: ['n0 --> n1'] }],
    };
    const text = mermaidGraph(graph);
    expect(text).toContain('  subgraph g0["account g1 (111111111111)"]\n    n0(["A --#62; B"])\n    n1["n1"]\n  end\n  style g0 fill:#fcfcfd,stroke:#8c959f\n  n0 -->|"n0 --#62; n1"| n1\n');
  });

  it('is the same bytes whatever order the config lists things in', async () => {
    const roles = ['reader', 'writer', 'admin'].map((name, i) => `  - name: ${name}\n    account: prod\n    trust:\n      - user: identity/u${i}\n        mfa: true\n`);
    const users = ['u0', 'u1', 'u2'].map((name) => `  - name: ${name}\n    account: identity\n`);
    const yaml = (order: number[]) => `${ACCOUNTS}\nroles:\n${order.map((i) => roles[i]).join('')}users:\n${order.map((i) => users[i]).join('')}`;
    const one = mermaidGraph(trustGraph(await compileValid({ 'org.yaml': yaml([0, 1, 2]) })));
    const other = mermaidGraph(trustGraph(await compileValid({ 'org.yaml': yaml([2, 0, 1]) })));
    expect(other).toBe(one);
    expect(one).toContain('n0(["user u0"])');
  });
});

describe('the diff of the trust graph', () => {
  const org = (trust: string, extraRoles = '') => `${ACCOUNTS}
  - name: partner
    id: "333333333333"
    external: true
users:
  - name: alice
    account: identity
roles:
  - name: hub
    account: identity
    trust:
      - user: identity/alice
    allow:
      - actions: [sts:AssumeRole]
        resources: ["*"]
  - name: reports
    account: prod
    trust:
${trust}${extraRoles}`;
  const ARCHIVE = '  - name: archive\n    account: prod\n    trust:\n      - role: prod/reports\n';
  const BASE = org('      - role: identity/hub\n', ARCHIVE);
  const HEAD = org('      - role: identity/hub\n        mfa: true\n      - account: partner\n        externalId: acme-2026\n', ARCHIVE);

  it('keeps what changed, and the unchanged way in and way on as context', async () => {
    const base = trustGraph(await compileValid({ 'org.yaml': BASE }));
    const head = trustGraph(await compileValid({ 'org.yaml': HEAD }));
    const diff = diffTrustGraph(base, head);
    expect(diff.edges.map((e) => `${e.change}: ${e.from} → ${e.to}: ${e.conditions.join('; ')}`)).toEqual([
      'added: account:333333333333 → role:prod/reports: with external id acme-2026',
      // A condition changed: the old edge removed, the new one added.
      'added: role:identity/hub → role:prod/reports: with MFA',
      'removed: role:identity/hub → role:prod/reports: ',
      // Context: where the changed ways lead on to, and who reaches them (alice through hub).
      'unchanged: role:prod/reports → role:prod/archive: ',
      'unchanged: user:identity/alice → role:identity/hub: ',
    ]);
    expect(diff.nodes.map((n) => `${n.change}: ${n.key}`)).toEqual([
      'added: account:333333333333',
      'unchanged: role:identity/hub',
      'unchanged: role:prod/archive',
      'unchanged: role:prod/reports',
      'unchanged: user:identity/alice',
    ]);
  });

  it('colours added nodes and edges green, removed ones red and dashed, by the index mermaid gives each edge', async () => {
    const diff = diffTrustGraph(trustGraph(await compileValid({ 'org.yaml': BASE })), trustGraph(await compileValid({ 'org.yaml': HEAD })));
    const text = mermaidDiffGraph(diff);
    const edgeLines = text.split('\n').filter((l) => /^ {2}n\d+ /.test(l));
    const styled = (change: string) => {
      const m = new RegExp(String.raw`linkStyle ([\d,]+) ${change === 'added' ? 'stroke:#1a7f37,stroke-width:3px$' : 'stroke:#cf222e,stroke-width:3px,stroke-dasharray:6 4$'}`, 'm').exec(text);
      return m ? m[1]!.split(',').map((i) => edgeLines[Number(i)]) : [];
    };
    expect(styled('added')).toEqual([
      expect.stringMatching(/^ {2}n\d+ -->\|"with MFA"\| n\d+$/),
      expect.stringMatching(/-->\|"with external id acme-2026"\|/),
    ]);
    expect(styled('removed')).toEqual([expect.stringMatching(/^ {2}n\d+ --> n\d+$/)]);
    expect(text).toMatch(/classDef added fill:#dafbe1,stroke:#1a7f37.*\n {2}class n\d+ added/);
    expect(text).not.toMatch(/class .* removed/);
    // Removed as a node: the partner, going back.
    const back = mermaidDiffGraph(diffTrustGraph(trustGraph(await compileValid({ 'org.yaml': HEAD })), trustGraph(await compileValid({ 'org.yaml': BASE }))));
    expect(back).toMatch(/classDef removed fill:#ffebe9,stroke:#cf222e,stroke-width:3px,stroke-dasharray:6 4.*\n {2}class n\d+ removed/);
  });

  it('is empty when the graph does not change', async () => {
    const graph = trustGraph(await compileValid({ 'org.yaml': BASE }));
    expect(diffTrustGraph(graph, graph)).toEqual({ accounts: [], nodes: [], edges: [] });
  });
});

describe('the diagram in the markdown', () => {
  const renderer = new MarkdownIt({ html: true, linkify: true });
  const fences = (markdown: string) => renderer.parse(markdown, {}).filter((t) => t.type === 'fence' || t.type === 'code_block');

  it('access: one ```mermaid block, first, holding exactly the diagram', async () => {
    const model = await example();
    const result = await compile('config', { cwd: ROOT });
    const markdown = formatAccessMarkdown(accessReport(model, result.catalog!), () => 'x', trustGraph(model));
    const blocks = fences(markdown);
    expect(blocks.map((b) => [b.type, b.info])).toEqual([['fence', 'mermaid']]);
    expect(blocks[0]!.content).toBe(mermaidGraph(trustGraph(model)));
    expect(markdown.indexOf('## Trust graph')).toBeLessThan(markdown.indexOf('## Roles'));
  });

  it('no value closes the fence: hostile GitHub environments and branches stay inside the block', async () => {
    const hostile = ['```', '~~~', '` `` ```` `', '```\n# injected'];
    const result = await compileYaml({
      'org.yaml': `${ACCOUNTS}
providers:
  - name: github
    account: prod
    oidc: { url: https://token.actions.githubusercontent.com, audiences: [sts.amazonaws.com] }
roles:
  - name: deploy
    account: prod
    trust:
${hostile.map((h) => `      - github: { repo: acme/app, environment: ${JSON.stringify(h.replace(/\n/g, ' '))} }\n`).join('')}      - github: { repo: acme/app, branch: "\`\`\`</code></pre><script>x</script>" }
`,
    });
    expect(result.configErrors).toEqual([]);
    const model = result.model!;
    const graph = trustGraph(model);
    const markdown = formatAccessMarkdown(accessReport(model, result.catalog!), () => 'x', graph);
    const blocks = fences(markdown);
    expect(blocks.map((b) => b.info)).toEqual(['mermaid']);
    expect(blocks[0]!.content).toBe(mermaidGraph(graph));
    expect(blocks[0]!.content).not.toContain('`');
    expect(labels(blocks[0]!.content).flat()).toContain('acme/app on branch ```</code></pre><script>x</script>');
  });

  it('diff: the changed part, after the heading; none when only permissions change', async () => {
    const base = await compileYaml({ 'org.yaml': `${ACCOUNTS}\nroles:\n  - name: r\n    account: prod\n    trust:\n      - service: ec2.amazonaws.com\n` });
    const head = await compileYaml({ 'org.yaml': `${ACCOUNTS}\nroles:\n  - name: r\n    account: prod\n    trust:\n      - service: lambda.amazonaws.com\n` });
    const diff = diffAccess(accessReport(base.model!, base.catalog!), accessReport(head.model!, head.catalog!));
    const graph = diffTrustGraph(trustGraph(base.model!), trustGraph(head.model!));
    const markdown = formatDiffMarkdown(diff, 'main', undefined, graph);
    const blocks = fences(markdown);
    expect(blocks.map((b) => b.info)).toEqual(['mermaid']);
    expect(blocks[0]!.content).toBe(mermaidDiffGraph(graph));
    expect(blocks[0]!.content).toContain('service lambda.amazonaws.com');
    expect(blocks[0]!.content).toContain('service ec2.amazonaws.com');
    expect(markdown.indexOf('### The trust graph')).toBeLessThan(markdown.indexOf('### Who gains a way in'));

    const permissionsOnly = await compileYaml({
      'org.yaml': `${ACCOUNTS}\nroles:\n  - name: r\n    account: prod\n    trust:\n      - service: ec2.amazonaws.com\n    allow:\n      - actions: [s3:GetObject]\n        resources: ["*"]\n`,
    });
    const onlyPermissions = formatDiffMarkdown(
      diffAccess(accessReport(base.model!, base.catalog!), accessReport(permissionsOnly.model!, permissionsOnly.catalog!)),
      'main',
      undefined,
      diffTrustGraph(trustGraph(base.model!), trustGraph(permissionsOnly.model!)),
    );
    expect(onlyPermissions).toContain('gains:');
    expect(fences(onlyPermissions)).toEqual([]);
  });

  it('a graph past mermaid\'s limits is left out with a sentence, not drawn as an error', () => {
    const nodes: GraphNode[] = [{ key: 'a', kind: 'user', label: 'a' }, ...Array.from({ length: MERMAID_MAX_EDGES + 1 }, (_, i) => ({ key: `r${i}`, kind: 'role' as const, label: `r${i}` }))];
    const graph: TrustGraph = { accounts: [], nodes, edges: nodes.slice(1).map((n) => ({ from: 'a', to: n.key, way: 'trust', certainty: 'sure', conditions: [] })) };
    const block = mermaidMarkdown(mermaidGraph(graph), graph.edges.length, 'rolecall access --format mermaid');
    expect(block).toEqual([{ markdown: expect.stringMatching(/^The trust graph is larger than mermaid draws by default \(501 edges, \d+ characters\); `rolecall access --format mermaid` writes it\.$/) }]);
    const small = { ...graph, edges: graph.edges.slice(0, MERMAID_MAX_EDGES) };
    expect(mermaidMarkdown(mermaidGraph(small), small.edges.length, 'x')[0]).toEqual({ markdown: '```mermaid' });
  });
});
