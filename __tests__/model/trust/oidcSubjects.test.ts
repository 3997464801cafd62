/**
 * OIDC subjects checked per issuer, with the strictness of a github: entry:
 * the identifying parts (repository, project, workspace, service account)
 * literal; a wildcard only where the issuer's own docs put one.
 */
import { subjectFinding } from '../../../src/model/trust/oidcSubjects';
import { compileValid, compileYaml } from '../../support/compileYaml';

const ISSUERS = {
  github: 'token.actions.githubusercontent.com',
  gitlab: 'gitlab.com',
  selfManagedGitlab: 'gitlab.example.com',
  eks: 'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
  terraformCloud: 'app.terraform.io',
  bitbucket: 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc',
  circleci: 'oidc.circleci.com/org/2f1e0d9c-8b7a-4654-9321-0fedcba98765',
  other: 'idp.example.com',
} as const;

const REPO = '{0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9}';
const ENV = '{11111111-2222-4333-8444-555555555555}';
const ORG = '2f1e0d9c-8b7a-4654-9321-0fedcba98765';
const PROJECT = '0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9';

const good: [keyof typeof ISSUERS, string][] = [
  ['github', 'repo:acme/web:ref:refs/heads/main'],
  ['github', 'repo:acme/web:ref:refs/heads/release/*'],
  ['github', 'repo:acme/web:ref:refs/tags/v*'],
  ['github', 'repo:acme/web:environment:production'],
  ['github', 'repo:acme/web:pull_request'],
  ['github', 'repo:acme/web:ref:refs/pull/1/merge'],
  ['gitlab', 'project_path:acme/web:ref_type:branch:ref:main'],
  ['gitlab', 'project_path:acme/platform/web:ref_type:tag:ref:v*'],
  ['selfManagedGitlab', 'project_path:acme/web:ref_type:branch:ref:release/*'],
  ['eks', 'system:serviceaccount:payments:api'],
  ['terraformCloud', 'organization:acme:project:infra:workspace:prod:run_phase:apply'],
  ['terraformCloud', 'organization:acme:project:Default Project:workspace:prod:run_phase:*'],
  ['bitbucket', `${REPO}:*`],
  ['bitbucket', `${REPO}:${ENV}:*`],
  ['circleci', `org/${ORG}/project/${PROJECT}/user/*`],
  ['other', 'client-42'],
];

const bad: [keyof typeof ISSUERS, string, string][] = [
  ['github', 'repo:acme/web:*', 'does not name one branch'],
  ['github', 'repo:acme/web:ref:*', 'does not name one branch'],
  ['github', 'repo:acme/web:ref:refs/heads/*', 'does not name one branch'],
  ['github', 'repo:acme/web:ref:refs/*', 'does not name one branch'],
  ['github', 'repo:acme/web:environment:*', 'does not name one branch'],
  ['github', 'repo:acme/web:job_workflow_ref:x', 'does not name one branch'],
  ['github', 'repo:acme/w*:ref:refs/heads/main', 'does not name one repository'],
  ['github', 'repository_owner:acme', 'does not name one repository'],
  ['github', 'project_path:acme/web:ref_type:branch:ref:main', 'does not name one repository'],
  ['gitlab', 'project_path:*:ref_type:branch:ref:main', 'does not name one project'],
  ['gitlab', 'project_path:acme/*:ref_type:branch:ref:main', 'does not name one project'],
  ['gitlab', 'project_path:acme:ref_type:branch:ref:main', 'does not name one project'],
  ['gitlab', 'project_path:acme/web:*', 'does not name one branch or tag'],
  ['gitlab', 'project_path:acme/web:ref_type:*:ref:main', 'does not name one branch or tag'],
  ['gitlab', 'project_path:acme/web:ref_type:branch:ref:*', 'does not name one branch or tag'],
  ['gitlab', 'repo:acme/web:ref:refs/heads/main', 'does not name one project'],
  ['selfManagedGitlab', 'project_path:acme/web:*', 'does not name one branch or tag'],
  ['eks', 'system:serviceaccount:*:*', 'does not name one service account'],
  ['eks', 'system:serviceaccount:payments:*', 'does not name one service account'],
  ['eks', 'system:serviceaccount:pay*:api', 'does not name one service account'],
  ['eks', 'system:serviceaccount:payments', 'does not name one service account'],
  ['terraformCloud', 'organization:acme:project:*:workspace:prod:run_phase:apply', 'does not name one workspace'],
  ['terraformCloud', 'organization:acme:project:infra:workspace:*:run_phase:apply', 'does not name one workspace'],
  ['terraformCloud', 'organization:acme:*', 'does not name one workspace'],
  ['terraformCloud', 'organization:acme:project:infra:workspace:prod:run_phase:destroy', 'does not name one workspace'],
  ['bitbucket', '{*}:*', 'does not name one repository'],
  ['bitbucket', `${REPO.slice(0, 10)}*`, 'does not name one repository'],
  ['bitbucket', `${REPO}:*:*`, 'does not name one repository'],
  ['circleci', `org/${ORG}/project/*/user/*`, 'does not name one project'],
  ['circleci', `org/${ORG}/*`, 'does not name one project'],
  ['circleci', `org/${PROJECT}/project/${PROJECT}/user/*`, "use that organization's id"],
];

