import type { Diagnostic, SourceRef } from '../diagnostics/diagnostic';
import type { AccessModel, Grantee } from '../model/accessModel';
import type { Expectation, ExpectedWho } from '../model/expectation';
import { mfaCapableRoles } from '../model/trust/mfaReach';
import { describeGrantee } from './describeGrant';
import { coversAction, effectivePermissions, type EffectiveIndex, type EffectivePermissions } from './effective';
import { commonWitness, globMatches } from './globs';
import type { LabelledStatement } from './identityPolicies';
import { principalKey, roleKey } from './reach';
import { waysIn, type WayIn } from './waysIn';

/**
 * `expect:` decided on the access model. Who reaches what follows every
 * chain of trust grants whose conditions can be met (MFA only from sessions
 * that can carry it) and that has not expired as of `now`; what a reached
 * principal may do is its identity policies (effective.ts). Three answers:
 * it holds, it fails (the path that breaks it, or the missing step), or it
 * cannot be proven, because it turns on a policy rolecall cannot see.
 *
 * `can` holds when some principal of `who` can do every action on every
 * resource (or reach the role); `cannot` when none of them can do any.
 */
export const EXPECTATION_FAILED = 'expectation-failed';

export function checkExpectations(model: AccessModel, now: Date): Diagnostic[] {
  if (model.expectations.length === 0) return [];
  const ways = waysIn(model);
  const context = contextOf(model, effectivePermissions(model, ways), now);
  return model.expectations.flatMap((expectation) => {
    const failure = decideExpectation(expectation, context);
    return failure ? [failure] : [];
  });
}

interface Context {
  readonly model: AccessModel;
  readonly effective: EffectiveIndex;
  readonly now: Date;
  /** Ways a principal opens as the caller, by `principalKey`. */
  readonly fromCaller: ReadonlyMap<string, readonly WayIn[]>;
  /** Ways that admit a grantee outside the model's principals (an account, a service, a web identity, SAML). */
  readonly trustWays: readonly WayIn[];
  /** Roles whose sessions may carry MFA, `account/name`. */
  readonly mfaRoles: ReadonlySet<string>;
}

function contextOf(model: AccessModel, effective: EffectiveIndex, now: Date): Context {
  const fromCaller = new Map<string, WayIn[]>();
  const trustWays: WayIn[] = [];
  for (const way of effective.ways) {
    if (!way.caller) {
      trustWays.push(way);
      continue;
    }
    // Appended in place: copying the list for every way is quadratic for a principal with many.
    const key = principalKey(way.caller);
    const list = fromCaller.get(key);
    if (list) list.push(way);
    else fromCaller.set(key, [way]);
  }
  return { model, effective, now, fromCaller, trustWays, mfaRoles: mfaCapableRoles(model.grants) };
}

/** Where reaching starts: one principal of the model (its own policies act too), or a grantee outside it. */
interface Start {
  readonly label: string;
  /** Its sessions can carry aws:MultiFactorAuthPresent (users, accounts' principals, roles they reach). */
  readonly mfa: boolean;
  readonly principal?: string;
  readonly admits?: (way: WayIn) => boolean;
}

function startsOf(who: ExpectedWho, context: Context): Start[] {
  switch (who.kind) {
    case 'user':
    case 'role':
      return [principalStart(who.kind, who.account, who.name, context)];
    case 'group':
      return who.members.map((member) => principalStart('user', who.account, member, context));
    case 'account':
      return [accountStart(who.account, who.accountId), ...principalsWhere((account) => account === who.account, context)];
    case 'service':
      return [{ label: `service ${who.service}`, mfa: false, admits: (way) => way.grant.grantee.kind === 'service' && way.grant.grantee.service === who.service }];
    case 'web-identity':
      return [{ label: whoLabel(who), mfa: false, admits: (way) => admitsWebIdentity(way, who) }];
    case 'saml':
      return [{ label: whoLabel(who), mfa: false, admits: (way) => way.grant.grantee.kind === 'saml' && way.grant.grantee.providerArn === who.providerArn }];
    case 'outside':
      return outsideStarts(new Set(who.accounts.map((a) => a.id)), new Set(who.accounts.map((a) => a.name)), context);
  }
}

