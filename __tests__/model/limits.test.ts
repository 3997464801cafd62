import { stringify } from 'yaml';
import { compileYaml } from '../support/compileYaml';

const accounts = (quotas?: Record<string, number>) => [{ name: 'main', id: '123456789012', ...(quotas ? { quotas } : {}) }];
const roles = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `role-${String(i).padStart(4, '0')}`, trust: [{ service: 'ec2.amazonaws.com' }] }));

describe('IAM quotas', () => {
  it('refuses more roles than the account allows, and takes a raised quota', async () => {
    const over = await compileYaml({ 'org.yaml': stringify({ accounts: accounts(), roles: roles(1001) }) });
    expect(over.errors.map((f) => [f.rule, f.message])).toEqual([['account-quota', expect.stringContaining('1001 roles; IAM allows 1000')]]);
    const raised = await compileYaml({ 'org.yaml': stringify({ accounts: accounts({ rolesPerAccount: 2000 }), roles: roles(1001) }) });
    expect(raised.errors).toEqual([]);
  });

  it('counts a trust policy against the raised limit when there is one', async () => {
    const users = Array.from({ length: 40 }, (_, i) => ({ name: `engineer-with-a-long-name-${i}` }));
    const role = { name: 'shared', trust: [{ users: users.map((u) => u.name) }] };
    const base = await compileYaml({ 'org.yaml': stringify({ accounts: accounts(), users, roles: [role] }) });
    expect(base.errors.map((f) => f.rule)).toEqual(['trust-policy-size']);
    const raised = await compileYaml({ 'org.yaml': stringify({ accounts: accounts({ trustPolicySize: 4096 }), users, roles: [role] }) });
    expect(raised.errors).toEqual([]);
  });
});
