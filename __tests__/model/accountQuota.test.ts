import type { Diagnostic } from '../../src/diagnostics/diagnostic';
import type { User } from '../../src/model/accessModel';
import { checkLimits, LIMITS } from '../../src/model/limits';

/** Just what checkLimits reads of a user. */
function user(account: string, index: number): User {
  return { name: `u${index}`, account, inlinePolicies: [], managedPolicies: [], source: { file: `${account}.yaml`, path: ['users', index] } } as unknown as User;
}

describe('account quotas, counted per account', () => {
  it('reports each account over its quota once, at its first principal over the limit, and no account under it', () => {
    const over = Array.from({ length: LIMITS.usersPerAccount + 2 }, (_, i) => user('big', i));
    const under = Array.from({ length: LIMITS.usersPerAccount }, (_, i) => user('small', i));
    // Interleaved, as several files would give them.
    const users = over.flatMap((u, i) => (under[i] ? [u, under[i]!] : [u]));
    const diagnostics: Diagnostic[] = [];
    checkLimits(users, [], () => undefined, diagnostics);
    expect(diagnostics.map((d) => [d.rule, d.message, d.source])).toEqual([
      ['account-quota', `account big would hold ${LIMITS.usersPerAccount + 2} users; IAM allows ${LIMITS.usersPerAccount} (a fixed IAM quota)`, { file: 'big.yaml', path: ['users', LIMITS.usersPerAccount, 'name'] }],
    ]);
  });
});