function principalStart(kind: 'user' | 'role', account: string, name: string, context: Context): Start {
  return { label: `${account}/${name}`, mfa: kind === 'user' || context.mfaRoles.has(`${account}/${name}`), principal: principalKey({ kind, account, name }) };
}

function accountStart(account: string, accountId: string): Start {
  return {
    label: account,
    mfa: true,
    admits: (way) => way.grant.grantee.kind === 'account' && way.grant.grantee.accountId === accountId,
  };
}

function principalsWhere(inside: (account: string) => boolean, context: Context): Start[] {
  return [...context.model.users, ...context.model.roles]
    .filter((p) => inside(p.account))
    .map((p) => principalStart(p.kind, p.account, p.name, context));
}

/** Every grantee of the grants whose home is not listed, and every principal of the model outside those accounts. */
function outsideStarts(insideIds: ReadonlySet<string>, insideNames: ReadonlySet<string>, context: Context): Start[] {
  const starts = new Map<string, Start>();
  for (const grant of context.model.grants) {
    const grantee = grant.grantee;
    const key = JSON.stringify(grantee);
    if (starts.has(key)) continue;
    switch (grantee.kind) {
      case 'user':
      case 'role':
        break; // principals of the model: below
      case 'account':
        if (!insideIds.has(grantee.accountId)) starts.set(key, accountStart(grantee.account, grantee.accountId));
        break;
      case 'service':
      case 'web-identity':
      case 'saml':
        starts.set(key, { label: describeGrantee(grantee, grant.trustKind), mfa: false, admits: (way) => JSON.stringify(way.grant.grantee) === key });
        break;
    }
  }
  return [...starts.values(), ...principalsWhere((account) => !insideNames.has(account), context)];
}

function admitsWebIdentity(way: WayIn, who: Extract<ExpectedWho, { kind: 'web-identity' }>): boolean {
  const { grantee, conditionBlock } = way.grant;
  if (grantee.kind !== 'web-identity' || !who.providerArns.includes(grantee.providerArn)) return false;
  if (!grantee.audiences.some((a) => who.audiences.includes(a))) return false;
  if (who.amr !== undefined) {
    const amr = Object.values(conditionBlock).flatMap((keys) => Object.entries(keys)).filter(([key]) => key.endsWith(':amr')).flatMap(([, values]) => values);
    return amr.some((pattern) => globMatches(pattern, who.amr!));
  }
  return who.subjects.some((subject) => grantee.subjects.some((pattern) => globMatches(pattern, subject)));
}

type Strictness = 'sure' | 'sure-and-seen' | 'any';

/** Why a way cannot be used by sessions from `start` (undefined: it can, its conditions can be met). */
function closedBecause(way: WayIn, start: Start, now: Date): string | undefined {
  if (way.blockedBy) return `denied by ${way.blockedBy.policy} of ${way.caller?.account}/${way.caller?.name}`;
  const { expires, mfa } = way.grant.conditions;
  if (expires !== undefined && Date.parse(expires) <= now.getTime()) return `expired ${expires.slice(0, 10)}`;
  if (mfa && !start.mfa) return `needs MFA, which sessions from ${start.label} never carry`;
  return undefined;
}

function usable(way: WayIn, start: Start, now: Date, strictness: Strictness): boolean {
  if (closedBecause(way, start, now) !== undefined) return false;
  if (strictness === 'any') return true;
  return way.certainty === 'sure' && (strictness === 'sure' || way.unseen.length === 0);
}

/** The last way of a chain and the chain before it: chains share their beginnings, so a long chain costs one link per role. */
interface Link {
  readonly way: WayIn;
  readonly previous?: Link;
  /** Where the chain began. */
  readonly start: Start;
}

/** The ways of a chain, first to last. */
function pathOf(link: Link | undefined): WayIn[] {
  const ways: WayIn[] = [];
  for (let at = link; at !== undefined; at = at.previous) ways.push(at.way);
  return ways.reverse();
}

function firstWays(start: Start, context: Context): readonly WayIn[] {
  return start.principal !== undefined ? context.fromCaller.get(start.principal) ?? [] : context.trustWays.filter((w) => start.admits!(w));
}

