import type { AccessModel, Grant, PolicyStatement, Role, User } from '../model/accessModel';
import { principalKey } from './reach';
import { groupsOf, identityPolicies, type IdentityPolicies, type LabelledStatement } from './identityPolicies';
import { decide, statementMatches } from './policyEvaluation';

/**
 * Every way into every role: the trust grants themselves, and for a trust
 * in a managed account, each principal of that account whose own policies
 * allow it to call sts:AssumeRole on the role (IAM needs both sides then).
 * A trust that names a principal directly is checked against that
 * principal's Deny statements, which can block it.
 */
export interface WayIn {
  readonly role: Grant['role'];
  readonly grant: Grant;
  /** `trust`: the grant itself admits the grantee; `identity-policy`: a principal of a trusted account, by its own policy. */
  readonly via: 'trust' | 'identity-policy';
  /** The user or role that calls AssumeRole, when it is one of the model's principals. */
  readonly caller?: Caller;
  /** The statement of the caller's own policies that allows the call (identity-policy ways). */
  readonly allowedBy?: LabelledStatement;
  /** The caller's Deny statements with conditions: the call is refused when they hold. */
  readonly refusedWhen: readonly LabelledStatement[];
  /** A Deny of the caller's without conditions: this way is closed. */
  readonly blockedBy?: LabelledStatement;
  /** `possible`: only policies rolecall cannot see (named in `unseen`) could open or close it. */
  readonly certainty: 'sure' | 'possible';
  readonly unseen: readonly string[];
}

export interface Caller {
  readonly kind: 'user' | 'role';
  readonly account: string;
  readonly name: string;
  readonly arn: string;
}

const ASSUME = 'sts:AssumeRole';

export function waysIn(model: AccessModel): WayIn[] {
  const principals = principalsByAccount(model);
  const managedAccounts = new Set(model.stacks.map((s) => s.account));
  const ways: WayIn[] = [];
  for (const grant of model.grants) {
    const grantee = grant.grantee;
    switch (grantee.kind) {
      case 'user':
      case 'role': {
        const caller = principals.byKey.get(principalKey(grantee));
        ways.push(caller ? directWay(grant, caller) : { role: grant.role, grant, via: 'trust', refusedWhen: [], certainty: 'sure', unseen: [] });
        break;
      }
      case 'account':
        ways.push({ role: grant.role, grant, via: 'trust', refusedWhen: [], certainty: 'sure', unseen: [] });
        if (managedAccounts.has(grantee.account) && grant.actions.includes(ASSUME)) {
          for (const caller of principals.mayAssume.get(grantee.account) ?? []) {
            const way = identityWay(grant, caller);
            if (way) ways.push(way);
          }
        }
        break;
      case 'service':
      case 'web-identity':
      case 'saml':
        ways.push({ role: grant.role, grant, via: 'trust', refusedWhen: [], certainty: 'sure', unseen: [] });
        break;
    }
  }
  return ways;
}

interface PrincipalPolicies {
  readonly caller: Caller;
  readonly policies: IdentityPolicies;
  /** The statements that can bear on sts:AssumeRole at all: the only ones worth matching against each role. */
  readonly assumeStatements: readonly LabelledStatement[];
  /** Of those, the Deny statements: all a direct way needs (rolecall writes its allow). */
  readonly assumeDenies: readonly PolicyStatement[];
}

function principalsByAccount(model: AccessModel) {
  const byAccount = new Map<string, PrincipalPolicies[]>();
  const byKey = new Map<string, PrincipalPolicies>();
  const all: (User | Role)[] = [...model.users, ...model.roles];
  const groups = groupsOf(model);
  for (const principal of all) {
    // A group's policies (its AssumeRole grants included) are its members' own.
    const policies = identityPolicies(principal, groups(principal));
    const assumeStatements = policies.statements.filter((s) => bearsOnAssume(s.statement));
    const entry: PrincipalPolicies = {
      caller: { kind: principal.kind, account: principal.account, name: principal.name, arn: principal.arn },
      policies,
      assumeStatements,
      assumeDenies: assumeStatements.map((s) => s.statement).filter((s) => s.effect === 'Deny'),
    };
    byKey.set(principalKey(principal), entry);
    // Appended in place: copying the list for every principal was quadratic in an account's size.
    const inAccount = byAccount.get(principal.account);
    if (inAccount) inAccount.push(entry);
    else byAccount.set(principal.account, [entry]);
  }
  // Only those whose policies can bear on sts:AssumeRole, or that rolecall cannot fully see, can open a way themselves.
  const mayAssume = new Map([...byAccount].map(([account, list]) => [account, list.filter((p) => p.assumeStatements.length > 0 || p.policies.unseen.length > 0)]));
  return { byAccount, byKey, mayAssume };
}

