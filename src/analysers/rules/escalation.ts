import type { AccessModel, Group, Role } from '../../model/accessModel';
import type { EffectiveIndex, EffectivePermissions } from '../effective';
import { coversResource, principalKey } from '../effective';
import { actionMatches, resourceMatches } from '../policyEvaluation';
import type { ActionCatalog } from '../../model/actionCatalog';
import { ESCALATION_PATHS, type EscalationPath, type Requirement } from '../escalation/paths';
import type { LabelledStatement } from '../identityPolicies';
import { adminBehindUnseenBoundary, isFullAdmin, morePowerful } from './power';
import type { RuleContext, SecurityFinding, SecurityRule } from './rule';

/**
 * One rule per published escalation path (src/analysers/escalation/paths.ts),
 * matched on effective permissions with the resource scope taken into
 * account: a requirement on another principal is met only by a principal the
 * holder's policies cover, and, unless the holder can write a policy of its
 * choice, only by one more powerful than the holder. A principal outside
 * the config (any ARN the holder's patterns cover that no entry declares)
 * counts as more powerful: rolecall cannot see it, and on `*` it exists.
 */
export const ESCALATION_RULES: readonly SecurityRule[] = ESCALATION_PATHS.map((path) => ({
  id: path.id,
  severity: 'error',
  summary: `${path.title}: ${path.impact}`,
  docs: escalationDocs(path),
  // A full admin cannot escalate: the full-admin rule reports it once instead of every path.
  check: (context: RuleContext) => possibleHolders(context).flatMap((holder) => matchPath(path, holder, context)),
}));

const holdersCache = new WeakMap<RuleContext['effective'], readonly EffectivePermissions[]>();

/**
 * The principals any path could fire on, found once for all the paths: every
 * path needs at least one action the holder's own Allow grants, so one
 * without an Allow statement holds none (most users of a large organisation).
 */
function possibleHolders(context: RuleContext): readonly EffectivePermissions[] {
  let found = holdersCache.get(context.effective);
  if (!found) {
    // A full admin cannot escalate, and one behind a boundary rolecall cannot read is full-admin's to report, once.
    found = context.effective.all.filter((e) => e.policies.statements.some((s) => s.statement.effect === 'Allow') && !isFullAdmin(e) && !adminBehindUnseenBoundary(e));
    holdersCache.set(context.effective, found);
  }
  return found;
}

/** A victim: a principal of the model, or the stand-in for those outside it. */
interface Victim {
  readonly arn: string;
  readonly account?: string;
  readonly label: string;
  readonly effective?: EffectivePermissions;
  /** Roles only: the services it trusts (the stand-in trusts every service). */
  readonly trustedServices?: ReadonlySet<string> | 'any';
}

const OUTSIDE = 'rolecall-outside-the-config';

function matchPath(path: EscalationPath, holder: EffectivePermissions, context: RuleContext): SecurityFinding[] {
  const principal = holder.principal;
  // Most principals hold none of a path's actions: leave before looking at any victim.
  if (path.requires.some((r) => holder.grantsOf(r.action).length === 0)) return [];
  const met = new Map<Requirement, LabelledStatement>();
  // Requirements on the holder itself or on resources no principal stands for.
  for (const requirement of path.requires) {
    if (isVictimTarget(requirement)) continue;
    const statement = holderStatement(requirement, holder, principal.accountId, principal.arn, context.model, context.catalog);
    if (!statement) return [];
    met.set(requirement, statement);
  }
  const victimRequirements = path.requires.filter(isVictimTarget);
  let victim: Victim | undefined;
  if (victimRequirements.length > 0) {
    for (const candidate of victims(victimRequirements, holder, context)) {
      const statements = victimRequirements.map((r) => statementOn(holder, r.action, candidate.arn));
      if (statements.some((s) => s === undefined)) continue;
      if (!servicesMatch(victimRequirements, candidate)) continue;
      if (!assumable(victimRequirements, holder, candidate, context)) continue;
      if (path.outcome === 'target-permissions' && candidate.effective && !morePowerful(candidate.effective, holder, context.catalog)) continue;
      victim = candidate;
      victimRequirements.forEach((r, i) => met.set(r, statements[i]!));
      break;
    }
    if (!victim) return [];
  }
  // In the path's own order: the finding stands at the statement of its first action (PassRole, say).
  const evidence = path.requires.map((r) => met.get(r)!);
  const first = evidence[0]!;
  // A policy on `*` reaches principals outside the config too, so those count; but the role an
  // existing resource (a function, an instance) runs with is invisible here: those paths warn.
  const throughResource = path.requires.some((r) => r.target === 'service-resource');
  const severity = throughResource && path.outcome === 'target-permissions' ? 'warning' : 'error';
  return [
    {
      rule: path.id,
      severity,
      message: message(path, holder, victim, evidence),
      source: first.statement.source,
      subject: { kind: principal.kind, account: principal.account, name: principal.name },
    },
  ];
}