/**
 * Every role the starts reach, `account/name` → the last link of a shortest
 * chain there: one breadth-first search from all starts at once (so that
 * `outside` costs one search, not one per principal). Whether a session can
 * carry MFA is part of the state, since it decides which ways are usable.
 */
function reach(starts: readonly Start[], context: Context, strictness: Strictness): Map<string, Link> {
  const reached = new Map<string, Link>();
  const visited = new Set<string>();
  let frontier: Link[] = [];
  const step = (way: WayIn, start: Start, previous: Link | undefined, next: Link[]) => {
    const key = roleKey(way.role);
    const state = `${start.mfa ? 'mfa' : 'no-mfa'}|${key}`;
    if (visited.has(state) || !usable(way, start, context.now, strictness)) return;
    visited.add(state);
    const link: Link = previous ? { way, previous, start } : { way, start };
    if (!reached.has(key)) reached.set(key, link);
    next.push(link);
  };
  for (const start of starts) for (const way of firstWays(start, context)) step(way, start, undefined, frontier);
  while (frontier.length > 0) {
    const next: Link[] = [];
    for (const link of frontier) {
      for (const way of context.fromCaller.get(`role:${roleKey(link.way.role)}`) ?? []) step(way, link.start, link, next);
    }
    frontier = next;
  }
  return reached;
}

/** A principal that acts for a start: the start itself (no link), or a role reached, with the chain that gets there. */
interface Actor {
  readonly start: Start;
  readonly effective: EffectivePermissions;
  readonly link?: Link;
}

function actorsOf(starts: readonly Start[], reached: ReadonlyMap<string, Link>, context: Context): Actor[] {
  const actors: Actor[] = [];
  for (const start of starts) {
    const own = start.principal !== undefined ? context.effective.byKey.get(start.principal) : undefined;
    if (own) actors.push({ start, effective: own });
  }
  for (const [role, link] of reached) {
    const effective = context.effective.byKey.get(`role:${role}`);
    if (effective) actors.push({ start: link.start, effective, link });
  }
  return actors;
}

/** The answer for one principal and one request: `maybe` when a policy rolecall cannot see decides it. */
interface Verdict {
  readonly outcome: 'yes' | 'no' | 'maybe';
  readonly allow?: LabelledStatement;
  readonly deny?: LabelledStatement;
  readonly unseen: readonly string[];
}

/**
 * `strict` (for `can`): any unseen policy could deny it. Otherwise (for
 * `cannot`) only what could allow it counts: an unseen managed policy, and an
 * unseen boundary that could take a seen allow away.
 */
function verdict(effective: EffectivePermissions, action: string, resource: string, strict: boolean): Verdict {
  const decision = effective.decide(action, resource);
  const { policies } = effective;
  const label = (statement: unknown) => policies.statements.find((s) => s.statement === statement);
  const unseenBoundary = policies.boundary !== undefined && policies.boundary.statements === undefined;
  switch (decision.outcome) {
    case 'denied':
      return { outcome: 'no', ...(label(decision.deny) ? { deny: label(decision.deny)! } : {}), unseen: [] };
    case 'allowed': {
      const allow = label(decision.allow)!;
      if (strict ? policies.unseen.length > 0 : unseenBoundary) return { outcome: 'maybe', allow, unseen: strict ? policies.unseen : policies.unseen.filter(isBoundary) };
      return { outcome: 'yes', allow, unseen: [] };
    }
    case 'not-allowed': {
      const managed = policies.unseen.filter((u) => !isBoundary(u));
      return managed.length > 0 ? { outcome: 'maybe', unseen: policies.unseen } : { outcome: 'no', unseen: [] };
    }
  }
}

function isBoundary(unseen: string): boolean {
  return unseen.endsWith('(permissions boundary)');
}

/**
 * A wildcard ARN in `cannot` stands for every resource it matches: besides the
 * pattern itself, try one resource it shares with each Allow of the actor
 * (`shown`: that Allow's pattern, which the message names).
 */
