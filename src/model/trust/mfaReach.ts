import { error, type Diagnostic, type SourceRef } from '../../diagnostics/diagnostic';
import type { Grant, Grantee } from '../accessModel';
import { principalKey } from '../registry';

/** A `role:`/`roles:` grant that asks for MFA: possible only if the source role's sessions can carry it. */
export interface MfaDemand {
  readonly grant: Grant;
  /** The entry's `mfa` key. */
  readonly source: SourceRef;
}

/**
 * Roles whose sessions may carry aws:MultiFactorAuthPresent: those trusted by
 * a user or an account (whose users may sign in with MFA), and those trusted
 * by such a role. SAML, OIDC, GitHub, Cognito and service sessions never
 * carry it. Keyed by `account/name`.
 */
export function mfaCapableRoles(grants: readonly Grant[]): Set<string> {
  const chainedFrom = new Map<string, string[]>();
  const capable = new Set<string>();
  const queue: string[] = [];
  for (const grant of grants) {
    const role = principalKey(grant.role.account, grant.role.name);
    const { grantee } = grant;
    if (grantee.kind === 'role') {
      const source = principalKey(grantee.account, grantee.name);
      chainedFrom.set(source, [...(chainedFrom.get(source) ?? []), role]);
    } else if (carriesMfa(grantee) && !capable.has(role)) {
      capable.add(role);
      queue.push(role);
    }
  }
  // Breadth first along role chaining: each role is visited once.
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const role of chainedFrom.get(next) ?? []) {
      if (capable.has(role)) continue;
      capable.add(role);
      queue.push(role);
    }
  }
  return capable;
}

function carriesMfa(grantee: Grantee): boolean {
  switch (grantee.kind) {
    case 'user':
    case 'account':
      return true;
    case 'role': // decided by the fixpoint
    case 'service':
    case 'web-identity':
    case 'saml':
      return false;
  }
}

/** `role: X` with `mfa` where X's sessions can never carry MFA: the grant could never be used. */
export function unsatisfiableMfa(demands: readonly MfaDemand[], grants: readonly Grant[]): Diagnostic[] {
  const capable = mfaCapableRoles(grants);
  const into = new Map<string, Grant[]>();
  for (const grant of grants) {
    const role = principalKey(grant.role.account, grant.role.name);
    into.set(role, [...(into.get(role) ?? []), grant]);
  }
  return demands.flatMap(({ grant, source }) => {
    if (grant.grantee.kind !== 'role') return [];
    const from = principalKey(grant.grantee.account, grant.grantee.name);
    // A role nothing may assume is reported where its trust fails; MFA adds nothing to that.
    if (capable.has(from) || !into.has(from)) return [];
    return [
      error(
        'mfa-not-applicable',
        `${from} is ${reachedThrough(from, into, new Set())}, whose sessions never carry aws:MultiFactorAuthPresent, so this trust could never be used: remove mfa here and enforce MFA where people sign in, or let ${from} be assumed by a user with MFA`,
        source,
      ),
    ];
  });
}

/** "reached only through SAML provider okta": how a role is assumed, along the chain, each role once. */
function reachedThrough(role: string, into: ReadonlyMap<string, readonly Grant[]>, seen: Set<string>): string {
  seen.add(role);
  const ways = [...new Set((into.get(role) ?? []).map((g) => way(g, into, seen)))].sort();
  return ways.length === 0 ? 'assumed by nothing' : `reached only through ${ways.join(' and ')}`;
}

function way(grant: Grant, into: ReadonlyMap<string, readonly Grant[]>, seen: Set<string>): string {
  const { grantee } = grant;
  switch (grantee.kind) {
    case 'role': {
      const key = principalKey(grantee.account, grantee.name);
      return seen.has(key) ? `role ${key}` : `role ${key} (itself ${reachedThrough(key, into, seen)})`;
    }
    case 'saml':
      return `SAML provider ${grantee.provider}`;
    case 'web-identity':
      return grant.trustKind === 'github'
        ? `GitHub Actions (OIDC provider ${grantee.provider})`
        : grant.trustKind === 'cognito'
          ? `Cognito identity pool ${grantee.audiences.join(', ')}`
          : `OIDC provider ${grantee.provider}`;
    case 'service':
      return `service ${grantee.service}`;
    case 'user':
    case 'account':
      // Not reached: their sessions may carry MFA, so the role would be capable.
      return `${grantee.kind} ${grantee.account}`;
  }
}