function isVictimTarget(requirement: Requirement): boolean {
  return requirement.target === 'other-user' || requirement.target === 'other-role' || requirement.target === 'passable-role';
}

/** The holder's statement that meets a requirement not on another principal, if any. */
function holderStatement(
  requirement: Requirement,
  holder: EffectivePermissions,
  accountId: string,
  selfArn: string,
  model: AccessModel,
  catalog: ActionCatalog,
): LabelledStatement | undefined {
  const partition = selfArn.split(':')[1]!;
  switch (requirement.target) {
    case 'any':
    case 'service-resource': {
      // Some resource of the action's own service: an ARN of another service grants nothing here.
      const service = requirement.action.slice(0, requirement.action.indexOf(':'));
      return holder.grantsOf(requirement.action).find((s) => plausibleFor(s, service));
    }
    case 'self':
      return appliesTo(requirement.action, holder.principal.kind, catalog) ? statementOn(holder, requirement.action, selfArn) : undefined;
    case 'managed-policy': {
      // Customer managed policies attached in the holder's account, and any rolecall cannot see.
      const attached = [...model.users, ...model.roles, ...model.groups]
        .filter((p) => p.accountId === accountId)
        .flatMap((p) => p.managedPolicies.map((m) => m.arn))
        .filter((arn) => !arn.includes(':iam::aws:policy/'));
      const candidates = [...new Set([...attached, `arn:${partition}:iam::${accountId}:policy/${OUTSIDE}`])];
      return firstDefined(candidates.map((arn) => statementOn(holder, requirement.action, arn)));
    }
    case 'group': {
      // Groups of the config first: one the holder is in for Attach/PutGroupPolicy, one it is not in
      // (that grants something) for AddUserToGroup; then any group rolecall does not manage.
      const joining = requirement.action === 'iam:AddUserToGroup';
      const isMember = (g: Group) => holder.principal.kind === 'user' && g.members.some((m) => m.name === holder.principal.name);
      const grantsSomething = (g: Group) => g.managedPolicies.length > 0 || g.inlinePolicies.some((p) => p.document.statements.some((s) => s.effect === 'Allow'));
      const groups = model.groups.filter((g) => g.accountId === accountId && (joining ? !isMember(g) && grantsSomething(g) : isMember(g)));
      const candidates = [...groups.map((g) => g.arn), `arn:${partition}:iam::${accountId}:group/${OUTSIDE}`];
      return firstDefined(candidates.map((arn) => statementOn(holder, requirement.action, arn)));
    }
    case 'other-user':
    case 'other-role':
    case 'passable-role':
      return undefined;
  }
}

/** The holder's Allow that covers `action` on `resource`, if the request would be allowed. */
function statementOn(holder: EffectivePermissions, action: string, resource: string): LabelledStatement | undefined {
  if (holder.decide(action, resource).outcome !== 'allowed') return undefined;
  return holder.grantsOf(action).find((s) => coversResource(s.statement, resource));
}

/** A statement whose resources can be of `service` (a `*`, a NotResource, or an ARN of that service). */
function plausibleFor(labelled: LabelledStatement, service: string): boolean {
  const { statement } = labelled;
  if (statement.notResources) return true;
  // The ARN's service part, matched as IAM matches it (wildcards allowed).
  return (statement.resources ?? []).some((r) => r === '*' || actionMatches(r.split(':')[2] ?? '', service));
}

/** An IAM action on users only (PutUserPolicy) cannot act on a role holder itself, and the reverse. */
function appliesTo(action: string, kind: 'user' | 'role', catalog: ActionCatalog): boolean {
  const colon = action.indexOf(':');
  const found = (catalog.actions(action.slice(0, colon)) ?? []).find((a) => a.name.toLowerCase() === action.slice(colon + 1).toLowerCase());
  if (!found) return true;
  const principalTypes = found.resourceTypes.filter((t) => t === 'user' || t === 'role');
  return principalTypes.length === 0 || principalTypes.includes(kind);
}

