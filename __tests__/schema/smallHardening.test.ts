/** Values that validated clean and could never work, or made output depend on YAML order. */
import { compileYaml, TWO_ACCOUNTS } from '../support/compileYaml';

const GITHUB = `${TWO_ACCOUNTS}
providers:
  - name: github
    account: prod
    oidc: { url: https://token.actions.githubusercontent.com, audiences: [sts.amazonaws.com, b-client, a-client] }
roles:
  - name: deploy
    account: prod
    trust:
`;

const findings = async (yaml: string) => (await compileYaml({ 'org.yaml': yaml })).errors.map((e) => `${e.line}:${e.column} ${e.rule}: ${e.message}`);

describe('hardening of small things', () => {
  it.each([
    ['a branch with an escape character', 'branch: "main\\u001b[2J"'],
    ['a branch with a new line', 'branch: "main\\nrepo:other/x"'],
    ['a branch with a space', 'branch: "my branch"'],
    ['a tag with ..', 'tag: "v1..2"'],
    ['a ref with a control character', 'ref: "refs/heads/\\u0007"'],
  ])('refuses %s in a github trust', async (_name, field) => {
    const errors = await findings(`${GITHUB}      - github: { repo: acme/app, ${field} }\n`);
    expect(errors).toEqual([expect.stringMatching(/^20:\d+ invalid-value: [\s\S]*(git refuses them|full git ref)/)]);
  });

  it('keeps what git allows, wildcards included', async () => {
    expect(await findings(`${GITHUB}      - github: { repo: acme/app, branch: release/v1.2-x_y }\n      - github: { repo: acme/app, branch: "release/*" }\n`)).toEqual([]);
  });

  it('refuses mfa.maxAge of 0 (no session could ever meet it) and above 36 h', async () => {
    const role = (maxAge: string) => `${TWO_ACCOUNTS}
users:
  - name: alice
    account: identity
roles:
  - name: r
    account: prod
    trust:
      - user: identity/alice
        mfa: { maxAge: ${maxAge} }
`;
    expect(await findings(role('0s'))).toEqual([expect.stringMatching(/^20:\d+ invalid-value: mfa\.maxAge is 0 s/)]);
    expect(await findings(role('37h'))).toEqual([expect.stringMatching(/^20:\d+ invalid-value: mfa\.maxAge is 133200 s/)]);
    expect(await findings(role('1s'))).toEqual([]);
    expect(await findings(role('36h'))).toEqual([]);
  });

  it('refuses ISO regions, whose partitions rolecall does not know (their ARNs would be wrong)', async () => {
    const errors = await findings('accounts:\n  - name: main\n    id: "123456789012"\n    region: us-iso-east-1\n');
    expect(errors).toEqual([expect.stringMatching(/^4:\d+ invalid-value: /)]);
  });

  it('an OIDC provider\'s audiences are emitted in one order, whatever the YAML order', async () => {
    const a = await compileYaml({ 'org.yaml': `${GITHUB}      - github: { repo: acme/app, branch: main }\n` });
    const b = await compileYaml({ 'org.yaml': `${GITHUB.replace('[sts.amazonaws.com, b-client, a-client]', '[a-client, sts.amazonaws.com, b-client]')}      - github: { repo: acme/app, branch: main }\n` });
    expect(a.model!.providers[0]!.audiences).toEqual(['a-client', 'b-client', 'sts.amazonaws.com']);
    expect(b.model!.providers).toEqual(a.model!.providers.map((p) => ({ ...p, source: p.source })));
  });
});