function candidates(effective: EffectivePermissions, action: string, resource: string): { resource: string; shown?: string }[] {
  if (!/[*?]/.test(resource)) return [{ resource }];
  const found = new Map<string, string | undefined>([[resource, undefined]]);
  for (const { statement } of effective.policies.statements) {
    if (statement.effect !== 'Allow' || !coversAction(statement, action)) continue;
    for (const pattern of statement.resources ?? []) {
      const witness = commonWitness(resource, pattern);
      if (witness !== undefined && !found.has(witness)) found.set(witness, pattern);
    }
  }
  const blank = resource.replace(/\*/g, '').replace(/\?/g, 'x');
  if (!found.has(blank)) found.set(blank, resource);
  return [...found].map(([r, shown]) => (shown === undefined ? { resource: r } : { resource: r, shown }));
}

/** What the expectation's principals do; for a group's `can`, each member on its own (one that cannot fails it). */
function decide(expectation: Expectation, context: Context): Failure | undefined {
  const starts = startsOf(expectation.who, context);
  const judge = (from: readonly Start[]) =>
    expectation.what.kind === 'assume'
      ? expectation.must === 'cannot' ? cannotAssume(expectation, from, context) : canAssume(expectation, from, context)
      : expectation.must === 'cannot' ? cannotDo(expectation, from, context) : canDo(expectation, from, context);
  if (expectation.who.kind !== 'group' || expectation.must === 'cannot') return judge(starts);
  if (starts.length === 0) return { message: `${expected(expectation)}, but the group has no members` };
  for (const member of starts) {
    const failure = judge([member]);
    if (failure) return { ...failure, message: `${failure.message} (member ${member.label})` };
  }
  return undefined;
}

interface Failure {
  readonly message: string;
  /** The node of the YAML the message ends at ("… at FILE:LINE:COL"). */
  readonly at?: SourceRef;
}

function decideExpectation(expectation: Expectation, context: Context): Diagnostic | undefined {
  const failure = decide(expectation, context);
  if (!failure) return undefined;
  return {
    severity: 'error',
    rule: EXPECTATION_FAILED,
    message: failure.message,
    source: expectation.source,
    ...(failure.at ? { related: failure.at, relatedAs: 'path-end' as const } : {}),
  };
}

function cannotAssume(expectation: Expectation, starts: readonly Start[], context: Context): Failure | undefined {
  const target = targetRole(expectation);
  const link = reach(starts, context, 'sure').get(target);
  if (link) return { message: `${expected(expectation)}, but ${pathText(link.start, pathOf(link))}`, at: link.way.grant.source };
  const unseen = new Set(pathOf(reach(starts, context, 'any').get(target)).flatMap((w) => w.unseen));
  return unseen.size > 0 ? unproven(expectation, unseen) : undefined;
}

function canAssume(expectation: Expectation, starts: readonly Start[], context: Context): Failure | undefined {
  const target = targetRole(expectation);
  if (reach(starts, context, 'sure-and-seen').has(target)) return undefined;
  const unseen = new Set(pathOf(reach(starts, context, 'any').get(target)).flatMap((w) => w.unseen));
  if (unseen.size > 0) return unproven(expectation, unseen);
  return { message: `${expected(expectation)}, but ${missingWayIn(target, starts, context)}` };
}

function cannotDo(expectation: Expectation, starts: readonly Start[], context: Context): Failure | undefined {
  const what = expectation.what as Extract<Expectation['what'], { kind: 'do' }>;
  const unseen = new Set<string>();
  const sure = reach(starts, context, 'sure');
  for (const actor of actorsOf(starts, sure, context)) {
    for (const action of what.actions) {
      for (const resource of what.resources) {
        for (const candidate of candidates(actor.effective, action, resource)) {
          const answer = verdict(actor.effective, action, candidate.resource, false);
          if (answer.outcome === 'yes') {
            const steps = actor.link === undefined ? actor.start.label : pathText(actor.start, pathOf(actor.link));
            const on = candidate.shown !== undefined && candidate.shown !== resource ? ` on ${candidate.shown}` : '';
            return {
              message: `${expected(expectation)}, but ${steps} → allow ${action}${on}${policyNote(answer.allow!)}`,
              at: answer.allow!.statement.source,
            };
          }
          answer.unseen.forEach((u) => unseen.add(u));
        }
      }
    }
  }
  // Roles reached only through a way an unseen policy could open.
  const possible = reach(starts, context, 'any');
  for (const actor of actorsOf(starts, possible, context).filter((a) => a.link !== undefined && !sure.has(roleKey(a.link.way.role)))) {
    const opens = what.actions.some((action) => what.resources.some((resource) => candidates(actor.effective, action, resource).some((c) => verdict(actor.effective, action, c.resource, false).outcome !== 'no')));
    if (opens) pathOf(actor.link).filter((w) => w.certainty === 'possible').forEach((w) => w.unseen.forEach((u) => unseen.add(u)));
  }
  return unseen.size > 0 ? unproven(expectation, unseen) : undefined;
}

