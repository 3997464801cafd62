import { compileYaml } from '../support/compileYaml';

const base = `accounts:
  - name: main
    id: "123456789012"
users:
  - name: alice
`;

describe('warnings that a reviewer needs', () => {
  it('the same principal in two trust entries with other conditions: the looser one wins', async () => {
    const result = await compileYaml({
      'org.yaml': `${base}roles:
  - name: admin
    trust:
      - user: alice
        mfa: true
      - users: [alice]
`,
    });
    expect(result.errors).toEqual([]);
    // And the security rule that says the same of MFA: the entry without it is a way round it.
    expect(result.findings.map((f) => [f.rule, f.line, f.column])).toEqual([['mfa-bypass', 9, 15], ['overlapping-trust', 11, 17]]);
    expect(result.findings[1]!.message).toMatch(/stricter conditions do nothing: merge the two entries \(also at org\.yaml:9:15\)/);
  });

  it('a grant that expires within a week', async () => {
    const result = await compileYaml({
      'org.yaml': `${base}roles:
  - name: temp
    trust:
      - user: alice
        expires: 2026-11-25
`,
    });
    expect(result.findings.map((f) => [f.severity, f.rule, f.line])).toEqual([['warning', 'expires-soon', 10]]);
  });
});
