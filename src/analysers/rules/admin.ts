import type { PolicyStatement } from '../../model/accessModel';
import type { ActionCatalog } from '../../model/actionCatalog';
import type { EffectivePermissions } from '../effective';
import type { LabelledStatement } from '../identityPolicies';
import { actionMatches, hasConditions } from '../policyEvaluation';
import { adminBehindUnseenBoundary, fullAdminGrant } from './power';
import type { RuleContext, SecurityFinding, SecurityRule } from './rule';

const HEADER = 'accounts:\n  - name: main\n    id: "123456789012"\n';
const role = (name: string, body: string) => `${HEADER}roles:\n  - name: ${name}\n    trust:\n      - service: ec2.amazonaws.com\n${body}`;

/** Who a finding is about, as messages name it. */
export function holderName(e: EffectivePermissions): string {
  return `${e.principal.kind} ${e.principal.account}/${e.principal.name}`;
}

/** The policy a statement comes from, as a reader of the YAML knows it: a managed policy's name, or the YAML's own statements. */
export function policyName(labelled: LabelledStatement): string {
  const through = labelled.group !== undefined ? ` of group ${labelled.group}` : '';
  const managed = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(labelled.policy);
  if (managed) return `AWS managed policy ${managed[1]}${through}`;
  if (labelled.policy.startsWith('arn:')) return `managed policy ${labelled.policy}${through}`;
  return labelled.group !== undefined ? `the inline policy ${labelled.policy}${through}` : `its inline policy ${labelled.policy}`;
}

function subjectOf(e: EffectivePermissions): SecurityFinding['subject'] {
  return { kind: e.principal.kind, account: e.principal.account, name: e.principal.name };
}

/**
 * `*` on `*`, inline or through an AWS managed policy such as
 * AdministratorAccess, not cut by a boundary: the holder can do anything in
 * its account, including rewriting every policy. One finding per principal,
 * at the statement (or managedPolicies item) that grants it; the escalation
 * rules leave full admins to this one.
 */
export const FULL_ADMIN: SecurityRule = {
  id: 'full-admin',
  severity: 'warning',
  summary: 'A principal holds every action on every resource (`*` on `*`)',
  docs: {
    why:
      'A principal allowed `*` on `*` (written inline, or through AdministratorAccess or any policy that grants it) can do anything in its account: read and delete every resource, create users and keys, rewrite every policy, and so also every other principal that trusts it. A permissions boundary that lets less through cuts it: AdministratorAccess under a narrow boundary is not full admin.',
    fires: role('ops', '    managedPolicies: [AdministratorAccess]\n'),
    quiet: role('ops', '    permissionsBoundary: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\n    managedPolicies: [AdministratorAccess]\n'),
    fix: 'grant the actions the role needs (one role per task), or put a permissions boundary on it; a break-glass role that must be admin is accepted on purpose, with a reason.',
  },
  check: ({ effective }: RuleContext) =>
    effective.all.flatMap((e) => {
      const behind = adminBehindUnseenBoundary(e);
      if (behind) {
        return [
          {
            rule: 'full-admin',
            severity: 'warning' as const,
            message: `${holderName(e)} holds every action on every resource (* on *), granted by ${policyName(behind.grant)}, under the permissions boundary ${behind.boundary}, which rolecall cannot read: it is full admin in account ${e.principal.account} unless that boundary narrows it. Fix: grant only the actions it needs; accept it on purpose if the boundary is the guard`,
            source: behind.grant.statement.source,
            subject: subjectOf(e),
          },
        ];
      }
      const grant = fullAdminGrant(e);
      if (grant === undefined) return [];
      const when = hasConditions(grant.statement) ? ' (when its conditions hold)' : '';
      return [
        {
          rule: 'full-admin',
          severity: 'warning',
          message: `${holderName(e)} holds every action on every resource (* on *), granted by ${policyName(grant)}${when}: it can do anything in account ${e.principal.account}, rewrite every policy and create credentials for anyone. Fix: grant only the actions it needs, or add a permissions boundary; accept it on purpose for a break-glass role`,
          source: grant.statement.source,
          subject: subjectOf(e),
        },
      ];
    }),
};

