/**
 * A generated organisation for the benchmarks and the golden test: IAM
 * users in an identity account, roles spread over the workload accounts,
 * each role trusting two users (a third of them with MFA); a tenth of the
 * users with `requireMfa`, half the roles with `s3ReadOnly: all`, half with
 * an inline statement. Written as YAML files of 1,000 entries.
 */
import { stringify } from 'yaml';

export interface OrganisationShape {
  readonly users: number;
  readonly roles: number;
  /** The identity account and `accounts - 1` workload accounts. */
  readonly accounts: number;
}

/** Half users, half roles, over ten accounts: the shape of `npm run bench -- N`. */
export function shapeOf(principals: number): OrganisationShape {
  const users = Math.floor(principals / 2);
  return { users, roles: principals - users, accounts: 10 };
}

export interface Account {
  readonly name: string;
  readonly id: string;
  readonly quotas?: { readonly rolesPerAccount: number };
}

/** IAM's fixed quota of users per account, and the most roles an account can be raised to. */
const USERS_PER_ACCOUNT = 5000;
const DEFAULT_ROLES_PER_ACCOUNT = 1000;
const MAX_ROLES_PER_ACCOUNT = 5000;

export interface UserEntry {
  readonly name: string;
  readonly account: string;
  readonly requireMfa: boolean;
}

export interface RoleEntry {
  readonly name: string;
  readonly account: string;
  readonly trust: readonly [{ readonly users: readonly [string, string]; readonly mfa: boolean }];
  readonly s3ReadOnly?: 'all';
  readonly allow?: readonly [{ readonly actions: readonly string[]; readonly resources: readonly string[] }];
}

/** The organisation as data: what both the YAML files and the hand-written CDKTF baseline are made from. */
export interface Organisation {
  readonly accounts: readonly Account[];
  readonly users: readonly UserEntry[];
  readonly roles: readonly RoleEntry[];
}

/**
 * Users fill identity accounts of 5,000 (IAM's quota: `identity`, then
 * `identity-2`, ...); the other accounts are workload accounts, with their
 * role quota raised when they hold more than 1,000 roles.
 */
export function organisation(shape: OrganisationShape): Organisation {
  const identities = Math.max(1, Math.ceil(shape.users / USERS_PER_ACCOUNT));
  const workloads = shape.accounts - identities;
  const rolesPerWorkload = Math.ceil(shape.roles / workloads);
  if (workloads < 1 || rolesPerWorkload > MAX_ROLES_PER_ACCOUNT) throw new Error(`${shape.accounts} accounts cannot hold ${shape.users} users and ${shape.roles} roles`);
  const identityName = (k: number) => (k === 0 ? 'identity' : `identity-${k + 1}`);
  const quotas = rolesPerWorkload > DEFAULT_ROLES_PER_ACCOUNT ? { quotas: { rolesPerAccount: MAX_ROLES_PER_ACCOUNT } } : {};
  const accounts = [
    ...Array.from({ length: identities }, (_, k) => ({ name: identityName(k), id: String(100000000000 + (k === 0 ? 0 : 100 + k)) })),
    ...Array.from({ length: workloads }, (_, i) => ({ name: `workload-${i + 1}`, id: String(100000000001 + i), ...quotas })),
  ];
  const userAccount = (i: number) => identityName(Math.floor(i / USERS_PER_ACCOUNT));
  const users = Array.from({ length: shape.users }, (_, i) => ({ name: `user-${i}`, account: userAccount(i), requireMfa: i % 10 === 0 }));
  const userRef = (i: number) => `${userAccount(i)}/user-${i}`;
  const roles = Array.from({ length: shape.roles }, (_, i): RoleEntry => ({
    name: `role-${i}`,
    account: `workload-${(i % workloads) + 1}`,
    trust: [{ users: [userRef(i % shape.users), userRef((i * 7 + 1) % shape.users)], mfa: i % 3 === 0 }],
    ...(i % 2 === 0 ? { s3ReadOnly: 'all' as const } : { allow: [{ actions: ['s3:GetObject', 's3:List*'], resources: [`arn:aws:s3:::bucket-${i}/*`] }] as const }),
  }));
  return { accounts, users, roles };
}

/** The organisation's config files: relative path → YAML text. */
export function organisationFiles(org: Organisation): Record<string, string> {
  const files: Record<string, string> = { 'accounts.yaml': stringify({ accounts: org.accounts }) };
  for (let chunk = 0; chunk * 1000 < org.users.length; chunk++) {
    files[`people/users-${chunk}.yaml`] = stringify({ users: org.users.slice(chunk * 1000, (chunk + 1) * 1000) });
  }
  for (let chunk = 0; chunk * 1000 < org.roles.length; chunk++) {
    files[`roles/roles-${chunk}.yaml`] = stringify({ roles: org.roles.slice(chunk * 1000, (chunk + 1) * 1000) });
  }
  return files;
}
