import { anchorBomb, billionLaughs } from '../../bench/hostile';
import { ALIAS_LIMITS } from '../../src/source/aliases';
import { parseSource } from '../../src/source/sourceFile';
import { compileValid, compileYaml } from '../support/compileYaml';

const ACCOUNTS = 'accounts:\n  - name: identity\n    id: "111111111111"\n';

/** Findings of one file, as `LINE:COL rule: message`. */
function findings(text: string): string[] {
  const parsed = parseSource('a.yaml', '/a.yaml', text);
  return parsed.diagnostics.map((d) => `${d.position?.line}:${d.position?.column} ${d.rule}: ${d.message}`);
}

describe('aliases are measured before anything is built from them', () => {
  it('an anchor bomb is one finding at its first alias, not an exception; the file is not converted', () => {
    // 3,000 ARNs of 30 characters: about 100 KB behind one anchor, aliased three times.
    const text = anchorBomb(3000, 3);
    const parsed = parseSource('a.yaml', '/a.yaml', text);
    expect(parsed.config).toBeUndefined();
    const firstAlias = text.split('\n').findIndex((line) => line.includes('*arns')) + 1;
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', rule: 'yaml-alias-limit', position: { line: firstAlias, column: 20 } }),
    ]);
    const message = parsed.diagnostics[0]!.message;
    expect(message).toContain('*arns stands for');
    expect(message).toContain(`at most ${ALIAS_LIMITS.perAlias.toLocaleString('en-US')}`);
    expect(message).toContain('10,240');
  });

  it('through compile, the finding reaches the edge with its file, line and column', async () => {
    const text = anchorBomb(3000, 2);
    const result = await compileYaml({ 'org.yaml': text });
    expect(result.model).toBeUndefined();
    const firstAlias = text.split('\n').findIndex((line) => line.includes('*arns')) + 1;
    expect(firstAlias).toBeGreaterThan(3000);
    expect(result.findings.map((f) => [f.file, f.rule, f.line, f.column])).toEqual([['org.yaml', 'yaml-alias-limit', firstAlias, 20]]);
  });

  it('billion laughs: the limit and the reason, not a hint about undefined anchors', () => {
    const found = findings(billionLaughs());
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) {
      expect(line).toMatch(/^\d+:\d+ yaml-alias-limit: \*[a-h] stands for [\d,]+ characters of YAML; an alias may stand for at most 65,536, more than any one user or role can hold in IAM/);
      expect(line).not.toContain('define the anchor');
    }
    // The first alias over the limit: the first *e, on line 6 (f: &f [*e, ...).
    expect(found[0]).toMatch(/^6:8 yaml-alias-limit: \*e stands for/);
  });

  it('an alias just under the limit passes; just over it does not', () => {
    // A scalar counts as its text, quotes included.
    const within = `a: &a "${'x'.repeat(ALIAS_LIMITS.perAlias - 2)}"\nb: *a\n`;
    const over = `a: &a "${'x'.repeat(ALIAS_LIMITS.perAlias - 1)}"\nb: *a\n`;
    expect(findings(within)).toEqual([]);
    expect(findings(over)).toEqual([expect.stringMatching(/^2:4 yaml-alias-limit: \*a stands for 65,537 characters/)]);
  });

  it('a file whose aliases together pass the file limit is refused at the alias that passes it', () => {
    const anchor = `big: &big "${'x'.repeat(ALIAS_LIMITS.perAlias - 3)}"\n`;
    const aliases = ALIAS_LIMITS.perFile / ALIAS_LIMITS.perAlias;
    const lines = Array.from({ length: aliases + 1 }, (_, i) => `k${i}: *big\n`);
    const found = findings(anchor + lines.join(''));
    expect(found).toEqual([expect.stringMatching(new RegExp(`^${aliases + 2}:\\d+ yaml-alias-limit: with \\*big the aliases of this file stand for more than 16,777,216 characters`))]);
    expect(findings(anchor + lines.slice(0, aliases).join(''))).toEqual([]);
  });

  it(`more than ${ALIAS_LIMITS.count} aliases in a file are refused at the first one over`, () => {
    const lines = Array.from({ length: ALIAS_LIMITS.count + 1 }, () => '  - *one\n');
    const found = findings(`one: &one 1\nlist:\n${lines.join('')}`);
    expect(found).toEqual([expect.stringMatching(new RegExp(`^${ALIAS_LIMITS.count + 3}:5 yaml-alias-limit: this file holds more than 5,000 aliases`))]);
    expect(findings(`one: &one 1\nlist:\n${lines.slice(1).join('')}`)).toEqual([]);
  });

  it('an alias naming no anchor is reported at the alias', () => {
    expect(findings('users:\n  - *missing\n')).toEqual(['2:5 yaml-syntax: *missing names no anchor: define &missing before this alias, or quote the text if "*" was meant literally']);
    // An anchor defined after its alias does not count, as in YAML.
    expect(findings('a: *later\nb: &later 1\n')).toEqual([expect.stringMatching(/^1:4 yaml-syntax: \*later names no anchor/)]);
  });

  it('an anchor holding an alias that names nothing: one finding, at that alias', () => {
    expect(findings('a: &a [1, *nothing]\nb: *a\n')).toEqual([expect.stringMatching(/^1:11 yaml-syntax: \*nothing names no anchor/)]);
  });

  it('each node is measured once: 60 levels of doubling aliases are measured at once, not in 2^60 steps', () => {
    const levels = Array.from({ length: 60 }, (_, i) => (i === 0 ? 'l0: &l0 [x, x]\n' : `l${i}: &l${i} [*l${i - 1}, *l${i - 1}]\n`));
    const found = findings(levels.join(''));
    // Level 15 is the first past 64 KiB; from there on each anchor is reported once.
    expect(found).toHaveLength(60 - 15);
    expect(found[0]).toMatch(/^16:\d+ yaml-alias-limit: \*l14 stands for/);
  });

  it('an alias inside the node it names is refused, not followed forever', () => {
    expect(findings('a: &a [1, *a]\n')).toEqual([expect.stringMatching(/^1:11 yaml-syntax: \*a lies inside the node &a it names/)]);
  });

  it('a legitimate config sharing one anchored statement list among a few roles validates', async () => {
    const text = `${ACCOUNTS}users:
  - name: alice
    account: identity
roles:
  - name: reader
    account: identity
    trust: &trust
      - user: identity/alice
    allow: &reads
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::data/*"]
  - name: auditor
    account: identity
    trust: *trust
    allow: *reads
  - <<: &base { account: identity, trust: *trust }
    name: analyst
    allow: *reads
  - <<: *base
    name: viewer
    allow: *reads
`;
    const model = await compileValid({ 'org.yaml': text });
    expect(model.roles.map((r) => r.name).sort()).toEqual(['analyst', 'auditor', 'reader', 'viewer']);
    const policies = new Set(model.roles.map((r) => JSON.stringify(r.inlinePolicies.map((p) => p.json))));
    expect(policies.size).toBe(1);
    expect([...policies][0]).toContain('arn:aws:s3:::data/*');
    expect(model.roles.every((r) => r.trustPolicyJson.includes(':user/alice'))).toBe(true);
  });

  it('more aliases of one small anchor than yaml allowed by default (1,000) are fine', () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `  - { <<: *d, n: ${i} }\n`);
    const parsed = parseSource('a.yaml', '/a.yaml', `d: &d { account: identity }\nroles:\n${lines.join('')}`);
    expect(parsed.diagnostics).toEqual([]);
    expect((parsed.config?.value as { roles: { account: string }[] }).roles[1499]).toEqual({ account: 'identity', n: 1499 });
  });
});

describe('a bare * says to quote it', () => {
  it.each([
    ['resources: [*]', 2, 17],
    ['resources: *', 2, 16],
    ['resources:\n    - *', 3, 7],
  ])('%s', (yaml, line, column) => {
    expect(findings(`allow:\n  - ${yaml}\n`)).toEqual([`${line}:${column} yaml-syntax: a bare * starts a YAML alias (*name): write the wildcard in quotes, "*", e.g. resources: ["*"]`]);
  });
});