/** The services whose every action on `*` is enough to take over the account or the organisation, and what their holder could do. */
const POWERFUL_SERVICES: ReadonlyArray<readonly [string, string]> = [
  ['iam', 'create users, access keys and roles, and attach any policy to itself or anyone: it can make itself admin'],
  ['sts', 'assume every role that trusts its account and get federation tokens: it acts as any of them'],
  ['kms', 'decrypt with every key, change key policies and schedule keys for deletion: it can read, or destroy, everything encrypted'],
  ['organizations', 'leave or change the organisation, its accounts and its service control policies: it can lift every guardrail'],
];

/**
 * Every action of IAM, STS, KMS or Organizations (`iam:*`, IAMFullAccess,
 * `*` counts too) on every resource, where the boundary lets it through.
 * Action lists only: an Allow with NotAction is allow-not-action's. Quiet
 * for a full admin: full-admin says it once.
 */
export const SERVICE_ADMIN: SecurityRule = {
  id: 'service-admin',
  severity: 'warning',
  summary: 'A principal holds every action of IAM, STS, KMS or Organizations on every resource',
  docs: {
    why:
      'Every action of one of these services on `*` is admin by another name: `iam:*` (as IAMFullAccess grants it) lets its holder attach AdministratorAccess to itself, `sts:*` assume every role that trusts the account, `kms:*` decrypt or destroy everything encrypted, `organizations:*` lift the guardrails of every account.',
    fires: role('iam-operator', '    managedPolicies: [IAMFullAccess]\n'),
    quiet: role('iam-operator', '    allow:\n      - actions: ["iam:*"]\n        resources: ["arn:aws:iam::123456789012:role/app/*"]\n'),
    fix: 'list the actions the task needs (iam:PassRole on one role, kms:Decrypt on one key), on the resources it needs; or accept it on purpose for the team that runs the service.',
  },
  check: ({ effective, catalog }: RuleContext) =>
    effective.all.flatMap((e) => {
      if (fullAdminGrant(e) !== undefined || adminBehindUnseenBoundary(e) !== undefined) return [];
      return POWERFUL_SERVICES.flatMap(([service, impact]) => {
        const grant = wholeServiceGrant(e, service, catalog);
        if (grant === undefined) return [];
        return [
          {
            rule: 'service-admin',
            severity: 'warning',
            message: `${holderName(e)} holds every ${service} action on every resource (${service}:* on *), granted by ${policyName(grant)}: it can ${impact}. Fix: list the ${service} actions it needs, on the resources it needs, or accept it on purpose`,
            source: grant.statement.source,
            subject: subjectOf(e),
          } satisfies SecurityFinding,
        ];
      });
    }),
};

/** The first Allow that lists a pattern covering every action of `service` on `*`, when the whole service gets through (boundary, denies). */
function wholeServiceGrant(e: EffectivePermissions, service: string, catalog: ActionCatalog): LabelledStatement | undefined {
  // The literal `iam:*` stands for the whole service: only a pattern that covers every name matches it.
  if (e.decide(`${service}:*`, '*').outcome !== 'allowed') return undefined;
  return e.policies.statements.find(({ statement }) => statement.effect === 'Allow' && onEverything(statement) && (statement.actions ?? []).some((p) => coversService(p, service, catalog)));
}

function onEverything(statement: PolicyStatement): boolean {
  return statement.notResources === undefined && (statement.resources ?? []).includes('*');
}

/** A pattern covers a whole service when it matches every action the catalog knows of it (and any name, when the catalog has not loaded it). */
function coversService(pattern: string, service: string, catalog: ActionCatalog): boolean {
  if (!actionMatches(pattern, `${service}:*`)) return false;
  const actions = catalog.actions(service);
  return actions === undefined || actions.every((a) => actionMatches(pattern, `${service}:${a.name}`));
}