function canDo(expectation: Expectation, starts: readonly Start[], context: Context): Failure | undefined {
  const what = expectation.what as Extract<Expectation['what'], { kind: 'do' }>;
  const sureActors = actorsOf(starts, reach(starts, context, 'sure-and-seen'), context);
  const anyActors = actorsOf(starts, reach(starts, context, 'any'), context);
  const unseen = new Set<string>();
  for (const action of what.actions) {
    for (const resource of what.resources) {
      if (sureActors.some((actor) => verdict(actor.effective, action, resource, true).outcome === 'yes')) continue;
      const answers = anyActors.map((actor) => ({ actor, answer: verdict(actor.effective, action, resource, true) }));
      const open = answers.filter((a) => a.answer.outcome !== 'no');
      if (open.length === 0) return missingPermission(expectation, action, resource, answers, starts, context);
      for (const { actor, answer } of open) {
        answer.unseen.forEach((u) => unseen.add(u));
        pathOf(actor.link).forEach((w) => w.unseen.forEach((u) => unseen.add(u)));
      }
    }
  }
  return unseen.size > 0 ? unproven(expectation, unseen) : undefined;
}

function missingPermission(
  expectation: Expectation,
  action: string,
  resource: string,
  answers: readonly { actor: Actor; answer: Verdict }[],
  starts: readonly Start[],
  context: Context,
): Failure {
  const request = `${action} on ${resource}`;
  if (answers.length === 0) return { message: `${expected(expectation)}, but ${whoLabel(expectation.who)} reaches no role: ${closedFirstSteps(starts, context) ?? 'no trust entry admits it'}` };
  const names = [...new Set(answers.map(({ actor }) => actorLabel(actor)))];
  const denied = answers.find((a) => a.answer.deny !== undefined);
  if (denied) {
    const deny = denied.answer.deny!;
    return { message: `${expected(expectation)}, but ${actorLabel(denied.actor)} is denied ${request} by ${deny.policy}`, at: deny.statement.source };
  }
  return { message: `${expected(expectation)}, but no policy of ${names.join(', ')} allows ${request}` };
}

function actorLabel(actor: Actor): string {
  return actor.link === undefined ? actor.start.label : roleKey(actor.link.way.role);
}

/** The step that is missing: who the role's trust admits, and why each way the starts could take is closed. */
function missingWayIn(target: string, starts: readonly Start[], context: Context): string {
  const into = context.effective.ways.filter((w) => roleKey(w.role) === target);
  const from = (way: WayIn) => (way.caller ? `${way.caller.kind} ${way.caller.account}/${way.caller.name}` : describeGrantee(way.grant.grantee, way.grant.trustKind));
  const reached = reach(starts, context, 'any');
  const byPrincipal = new Map(starts.filter((s) => s.principal !== undefined).map((s) => [s.principal!, s]));
  // The start that could take the way, if any did get to it.
  const takenBy = (way: WayIn): Start | undefined => {
    if (!way.caller) return starts.find((s) => s.admits?.(way) === true);
    return byPrincipal.get(principalKey(way.caller)) ?? (way.caller.kind === 'role' ? reached.get(roleKey(way.caller))?.start : undefined);
  };
  const closed = into.flatMap((way) => {
    const start = takenBy(way);
    const why = start ? closedBecause(way, start, context.now) : undefined;
    return why ? [`the way from ${from(way)} is closed (${why})`] : [];
  });
  if (closed.length > 0) return [...new Set(closed)].join('; ');
  const admitted = [...new Set(into.filter((w) => w.blockedBy === undefined).map(from))];
  const labels = starts.map((s) => s.label);
  const whence = labels.length === 0 ? 'them' : labels.length <= 5 ? labels.join(', ') : `any of ${labels.length} principals`;
  return `no chain of trust leads from ${whence} to ${target}: its trust admits ${admitted.join(', ') || 'nobody'}`;
}

