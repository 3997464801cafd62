import { at, error, type Diagnostic } from '../diagnostics/diagnostic';
import type { AccountConfig } from '../schema/configSchema';
import type { Group, Role, User } from './accessModel';
import { policySize } from './renderPolicy';

/** IAM quotas (iam-facts.md); the adjustable ones can be raised per account under `quotas:`. */
export const LIMITS = {
  userInlinePolicies: 2048,
  roleInlinePolicies: 10240,
  trustPolicy: 2048,
  managedPoliciesPerRole: 10,
  managedPoliciesPerUser: 10,
  rolesPerAccount: 1000,
  usersPerAccount: 5000,
  groupInlinePolicies: 5120,
  managedPoliciesPerGroup: 10,
  groupsPerAccount: 300,
} as const;

/** IAM counts all of a principal's inline policies together against one size limit. */
function checkInlineSize(principal: User | Role | Group, limit: number, advice: string, diagnostics: Diagnostic[]): void {
  const size = principal.inlinePolicies.reduce((sum, p) => sum + policySize(p.json), 0);
  if (size <= limit) return;
  diagnostics.push(
    error(
      'policy-size',
      `${principal.kind} ${principal.name}'s inline policies come to ${size} characters; IAM allows ${limit} for all of a ${principal.kind}'s inline policies together (${sizes(principal.inlinePolicies)}): ${advice}`,
      at(principal.source, 'name'),
    ),
  );
}

/** Groups' quotas: all fixed in IAM. */
export function checkGroupLimits(groups: readonly Group[], diagnostics: Diagnostic[]): void {
  countPerAccount(groups, 'groups', () => LIMITS.groupsPerAccount, 'a fixed IAM quota', diagnostics);
  for (const group of groups) {
    checkInlineSize(group, LIMITS.groupInlinePolicies, 'split the group or use wildcards', diagnostics);
    if (group.managedPolicies.length > LIMITS.managedPoliciesPerGroup) {
      diagnostics.push(
        error(
          'managed-policy-count',
          `group ${group.name} has ${group.managedPolicies.length} managed policies; IAM allows ${LIMITS.managedPoliciesPerGroup} per group, a fixed quota: split the group`,
          { ...at(group.source, 'managedPolicies'), at: 'key' },
        ),
      );
    }
  }
}

export function checkLimits(
  users: readonly User[],
  roles: readonly Role[],
  quotas: (account: string) => AccountConfig['quotas'],
  diagnostics: Diagnostic[],
): void {
  countPerAccount(users, 'users', () => LIMITS.usersPerAccount, 'a fixed IAM quota', diagnostics);
  countPerAccount(roles, 'roles', (account) => quotas(account)?.rolesPerAccount ?? LIMITS.rolesPerAccount, 'quotas.rolesPerAccount raises it, up to 5000', diagnostics);
  for (const user of users) {
    checkInlineSize(user, LIMITS.userInlinePolicies, 'move permissions to a role the user assumes', diagnostics);
    const maxManaged = quotas(user.account)?.managedPoliciesPerUser ?? LIMITS.managedPoliciesPerUser;
    if (user.managedPolicies.length > maxManaged) {
      diagnostics.push(error('managed-policy-count', `user ${user.name} has ${user.managedPolicies.length} managed policies; the account allows ${maxManaged}`, at(user.source, 'name')));
    }
  }
  for (const role of roles) {
    checkInlineSize(role, LIMITS.roleInlinePolicies, 'split the role or use wildcards', diagnostics);
    const trustLimit = quotas(role.account)?.trustPolicySize ?? LIMITS.trustPolicy;
    const trustSize = policySize(role.trustPolicyJson);
    if (trustSize > trustLimit) {
      diagnostics.push(
        error(
          'trust-policy-size',
          `role ${role.name}'s trust policy is ${trustSize} characters; the account allows ${trustLimit} (raise it to at most 4096 with AWS support and set quotas.trustPolicySize on the account, or trust fewer principals)`,
          { ...at(role.source, 'trust'), at: 'key' },
        ),
      );
    }
    const maxManaged = quotas(role.account)?.managedPoliciesPerRole ?? LIMITS.managedPoliciesPerRole;
    if (role.managedPolicies.length > maxManaged) {
      diagnostics.push(
        error(
          'managed-policy-count',
          `role ${role.name} has ${role.managedPolicies.length} managed policies; the account allows ${maxManaged} (quotas.managedPoliciesPerRole raises it, up to 25)`,
          { ...at(role.source, 'managedPolicies'), at: 'key' },
        ),
      );
    }
  }
}

function sizes(policies: readonly { name: string; json: string }[]): string {
  return policies.map((p) => `${p.name} ${policySize(p.json)}`).join(', ');
}

function countPerAccount(
  principals: readonly (User | Role | Group)[],
  what: 'users' | 'roles' | 'groups',
  limit: (account: string) => number,
  remedy: string,
  diagnostics: Diagnostic[],
): void {
  // Push into the account's list: a copy per principal made this quadratic (67,000 users took 42 s).
  const byAccount = new Map<string, (User | Role | Group)[]>();
  for (const p of principals) {
    const list = byAccount.get(p.account);
    if (list) list.push(p);
    else byAccount.set(p.account, [p]);
  }
  for (const [account, list] of byAccount) {
    const max = limit(account);
    if (list.length > max) {
      // Reported at the first principal over the limit, in the model's (name) order.
      diagnostics.push(error('account-quota', `account ${account} would hold ${list.length} ${what}; IAM allows ${max} (${remedy})`, at(list[max]!.source, 'name')));
    }
  }
}