/** Whether the statement's actions can cover sts:AssumeRole, whatever its resources. */
function bearsOnAssume(statement: PolicyStatement): boolean {
  return statementMatches({ ...statement, resources: ['*'], notResources: undefined }, ASSUME, '*', 'allow');
}

function labelled(principal: PrincipalPolicies, statement: PolicyStatement | undefined): LabelledStatement | undefined {
  return statement === undefined ? undefined : principal.assumeStatements.find((s) => s.statement === statement);
}

function directWay(grant: Grant, principal: PrincipalPolicies): WayIn {
  // Only the caller's denies can close a way the trust names it in: matching its allows too (one
  // AssumeRole statement listing every role it may assume) made each way cost as much as all of them.
  const decision = decide(principal.assumeDenies, ASSUME, grant.role.arn);
  const blockedBy = labelled(principal, decision.deny) ?? boundaryBlock(grant, principal);
  return {
    role: grant.role,
    grant,
    via: 'trust',
    caller: principal.caller,
    refusedWhen: decision.conditionalDenies.map((d) => labelled(principal, d)!),
    ...(blockedBy ? { blockedBy } : {}),
    certainty: 'sure',
    unseen: principal.policies.unseen,
  };
}

/**
 * Across accounts IAM asks the caller's side too, and a permissions boundary
 * caps it: one that does not allow sts:AssumeRole on the role closes the way.
 * (In its own account a trust naming the principal needs no identity side.)
 */
function boundaryBlock(grant: Grant, principal: PrincipalPolicies): LabelledStatement | undefined {
  const boundary = principal.policies.boundary;
  if (!boundary?.statements || accountIdOf(grant.role.arn) === accountIdOf(principal.caller.arn)) return undefined;
  if (decide(boundary.statements, ASSUME, grant.role.arn).outcome === 'allowed') return undefined;
  const source = { ...principal.policies.source, path: [...principal.policies.source.path, 'permissionsBoundary'] };
  return { statement: { effect: 'Deny', actions: [ASSUME], resources: [grant.role.arn], source }, policy: `${boundary.arn} (permissions boundary)` };
}

function accountIdOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** A principal of a trusted managed account, if its own policies (and boundary) let it call AssumeRole on the role. */
function identityWay(grant: Grant, principal: PrincipalPolicies): WayIn | undefined {
  const { policies } = principal;
  if (principal.assumeStatements.length === 0 && policies.unseen.length === 0) return undefined;
  const decision = decide(principal.assumeStatements.map((s) => s.statement), ASSUME, grant.role.arn);
  if (decision.outcome === 'denied') return undefined;
  if (policies.boundary?.statements && decide(policies.boundary.statements, ASSUME, grant.role.arn).outcome !== 'allowed') return undefined;
  const base = {
    role: grant.role,
    grant,
    via: 'identity-policy' as const,
    caller: principal.caller,
    refusedWhen: decision.conditionalDenies.map((d) => labelled(principal, d)!),
    unseen: policies.unseen,
  };
  if (decision.outcome === 'allowed') {
    // Seen policies allow it; an unseen boundary could still forbid it.
    const unseenBoundary = policies.boundary !== undefined && policies.boundary.statements === undefined;
    return { ...base, allowedBy: labelled(principal, decision.allow)!, certainty: unseenBoundary ? 'possible' : 'sure' };
  }
  // Nothing seen allows it, but a policy rolecall cannot read might.
  return policies.unseen.length > 0 ? { ...base, certainty: 'possible' } : undefined;
}
