/**
 * Found by the cross-check (seed 11 of generated.test.ts): a user whose
 * permissions boundary does not allow sts:AssumeRole was listed as assuming
 * a role of another account through a trust entry naming it. Across
 * accounts IAM needs the caller's side too, and the boundary caps that side
 * (IAM User Guide, "Policy evaluation logic" and "Permissions boundaries"),
 * so the way is closed; iam-simulate says the same.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { accessReport } from '../../src/analysers/accessReport';
import { compileYaml } from '../support/compileYaml';
import { synthesizedPrincipals } from './synthesizedPolicies';

const config = (boundary: string, roleAccount: string) => `
accounts:
  - name: identity
    id: "111111111111"
  - name: prod
    id: "222222222222"
users:
  - name: carol
    account: identity
    permissionsBoundary: ${boundary}
roles:
  - name: reader
    account: ${roleAccount}
    trust:
      - user: identity/carol
`;

async function wayOf(boundary: string, roleAccount: string) {
  const compiled = await compileYaml({ 'org.yaml': config(boundary, roleAccount) });
  if (!compiled.model) throw new Error(compiled.configErrors.map((e) => e.message).join('\n'));
  const report = accessReport(compiled.model, compiled.catalog!);
  const role = report.roles.find((r) => r.role === `${roleAccount}/reader`)!;
  const carol = report.users.find((u) => u.user === 'identity/carol')!;
  const principals = synthesizedPrincipals(compiled.model);
  const caller = principals.get('arn:aws:iam::111111111111:user/carol')!;
  const simulated = await runSimulation(
    {
      identityPolicies: [...caller.identityPolicies],
      permissionBoundaryPolicies: caller.boundary ? [{ name: 'boundary', policy: caller.boundary }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: principals.get(role.arn)!.trust,
      request: { action: 'sts:AssumeRole', principal: caller.arn, resource: { accountId: role.arn.split(':')[4]!, resource: role.arn }, contextVariables: {} },
    },
    {},
  );
  if (simulated.resultType === 'error') throw new Error(JSON.stringify(simulated.errors));
  return { path: role.assumedBy[0]!, canAssume: carol.canAssume.map((a) => a.role), evaluator: simulated.overallResult };
}

describe('a permissions boundary caps the caller side of a trust that names the caller', () => {
  it('across accounts, a boundary without sts:AssumeRole closes the way (and the evaluator denies it)', async () => {
    const { path, canAssume, evaluator } = await wayOf('arn:aws:iam::aws:policy/ReadOnlyAccess', 'prod');
    expect(evaluator).toBe('ImplicitlyDenied');
    expect(path.blockedBy).toEqual({ policy: 'arn:aws:iam::aws:policy/ReadOnlyAccess (permissions boundary)', source: { file: 'org.yaml', path: ['users', 0, 'permissionsBoundary'] } });
    expect(canAssume).toEqual([]);
  });

  it('across accounts, a boundary that allows sts:AssumeRole leaves it open', async () => {
    const { path, canAssume, evaluator } = await wayOf('arn:aws:iam::aws:policy/AdministratorAccess', 'prod');
    expect(evaluator).toBe('Allowed');
    expect(path.blockedBy).toBeUndefined();
    expect(canAssume).toEqual(['prod/reader']);
  });

  it('in its own account, a trust naming the user needs no identity side: the boundary does not close it', async () => {
    const { path, canAssume, evaluator } = await wayOf('arn:aws:iam::aws:policy/ReadOnlyAccess', 'identity');
    expect(evaluator).toBe('Allowed');
    expect(path.blockedBy).toBeUndefined();
    expect(canAssume).toEqual(['identity/reader']);
  });
});