describe('OIDC subjects per issuer', () => {
  it.each(good)('%s: %s is fine', (issuer, subject) => {
    expect(subjectFinding(ISSUERS[issuer], subject)).toBeUndefined();
  });

  it.each(bad)('%s: %s is an error (%s)', (issuer, subject, fragment) => {
    const finding = subjectFinding(ISSUERS[issuer], subject);
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toContain(fragment);
  });

  it('an enterprise GitHub issuer and GitHub Enterprise Server follow the GitHub rule', () => {
    expect(subjectFinding('token.actions.githubusercontent.com/acme', 'repo:acme/web:*')?.severity).toBe('error');
    expect(subjectFinding('github.acme.internal/_services/token', 'repo:acme/web:*')?.severity).toBe('error');
    expect(subjectFinding('github.acme.internal/_services/token', 'repo:acme/web:ref:refs/heads/main')).toBeUndefined();
  });

  it('a self-hosted Terraform Enterprise is known by its subjects', () => {
    expect(subjectFinding('tfe.acme.internal', 'organization:acme:project:infra:workspace:*:run_phase:apply')?.severity).toBe('error');
  });

  it('an issuer rolecall does not know: a wildcard is a warning, a literal subject passes', () => {
    expect(subjectFinding(ISSUERS.other, 'team:platform:*')).toEqual({ severity: 'warning', message: expect.stringContaining('holds a wildcard') });
    expect(subjectFinding(ISSUERS.other, 'team:platform:deploy')).toBeUndefined();
  });
});

const ACCOUNT = `accounts:
  - name: ci
    id: "111111111111"
`;

function oidcConfig(url: string, audience: string, subjects: readonly string[]): string {
  return `${ACCOUNT}providers:
  - name: idp
    oidc: { url: "https://${url}", audiences: ["${audience}"] }
roles:
  - name: deployer
    trust:
      - oidc:
          provider: idp
          audience: "${audience}"
          subject:
${subjects.map((s) => `            - "${s}"`).join('\n')}
`;
}

describe('OIDC subjects in a config', () => {
  it.each(
    Object.entries({
      github: good.filter(([i]) => i === 'github').map(([, s]) => s),
      gitlab: ['project_path:acme/web:ref_type:branch:ref:main'],
      eks: ['system:serviceaccount:payments:api'],
      terraformCloud: ['organization:acme:project:infra:workspace:prod:run_phase:*'],
      bitbucket: [`${REPO}:*`, `${REPO}:${ENV}:*`],
      circleci: [`org/${ORG}/project/${PROJECT}/user/*`],
    }) as [keyof typeof ISSUERS, string[]][],
  )('%s: good subjects compile clean, into the trust as written', async (issuer, subjects) => {
    const model = await compileValid({ 'org.yaml': oidcConfig(ISSUERS[issuer], 'sts.amazonaws.com', subjects) });
    const statement = model.roles.find((r) => r.name === 'deployer')!.trustPolicy.statements[0]!;
    const operator = subjects.some((s) => /[*?]/.test(s)) ? 'StringLike' : 'StringEquals';
    expect(statement.conditions?.[operator]?.[`${ISSUERS[issuer]}:sub`]).toEqual([...subjects].sort());
  });

  it('a bad subject is reported at its own list item, and the entry grants nothing', async () => {
    const result = await compileYaml({ 'org.yaml': oidcConfig(ISSUERS.eks, 'sts.amazonaws.com', ['system:serviceaccount:payments:api', 'system:serviceaccount:payments:*']) });
    expect(result.findings.map((f) => [f.severity, f.rule, f.line, f.column])).toEqual([['error', 'oidc-subject', 15, 15]]);
    expect(result.model?.grants ?? []).toEqual([]);
  });

  it('a wildcard subject on an unknown issuer is a warning at the subject, and the grant stands', async () => {
    const result = await compileYaml({ 'org.yaml': oidcConfig(ISSUERS.other, 'api://deploy', ['team:platform:*']) });
    expect(result.findings.map((f) => [f.severity, f.rule, f.line, f.column])).toEqual([['warning', 'oidc-subject', 14, 15]]);
    expect(result.findings[0]!.message).toContain('idp.example.com');
    expect(result.model?.grants.map((g) => g.grantee.kind)).toEqual(['web-identity']);
  });
});
