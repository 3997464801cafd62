/**
 * privesc-assume-role on roles of the config: only a way the holder opens
 * with its own policy counts (a trust that names it is intended access), and
 * finding those must not cost a comparison per role per holder (it runs on
 * every validate).
 */
import { stringify } from 'yaml';
import { securityFindings } from '../../../src/analysers/rules';
import { compileYaml } from '../../support/compileYaml';

const ACCOUNTS = `accounts:
  - name: identity
    id: "111111111111"
  - name: prod
    id: "222222222222"
`;

const admin = (trust: string) => `roles:
  - name: break-glass
    account: prod
    trust:
${trust}    managedPolicies: [AdministratorAccess]
`;

const ops = `users:
  - name: ops
    account: identity
    allow:
      - actions: [sts:AssumeRole]
        resources: ["arn:aws:iam::222222222222:role/break-glass"]
`;

async function assumeFindings(yaml: string) {
  const result = await compileYaml({ 'org.yaml': ACCOUNTS + yaml });
  return securityFindings(result.model!, result.catalog!).filter((f) => f.rule === 'privesc-assume-role');
}

describe('privesc-assume-role on a role of the config', () => {
  it('scoped to that one role, which trusts the holder\'s account: the holder opens the way itself, an escalation naming it', async () => {
    const found = await assumeFindings(ops + admin('      - account: identity\n'));
    expect(found.map((f) => [f.subject.name, f.severity])).toEqual([['ops', 'error']]);
    expect(found[0]!.message).toMatch(/through role prod\/break-glass/);
  });

  it('the same role trusting ops by name: intended access, no escalation', async () => {
    expect(await assumeFindings(ops + admin('      - user: identity/ops\n'))).toEqual([]);
  });

  it('a user whose trusts name 3,000 roles: found in linear time', async () => {
    const roles = Array.from({ length: 3000 }, (_, i) => ({ name: `role-${i}`, account: 'prod', trust: [{ user: 'identity/alice' }] }));
    const result = await compileYaml({ 'org.yaml': ACCOUNTS + stringify({ users: [{ name: 'alice', account: 'identity' }], roles }) });
    const started = performance.now();
    const found = securityFindings(result.model!, result.catalog!);
    // Comparing alice's 3,000 ARNs with each of 3,000 roles took about 7 s.
    expect(performance.now() - started).toBeLessThan(2500);
    expect(found.filter((f) => f.rule === 'privesc-assume-role')).toEqual([]);
  }, 60_000);
});
