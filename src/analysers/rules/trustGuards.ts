import type { Grant } from '../../model/accessModel';
import { principalKey } from '../effective';
import type { RuleContext, SecurityFinding, SecurityRule } from './rule';
import { sendsSourceContext } from './serviceSourceSupport';
import { guardSource, roleName, roleSubject } from './trustEntry';

/**
 * Trust entries whose guard is missing or guards nothing: an account root of
 * the role's own account with no condition, a service without the
 * confused-deputy guard, a `sourceIp` range that admits most of the internet.
 */

const HEADER = 'accounts:\n  - name: prod\n    id: "222222222222"\n';

/** At most this many names are listed in a message; the rest are counted. */
const LISTED = 3;

export const accountRootTrust: SecurityRule = {
  id: 'account-root-trust',
  severity: 'warning',
  summary: 'a trust in the role’s own account root without mfa, sourceIp or expires',
  docs: {
    why: 'Trusting the account root delegates the decision to the account: every user and role of it whose own policy allows sts:AssumeRole on the role (an `sts:AssumeRole` on `*`, `sts:*`, `*`) gets in, today and whenever someone later writes such a policy. Without mfa, sourceIp or expires nothing narrows who or when. (An account outside the config already needs an externalId.)',
    fires: `${HEADER}roles:\n  - name: deploy\n    trust:\n      - account: prod\n    managedPolicies: [ReadOnlyAccess]\n`,
    quiet: `${HEADER}roles:\n  - name: deploy\n    trust:\n      - account: prod\n        mfa: true\n    managedPolicies: [ReadOnlyAccess]\n`,
    fix: 'Name who may assume the role (`user:`/`users:`, `role:`/`roles:`): rolecall then writes both sides. Or guard the account trust with `mfa`, `sourceIp` or `expires`. An externalId does not count: anyone who can read the trust policy reads it. Accept it on the role when the delegation is on purpose.',
  },
  check: ({ model, effective }: RuleContext) =>
    model.grants
      .filter((g) => g.grantee.kind === 'account' && g.grantee.account === g.role.account && !guarded(g))
      .map((grant): SecurityFinding => {
        const callers = effective.ways
          .filter((w) => w.grant === grant && w.via === 'identity-policy' && w.blockedBy === undefined && w.caller !== undefined)
          .map((w) => principalKey(w.caller!).replace(':', ' '));
        const today = callers.length === 0 ? 'none of this config’s principals does today' : `today: ${listed(callers)}`;
        return {
          rule: 'account-root-trust',
          severity: 'warning',
          message: `${roleName(grant.role)} trusts its own account ${grant.role.account} with no mfa, sourceIp or expires: every principal of the account whose own policy allows sts:AssumeRole on it gets in (${today}). Fix: name the users or roles that may assume it (user:, role:), or add mfa, sourceIp or expires to this entry`,
          source: grant.source,
          subject: roleSubject(grant),
        };
      }),
};

