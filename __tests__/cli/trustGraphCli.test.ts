/** Issue 8 item 2 at the CLI: `access --format mermaid`, and the diagrams in the markdown of access and diff. */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mermaidGraph } from '../../src/analysers/mermaidGraph';
import { trustGraph } from '../../src/analysers/trustGraph';
import { run } from '../../src/cli/main';
import { compile } from '../../src/pipeline/compile';

const ROOT = path.resolve(__dirname, '../..');

async function rolecall(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

const ORG = (trust: string) => `accounts:
  - name: main
    id: "123456789012"
  - name: partner
    id: "333333333333"
    external: true
users:
  - name: alice
roles:
  - name: reader
    trust:
${trust}`;

describe('rolecall access --format mermaid', () => {
  it('writes the trust graph of the config, and only it', async () => {
    const result = await rolecall(['access', '--format', 'mermaid'], ROOT);
    expect(result).toEqual({ code: 0, stdout: mermaidGraph(trustGraph((await compile('config', { cwd: ROOT })).model!)), stderr: '' });
    expect(result.stdout).toMatch(/^flowchart LR\n/);
  });

  it('is listed in the usage, and a wrong format names it', async () => {
    const wrong = await rolecall(['access', '--format', 'svg'], ROOT);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--format is one of table, markdown, json, mermaid');
    expect(wrong.stderr).toContain('access [--format table|markdown|json|mermaid]');
  });

  it('--format markdown embeds the same diagram in a mermaid block', async () => {
    const markdown = (await rolecall(['access', '--format', 'markdown'], ROOT)).stdout;
    const mermaid = (await rolecall(['access', '--format', 'mermaid'], ROOT)).stdout;
    expect(markdown).toContain(`## Trust graph\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n\n## Roles`);
  });
});

describe('rolecall diff --base: the changed part of the graph', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-graph-diff-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    await fs.mkdir(path.join(repo, 'config'));
    await fs.writeFile(path.join(repo, 'config', 'org.yaml'), ORG('      - user: alice\n        mfa: true\n'));
    git('add', '.');
    git('commit', '-qm', 'before');
    await fs.writeFile(path.join(repo, 'config', 'org.yaml'), ORG('      - user: alice\n        mfa: true\n      - account: partner\n        externalId: partner-2026\n'));
  });
  afterAll(async () => {
    await fs.rm(repo, { recursive: true, force: true });
  });

  it('a partner added: drawn in green, with the role it reaches', async () => {
    const result = await rolecall(['diff', '--base', 'HEAD'], repo);
    expect(result.code).toBe(0);
    const block = /^### The trust graph's changes\n\n.*\n\n```mermaid\n([^`]*)```\n/m.exec(result.stdout);
    expect(block).not.toBeNull();
    expect(block![1]).toBe(`flowchart LR
  subgraph g0["account main (123456789012)"]
    n0["role reader"]
  end
  style g0 fill:#fcfcfd,stroke:#8c959f
  subgraph g1["outside the managed accounts"]
    n1{{"external account partner (333333333333)"}}
  end
  style g1 fill:#fffaf5,stroke:#bc4c00
  n1 -->|"with external id partner-2026"| n0
  classDef role fill:#f6f8fa,stroke:#57606a,color:#1f2328
  class n0 role
  classDef added fill:#dafbe1,stroke:#1a7f37,stroke-width:3px,color:#033a16
  class n1 added
  linkStyle 0 stroke:#1a7f37,stroke-width:3px
`);
    // The diagram comes before the sentences.
    expect(result.stdout.indexOf('```mermaid')).toBeLessThan(result.stdout.indexOf('### Who gains a way in'));
  });

  it('--format json is unchanged: no diagram in the data', async () => {
    const result = await rolecall(['diff', '--base', 'HEAD', '--format', 'json'], repo);
    expect(result.stdout).not.toContain('mermaid');
    expect(result.stdout).not.toContain('flowchart');
  });
});
