/**
 * Text from the YAML reaches Terraform as literal text (issue 5, item 1).
 * Terraform reads every string of cdk.tf.json as a template, so an
 * unescaped `${file(...)}` in a description is evaluated by `terraform
 * plan` on the machine running it, and an IAM policy variable such as
 * `${aws:username}` does not even parse. cdktf, before that, reads its own
 * token markers (`${TfToken[TOKEN.n]}`) out of every string.
 *
 * Proved with the real `terraform plan` (offline) and `terraform show -json`:
 * the planned values hold exactly the YAML's text.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { terraformName } from '../../stacks/logicalId';
import { removeSynthesizedDirs, synthesizeToTempDir, type Synthesized } from '../stacks/synthesized';
import { compileValid } from '../support/compileYaml';
import { parsePolicy } from '../support/policyJson';
import { describeSkip, terraformPlan, type TerraformPlan } from '../support/terraform';

/** A file of "the runner" whose contents must never reach the plan. */
const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-secret-'));
const SECRET = `rolecall-secret-${crypto.randomBytes(8).toString('hex')}`;
const secretFile = path.join(secretDir, 'environ');
fs.writeFileSync(secretFile, SECRET);
const secretForms = [SECRET, Buffer.from(SECRET).toString('base64')];

const DESCRIPTION = `\${base64encode(file("${secretFile}"))} and \${file("${secretFile}")}`;
const DIRECTIVE = '%{ if true }yes%{ else }no%{ endif } 100%{ } %%{ $${ $%{ %${';
/** cdktf's own markers, for a token that exists, one that does not, a list and a map. */
const FORGED = '${TfToken[TOKEN.0]} $${TfToken[TOKEN.1]} ${TfToken[TOKEN.999]} #{TfToken[TOKEN.2]} &{TfToken[TOKEN.3]} -1.8881545897087626e+289';
const HOMES = 'arn:aws:s3:::homes/${aws:username}/*';
const TEAM = '${aws:PrincipalTag/team}';
const OIDC_URL = `https://idp.example.com/\${file("${secretFile}")}`;
const BOUNDARY = 'arn:aws:iam::222222222222:policy/%{x}/${aws:username}/Boundary';

/** Valid SAML metadata (1,000 characters or more) with templates in a comment and an attribute. */
const SAML_METADATA = `<?xml version="1.0" encoding="UTF-8"?>
<!-- \${file("${secretFile}")} %{ if true }directive%{ endif } \${TfToken[TOKEN.0]} -->
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/\${aws:username}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
<!-- ${'padding '.repeat(120)} -->
`;

/** One stack: every plan loads the provider's schema twice, some 20 s of CPU. */
const CONFIG = `
accounts:
  - name: prod
    id: "222222222222"
    region: eu-west-1
providers:
  - name: idp
    account: prod
    oidc: { url: '${OIDC_URL}', audiences: [sts.amazonaws.com] }
  - name: okta
    account: prod
    saml: { metadata: metadata.xml }
users:
  - name: alice
    account: prod
    permissionsBoundary: '${BOUNDARY}'
    allow:
      - actions: [s3:GetObject]
        resources: ['${HOMES}']
roles:
  - name: leaky
    account: prod
    description: '${DESCRIPTION}'
    trust:
      - service: ec2.amazonaws.com
  - name: homes
    account: prod
    path: '/a%{b}\${c}/'
    description: '${DIRECTIVE}'
    trust:
      - service: ec2.amazonaws.com
    allow:
      - actions: [s3:GetObject, s3:PutObject]
        resources: ['${HOMES}']
        conditions:
          StringEquals: { 'aws:ResourceTag/team': '${TEAM}' }
  - name: forged
    account: prod
    description: '${FORGED}'
    trust:
      - service: ec2.amazonaws.com
`;

let out: Synthesized;
beforeAll(async () => {
  const model = await compileValid({ 'config.yaml': CONFIG, 'metadata.xml': SAML_METADATA });
  out = synthesizeToTempDir(model);
});
afterAll(() => {
  removeSynthesizedDirs();
  fs.rmSync(secretDir, { recursive: true, force: true });
});

const role = (name: string) => `aws_iam_role.${terraformName('role', name)}`;

describe('synthesized stacks', () => {
  it('hold no cdktf reference the YAML did not ask for: forged token markers stay text', () => {
    // Without the escape, TOKEN.999 throws "Unrecognized Token Key" and
    // TOKEN.0 turns into a reference to another resource.
    const description = out.resource('prod', 'aws_iam_role', terraformName('role', 'forged'))['description'];
    expect(description).not.toMatch(/\$\{aws_|\$\{TfToken\[/);
    expect(description).toContain('-1.8881545897087626e+289');
  });

  it('still emit real references unescaped', () => {
    const policy = out.resource('prod', 'aws_iam_role_policy', terraformName('role', 'homes', 'rolecall-permissions'));
    expect(policy['role']).toBe(`\${${role('homes')}.name}`);
  });
});

describeSkip()('terraform plan (offline) reads YAML text as literal text', () => {
  let prod: TerraformPlan;
  beforeAll(async () => {
    prod = await terraformPlan(out.stackDir('prod'));
    if (process.env.ROLECALL_TIMINGS) console.log(`terraform init+plan+show: ${prod.seconds} s`);
  }, 180_000);

  const values = (plan: TerraformPlan, address: string): Record<string, unknown> => {
    const planned = plan.resources.get(address);
    if (!planned) throw new Error(`${address} is not planned; planned: ${[...plan.resources.keys()].join(', ')}`);
    return planned.values;
  };

  it('the plan never shows a file of the machine that a string names', () => {
    const everything = prod.output + JSON.stringify([...prod.resources.values()]);
    for (const form of secretForms) expect(everything).not.toContain(form);
  });

  it('a description or URL calling file() is planned as that text', () => {
    expect(values(prod, role('leaky'))['description']).toBe(DESCRIPTION);
    expect(values(prod, `aws_iam_openid_connect_provider.${terraformName('provider', 'idp')}`)['url']).toBe(OIDC_URL);
  });

  it('IAM policy variables arrive unchanged in the planned policy', () => {
    const planned = (address: string) => parsePolicy(values(prod, address)['policy']).Statement;
    const rolePolicy = planned(`aws_iam_role_policy.${terraformName('role', 'homes', 'rolecall-permissions')}`);
    expect(rolePolicy).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [HOMES],
        Condition: { StringEquals: { 'aws:ResourceTag/team': [TEAM] } },
      },
    ]);
    const userPolicy = planned(`aws_iam_user_policy.${terraformName('user', 'alice', 'rolecall-permissions')}`);
    expect(userPolicy).toEqual([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [HOMES] }]);
    expect(values(prod, `aws_iam_user.${terraformName('user', 'alice')}`)['permissions_boundary']).toBe(BOUNDARY);
  });

  it('template directives (%{) and escapes already in the YAML arrive unchanged', () => {
    expect(values(prod, role('homes'))['description']).toBe(DIRECTIVE);
    expect(values(prod, role('homes'))['path']).toBe('/a%{b}${c}/');
    expect(values(prod, role('forged'))['description']).toBe(FORGED);
    expect(values(prod, `aws_iam_saml_provider.${terraformName('provider', 'okta')}`)['saml_metadata_document']).toBe(SAML_METADATA);
  });
});