function firstDefined<T>(items: readonly (T | undefined)[]): T | undefined {
  return items.find((item): item is T => item !== undefined);
}

/** Principals of the holder's account of the kind the requirements name, then the stand-in for the rest. */
function victims(requirements: readonly Requirement[], holder: EffectivePermissions, context: RuleContext): Victim[] {
  const kind = requirements.some((r) => r.target === 'other-user') ? 'user' : 'role';
  const { accountId, arn, account } = holder.principal;
  const partition = arn.split(':')[1]!;
  // IAM actions reach principals of the holder's own account; sts:AssumeRole reaches any account whose trust admits it.
  const crossAccount = requirements.some((r) => r.action === 'sts:AssumeRole');
  const pool = victimPool(context);
  // Only principals the holder's statements for the first requirement can name: most configs scope them tightly.
  const patterns = holder.grantsOf(requirements[0]!.action).flatMap((g) => (g.statement.notResources ? ['*'] : (g.statement.resources ?? [])));
  // sts:AssumeRole takes over a role of the model only through a way the holder opens with its own
  // policy (see assumable): those roles are the only candidates. Matching the holder's patterns against
  // every role instead cost a user whose trusts name 5,000 roles 25 million comparisons.
  const local = (crossAccount ? pool.named(kind, undefined, ownPolicyRoles(context).get(holder.key) ?? []) : pool.named(kind, account, patterns)).filter(
    (v) => v.arn !== arn,
  );
  const outside: Victim = {
    arn: `arn:${partition}:iam::${accountId}:${kind}/${OUTSIDE}`,
    label: `any ${kind} of account ${account} that rolecall does not manage`,
    ...(kind === 'role' ? { trustedServices: 'any' as const } : {}),
  };
  return [...local, outside];
}

const ownPolicyRolesCache = new WeakMap<RuleContext['effective'], ReadonlyMap<string, readonly string[]>>();

/** Holder key → the ARNs (sorted) of the roles it opens a way into with its own policy: effective.ownPolicyWays, by holder. */
function ownPolicyRoles(context: RuleContext): ReadonlyMap<string, readonly string[]> {
  let found = ownPolicyRolesCache.get(context.effective);
  if (!found) {
    const byHolder = new Map<string, string[]>();
    for (const entry of context.effective.ownPolicyWays) {
      const bar = entry.indexOf('|');
      const holder = entry.slice(0, bar);
      const roles = byHolder.get(holder);
      if (roles) roles.push(entry.slice(bar + 1));
      else byHolder.set(holder, [entry.slice(bar + 1)]);
    }
    for (const roles of byHolder.values()) roles.sort();
    found = byHolder;
    ownPolicyRolesCache.set(context.effective, found);
  }
  return found;
}

interface VictimPool {
  /** The principals of a kind (of one account, or of all) that some pattern covers; answers are kept, since many holders share patterns. */
  named(kind: 'user' | 'role', account: string | undefined, patterns: readonly string[]): readonly Victim[];
}

const pools = new WeakMap<RuleContext['effective'], VictimPool>();

/** Every principal as a possible victim, built once per model. */
function victimPool(context: RuleContext): VictimPool {
  let found = pools.get(context.effective);
  if (!found) {
    const build = (kind: 'user' | 'role') => {
      const all: Victim[] = (kind === 'user' ? context.model.users : context.model.roles).map((p) => ({
        arn: p.arn,
        account: p.account,
        label: `${kind} ${p.account}/${p.name}`,
        effective: context.effective.byKey.get(principalKey({ kind, account: p.account, name: p.name }))!,
        ...(kind === 'role' ? { trustedServices: trustedServices(p as Role, context.effective) } : {}),
      }));
      return { all, byArn: new Map(all.map((v) => [v.arn, v])) };
    };
    const kinds = { user: build('user'), role: build('role') };
    const answers = new Map<string, readonly Victim[]>();
    found = {
      named(kind, account, patterns) {
        const key = `${kind}|${account ?? '*'}|${patterns.join('\u0000')}`;
        let answer = answers.get(key);
        if (!answer) {
          const { all, byArn } = kinds[kind];
          const inAccount = (v: Victim) => account === undefined || v.account === account;
          // A pattern without wildcards names one ARN: look it up instead of scanning.
          const literal = patterns.every((p) => !/[*?$]/.test(p));
          const candidates = literal ? patterns.map((p) => byArn.get(p)).filter((v): v is Victim => v !== undefined) : all;
          answer = [...new Set(candidates)].filter((v) => inAccount(v) && patterns.some((p) => resourceMatches(p, v.arn)));
          answers.set(key, answer);
        }
        return answer;
      },
    };
    pools.set(context.effective, found);
  }
  return found;
}