/** Why the first step of every start is closed, if one is: "the way into data-prod/x is closed (expired 2026-11-30)". */
function closedFirstSteps(starts: readonly Start[], context: Context): string | undefined {
  const closed = starts.flatMap((start) =>
    firstWays(start, context).flatMap((way) => {
      const why = closedBecause(way, start, context.now);
      return why ? [`the way into ${roleKey(way.role)} is closed (${why})`] : [];
    }),
  );
  return closed.length > 0 ? [...new Set(closed)].join('; ') : undefined;
}

function unproven(expectation: Expectation, unseen: ReadonlySet<string>): Failure {
  return {
    message: `cannot be proven: "${statement(expectation)}" depends on ${[...unseen].sort().join(', ')}, which rolecall cannot see (a customer managed policy or boundary given by ARN); attach what it needs inline or as an AWS managed policy, or delete the expectation`,
  };
}

function targetRole(expectation: Expectation): string {
  const what = expectation.what as Extract<Expectation['what'], { kind: 'assume' }>;
  return roleKey(what.role);
}

/** `expected "partner-acme cannot do s3:PutObject on ARN" (REASON)`. */
function expected(expectation: Expectation): string {
  return `expected "${statement(expectation)}"${expectation.reason !== undefined ? ` (${expectation.reason})` : ''}`;
}

function statement(expectation: Expectation): string {
  const { what } = expectation;
  const access = what.kind === 'assume' ? `assume ${roleKey(what.role)}` : `do ${what.written.join(', ')} on ${what.resources.join(', ')}`;
  return `${whoLabel(expectation.who)} ${expectation.must} ${access}`;
}

function whoLabel(who: ExpectedWho): string {
  switch (who.kind) {
    case 'user':
    case 'role':
      return `${who.account}/${who.name}`;
    case 'group':
      return `group ${who.account}/${who.name}`;
    case 'account':
      return who.account;
    case 'service':
      return `service ${who.service}`;
    case 'web-identity': {
      const grantee: Grantee = { kind: 'web-identity', provider: who.trustKind === 'cognito' ? 'cognito' : 'oidc', providerArn: who.providerArns[0]!, subjects: who.subjects, audiences: who.audiences };
      return describeGrantee(grantee, who.trustKind);
    }
    case 'saml':
      return `people signing in through SAML provider ${who.provider}`;
    case 'outside':
      return `every principal outside ${who.accounts.map((a) => a.name).join(', ')}`;
  }
}

/** `partner-acme → data-prod/partner-acme-reports (external id)`: each role of the chain, with the conditions met on the way. */
function pathText(start: Start, path: readonly WayIn[]): string {
  const steps = path.map((way) => {
    const conditions = conditionWords(way);
    const caller = way.caller && way.via === 'identity-policy' && start.principal !== principalKey(way.caller) ? `${way.caller.account}/${way.caller.name} → ` : '';
    return `${caller}${roleKey(way.role)}${conditions.length > 0 ? ` (${conditions.join(', ')})` : ''}`;
  });
  return [start.label, ...steps].join(' → ');
}

function conditionWords(way: WayIn): string[] {
  const { mfa, externalId, sourceIp, expires } = way.grant.conditions;
  return [
    ...(mfa ? ['MFA'] : []),
    ...(externalId !== undefined ? ['external id'] : []),
    ...(sourceIp ? [`from ${sourceIp.join(', ')}`] : []),
    ...(expires !== undefined ? [`until ${expires.slice(0, 10)}`] : []),
    ...(way.via === 'identity-policy' ? ['by its own policy'] : []),
  ];
}

/** ` (arn:aws:iam::aws:policy/ReadOnlyAccess)` for a managed policy; nothing for rolecall's own inline policies. */
function policyNote(allow: LabelledStatement): string {
  return allow.policy.startsWith('arn:') ? ` (${allow.policy})` : '';
}