function guarded(grant: Grant): boolean {
  const { mfa, sourceIp, expires } = grant.conditions;
  return mfa !== undefined || sourceIp !== undefined || expires !== undefined;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths'];

export const serviceWithoutSource: SecurityRule = {
  id: 'service-without-source',
  severity: 'warning',
  summary: 'a service trust without sourceAccount or sourceArn, for a service that sends them',
  docs: {
    why: 'A service principal is shared by every AWS customer. Without aws:SourceAccount or aws:SourceArn in the trust, the service may be made to assume this role on behalf of a resource of another account (the cross-service confused deputy): whoever configures that resource acts with this role’s permissions. Services that never send the keys (EC2 for instance profiles, and a few others rolecall lists) are not reported.',
    fires: `${HEADER}roles:\n  - name: ingest\n    trust:\n      - service: lambda.amazonaws.com\n    allow:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::ingest-bucket/*"]\n`,
    quiet: `${HEADER}roles:\n  - name: ingest\n    trust:\n      - service: lambda.amazonaws.com\n        sourceAccount: prod\n    allow:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::ingest-bucket/*"]\n`,
    fix: 'Add `sourceAccount:` (the account whose resources use the role) or `sourceArn:` (the resource, wildcards allowed) to the entry.',
  },
  check: ({ model }: RuleContext) =>
    model.grants.flatMap((grant): SecurityFinding[] => {
      if (grant.grantee.kind !== 'service' || !sendsSourceContext(grant.grantee.service)) return [];
      const keys = Object.values(grant.conditionBlock).flatMap((block) => Object.keys(block).map((k) => k.toLowerCase()));
      if (keys.some((k) => SOURCE_KEYS.includes(k))) return [];
      return [
        {
          rule: 'service-without-source',
          severity: 'warning',
          message: `${roleName(grant.role)} trusts ${grant.grantee.service} without sourceAccount or sourceArn: the service can be made to assume it for a resource of any AWS account, whose owner then acts with this role’s permissions (the confused deputy). Fix: add sourceAccount: ${grant.role.account} or a sourceArn for the resources that use the role`,
          source: grant.source,
          subject: roleSubject(grant),
        },
      ];
    }),
};

/**
 * The widest ranges taken as somebody's own addresses. IPv4: a /8, the
 * largest block ever assigned to one organisation. IPv6: a /16; IANA hands
 * the regional registries /12s and the largest allocations to one network
 * are around /19, so a prefix shorter than /16 covers several registries'
 * worth of networks (an ISP's standard allocation is a /32, a site's a /48).
 */
const NARROWEST_WIDE = { ipv4: 8, ipv6: 16 } as const;

export const sourceIpWide: SecurityRule = {
  id: 'source-ip-wide',
  severity: 'warning',
  summary: 'a sourceIp range wider than /8 (IPv4) or /16 (IPv6), or every address',
  docs: {
    why: 'sourceIp is meant to say "only from our addresses". A range wider than an IPv4 /8 or an IPv6 /16 (and 0.0.0.0/0 or ::/0 above all) admits a large part of the internet, so the guard guards nothing while the YAML reads as if it did.',
    fires: `${HEADER}users:\n  - name: alice\nroles:\n  - name: deploy\n    trust:\n      - user: alice\n        sourceIp: [0.0.0.0/0]\n`,
    quiet: `${HEADER}users:\n  - name: alice\nroles:\n  - name: deploy\n    trust:\n      - user: alice\n        sourceIp: [203.0.113.0/24, "2001:db8::/32"]\n`,
    fix: 'List the office, VPN or NAT ranges the callers really use; drop sourceIp if there is no such range.',
  },
  check: ({ model }: RuleContext) => {
    const findings: SecurityFinding[] = [];
    // One entry may yield several grants (`users: [a, b]`): report its ranges once.
    const seen = new Set<string>();
    for (const grant of model.grants) {
      (grant.conditions.sourceIp ?? []).forEach((range, index) => {
        const width = wideness(range);
        if (width === undefined) return;
        const source = guardSource(grant, 'sourceIp', index);
        const key = `${source.file}:${source.path.join('.')}`;
        if (seen.has(key)) return;
        seen.add(key);
        findings.push({
          rule: 'source-ip-wide',
          severity: 'warning',
          message: `sourceIp ${range} on the trust of ${roleName(grant.role)} ${width}, so it guards nothing. Fix: list the ranges the callers really use (an office, VPN or NAT range), or remove sourceIp`,
          source,
          subject: roleSubject(grant),
        });
      });
    }
    return findings;
  },
};

/** Why a CIDR range is too wide to guard anything, or undefined when it is narrow enough. */
export function wideness(range: string): string | undefined {
  const slash = range.indexOf('/');
  const ipv6 = range.includes(':');
  if (slash === -1) return undefined; // one address
  const prefix = Number(range.slice(slash + 1));
  if (prefix === 0) return 'matches every address';
  const bound = ipv6 ? NARROWEST_WIDE.ipv6 : NARROWEST_WIDE.ipv4;
  return prefix < bound ? `is wider than a /${bound} (${ipv6 ? 'IPv6' : 'IPv4'}): it admits a large part of the internet` : undefined;
}

export const TRUST_GUARD_RULES: readonly SecurityRule[] = [accountRootTrust, serviceWithoutSource, sourceIpWide];
