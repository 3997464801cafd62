/**
 * Adoption (`adopt: true`, stacks/adoption.ts): Terraform `import` blocks in
 * cdk.tf.json for every adopted user, group, role and provider, with the
 * import ids of the hashicorp/aws provider docs; none for what rolecall
 * creates, and nothing at all emitted differently for a config without adopt.
 */
import { compileValid, compileYaml } from '../support/compileYaml';
import { ADOPTION_CONFIG } from './adoptionConfig';
import { removeSynthesizedDirs, synthesizeToTempDir, type Synthesized } from './synthesized';

afterAll(removeSynthesizedDirs);

interface ImportBlock {
  to: string;
  id: string;
  provider?: string;
}

const synth = (files: Record<string, string>): Promise<Synthesized> => compileValid(files).then(synthesizeToTempDir);
const importsOf = (out: Synthesized, account: string): ImportBlock[] => ((out.stack(account) as unknown as { import?: ImportBlock[] }).import ?? []);
const withoutAdopt = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([name, text]) => [name, text.replace(/^ *adopt: true\n/gm, '')]));

let adopted: Promise<Synthesized> | undefined;
const adoptedOut = () => (adopted ??= synth(ADOPTION_CONFIG));

describe('import blocks of adopted entities', () => {
  it('imports each adopted principal, its attachments and exclusive resources, and the adopted provider, with the provider docs\' ids', async () => {
    const out = await adoptedOut();
    const byAddress = Object.fromEntries(importsOf(out, 'identity').map((block) => [block.to, block.id]));
    expect(byAddress).toEqual({
      'aws_iam_openid_connect_provider.provider_github': 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
      'aws_iam_user.user_alice': 'alice',
      'aws_iam_user_policies_exclusive.user_alice': 'alice',
      'aws_iam_user_policy_attachments_exclusive.user_alice': 'alice',
      'aws_iam_group.group_engineers': 'engineers',
      'aws_iam_group_policy_attachment.group_engineers_-aws_-ReadOnlyAccess': 'engineers/arn:aws:iam::aws:policy/ReadOnlyAccess',
      'aws_iam_group_policy_attachment.group_engineers_-111111111111_-team-extra': 'engineers/arn:aws:iam::111111111111:policy/team-extra',
      'aws_iam_group_policies_exclusive.group_engineers': 'engineers',
      'aws_iam_group_policy_attachments_exclusive.group_engineers': 'engineers',
      'aws_iam_role.role_deployer': 'deployer',
      'aws_iam_role_policy_attachment.role_deployer_-111111111111_-deploy': 'deployer/arn:aws:iam::111111111111:policy/deploy',
      'aws_iam_role_policies_exclusive.role_deployer': 'deployer',
      'aws_iam_role_policy_attachments_exclusive.role_deployer': 'deployer',
      'aws_iam_role.role_ci': 'ci',
      'aws_iam_role_policies_exclusive.role_ci': 'ci',
      'aws_iam_role_policy_attachments_exclusive.role_ci': 'ci',
    });
  });

  it('every import block targets a resource of the stack, once, and names no provider (the stack has one)', async () => {
    const out = await adoptedOut();
    const blocks = importsOf(out, 'identity');
    const addresses = new Set(out.addresses('identity'));
    for (const block of blocks) expect(addresses.has(block.to)).toBe(true);
    expect(new Set(blocks.map((b) => b.to)).size).toBe(blocks.length);
    expect(blocks.every((b) => b.provider === undefined)).toBe(true);
  });

  it('imports no inline policy (rolecall writes its own, which an adopted principal lacks) and no group membership (not importable)', async () => {
    const out = await adoptedOut();
    const targets = importsOf(out, 'identity').map((b) => b.to.split('.')[0]);
    expect(out.addresses('identity').some((a) => a.startsWith('aws_iam_role_policy.role_deployer_-'))).toBe(true);
    for (const type of ['aws_iam_user_policy', 'aws_iam_role_policy', 'aws_iam_group_policy', 'aws_iam_group_membership']) expect(targets).not.toContain(type);
  });

  it('imports nothing of the entries that are not adopted', async () => {
    const out = await adoptedOut();
    const targets = importsOf(out, 'identity').map((b) => b.to);
    expect(targets.filter((to) => /user_bob|role_newcomer/.test(to))).toEqual([]);
    expect(out.addresses('identity')).toEqual(expect.arrayContaining(['aws_iam_user.user_bob', 'aws_iam_role.role_newcomer']));
  });

  it('without adopt, the stack has no import key and is otherwise the same JSON', async () => {
    const plain = await synth(withoutAdopt(ADOPTION_CONFIG));
    // cdktf lists the imports in its `//` metadata too.
    const { import: blocks, '//': metadata, ...adoptedRest } = (await adoptedOut()).stack('identity') as unknown as Record<string, unknown>;
    const { metadata: { imports, ...adoptedMetadata } } = metadata as { metadata: Record<string, unknown> };
    const { '//': plainMetadata, ...plainRest } = plain.stack('identity') as unknown as Record<string, unknown>;
    expect(blocks).toBeDefined();
    expect(imports).toBeDefined();
    expect(Object.keys(plain.stack('identity'))).not.toContain('import');
    expect((plainMetadata as { metadata: Record<string, unknown> }).metadata).toEqual(adoptedMetadata);
    expect(adoptedRest).toEqual(plainRest);
  });

  it('an import id is a Terraform literal: a ${...} in a customer managed policy ARN is escaped', async () => {
    const files = { 'org.yaml': ADOPTION_CONFIG['org.yaml'].replace('[arn:aws:iam::111111111111:policy/deploy]', `['arn:aws:iam::111111111111:policy/x/\${file("/etc/passwd")}/deploy']`) };
    const out = await synth(files);
    const id = importsOf(out, 'identity').find((b) => b.to.startsWith('aws_iam_role_policy_attachment.role_deployer'))?.id;
    expect(id).toBe('deployer/arn:aws:iam::111111111111:policy/x/$${file("/etc/passwd")}/deploy');
  });
});

describe('adopt in the config', () => {
  it('is refused on an existing: provider, which rolecall never creates', async () => {
    const result = await compileYaml({
      'org.yaml': 'accounts:\n  - name: main\n    id: "123456789012"\nproviders:\n  - name: old\n    existing: arn:aws:iam::123456789012:oidc-provider/oidc.example.com\n    adopt: true\n',
    });
    expect(result.configErrors.map((f) => `${f.line}:${f.rule}:${f.message}`)).toEqual([expect.stringMatching(/^7:.*nothing to adopt/)]);
  });

  it('is true or absent: adopt: false is refused', async () => {
    const result = await compileYaml({ 'org.yaml': 'accounts:\n  - name: main\n    id: "123456789012"\nusers:\n  - name: alice\n    adopt: false\n' });
    expect(result.configErrors.map((f) => `${f.line}:${f.message}`)).toEqual([expect.stringMatching(/^6:adopt is true/)]);
  });
});