function trustedServices(role: Role, effective: EffectiveIndex): ReadonlySet<string> {
  return effective.trustedServices.get(role.arn) ?? new Set();
}

/**
 * sts:AssumeRole on a role needs the role's trust to admit the holder too. A
 * way the YAML grants by name (a trust entry naming the holder) is intended
 * access, reported as such by the access report: only a way the holder opens
 * with its own policy (a trust in its account) is an escalation. A role
 * outside the config may trust the holder's account: unknown, so it counts.
 */
function assumable(requirements: readonly Requirement[], holder: EffectivePermissions, victim: Victim, context: RuleContext): boolean {
  if (!requirements.some((r) => r.action === 'sts:AssumeRole')) return true;
  if (!victim.effective) return true;
  return context.effective.ownPolicyWays.has(`${holder.key}|${victim.arn}`);
}

function servicesMatch(requirements: readonly Requirement[], victim: Victim): boolean {
  for (const requirement of requirements) {
    if (requirement.target !== 'passable-role' || !requirement.services) continue;
    const trusted = victim.trustedServices;
    if (trusted === 'any') continue;
    if (!requirement.services.some((s) => trusted?.has(s))) return false;
  }
  return true;
}

function message(path: EscalationPath, holder: EffectivePermissions, victim: Victim | undefined, evidence: readonly LabelledStatement[]): string {
  const who = `${holder.principal.kind} ${holder.principal.account}/${holder.principal.name}`;
  const on = victim ? ` (through ${victim.label}${victim.effective ? ', which may do more than it' : ', which may do more than it: rolecall cannot see'})` : '';
  const policies = [...new Set(evidence.map((e) => `${e.policy.replace(/^arn:[^:]+:iam::aws:policy\//, '')}${e.group !== undefined ? ` of group ${e.group}` : ''}`))].join(', ');
  const sources = sourceWords(path);
  const precondition = path.precondition ? ` It needs ${path.precondition}.` : '';
  return `${who} can escalate with ${path.title}${on}: ${path.impact} Granted by ${policies}.${precondition} Fix: ${path.fix}${sources}`;
}

function sourceWords(path: EscalationPath): string {
  const parts = [
    ...(path.sources.pathfinding ?? []).map((id) => `pathfinding.cloud ${id}`),
    ...(path.sources.rhino ?? []).map((n) => `Rhino #${n}`),
    ...(path.sources.iamVulnerable ?? []).map((n) => `iam-vulnerable ${n}`),
  ];
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}


/**
 * The documented examples of a path, built from its requirements: a role that
 * holds every required action on `*` (so on itself, on principals outside the
 * config, on any role a service trusts) fires; the close case drops one of
 * the actions, or, for a path of one action, scopes it to an ARN of another
 * service, where it grants nothing.
 */
function escalationDocs(path: EscalationPath): SecurityRule['docs'] {
  const actions = [...new Set(path.requires.map((r) => r.action))];
  const holderKind = path.requires.some((r) => r.target === 'self' && /User|AccessKey|LoginProfile|Group/.test(r.action)) ? 'user' : 'role';
  const config = (allowed: readonly string[], resource: string) => exampleConfig(holderKind, allowed, resource);
  const quiet = actions.length > 1 ? config(actions.slice(1), '*') : config(actions, 'arn:aws:s3:::example-bucket/*');
  return {
    why: `${path.impact}${path.precondition ? ` It needs ${path.precondition}.` : ''}${sourceWords(path)}`,
    fires: config(actions, '*'),
    quiet,
    fix: path.fix,
  };
}

function exampleConfig(kind: 'user' | 'role', actions: readonly string[], resource: string): string {
  const statement = `    allow:\n      - actions: [${actions.join(', ')}]\n        resources: ["${resource}"]\n`;
  const header = 'accounts:\n  - name: main\n    id: "123456789012"\n';
  return kind === 'user'
    ? `${header}users:\n  - name: holder\n${statement}`
    : `${header}roles:\n  - name: holder\n    trust:\n      - service: ec2.amazonaws.com\n${statement}`;
}
