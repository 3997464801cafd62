import type { PolicyStatement } from '../model/accessModel';

/**
 * How identity policies decide one request (one action on one resource), as
 * IAM does: an explicit Deny wins, else any Allow, else nothing. Plain
 * functions over the model's statements, so the access report, the diff and
 * later the security rules share one reading of a policy.
 *
 * Conditions are not evaluated (rolecall cannot know the request context):
 * a statement with conditions applies "when" those conditions hold, and the
 * answer carries them. Policy variables (`${aws:username}`) in a resource
 * may match anything in an Allow and are ignored in a Deny: both err on the
 * side of showing a way in, never of hiding one.
 */
export interface Decision {
  /** `allowed`: some Allow matches (perhaps under conditions); `not-allowed`: none does; `denied`: a Deny without conditions matches. */
  readonly outcome: 'allowed' | 'not-allowed' | 'denied';
  /** The Allow that decides, the least conditional one when several match. */
  readonly allow?: PolicyStatement;
  /** Denies with conditions that match: the request is refused when their conditions hold. */
  readonly conditionalDenies: readonly PolicyStatement[];
  /** The unconditional Deny that refuses it. */
  readonly deny?: PolicyStatement;
}

export function decide(statements: readonly PolicyStatement[], action: string, resource: string): Decision {
  const denies = statements.filter((s) => s.effect === 'Deny' && statementMatches(s, action, resource, 'deny'));
  const hardDeny = denies.find((s) => !hasConditions(s));
  if (hardDeny) return { outcome: 'denied', deny: hardDeny, conditionalDenies: [] };
  const conditionalDenies = denies.filter(hasConditions);
  const allows = statements.filter((s) => s.effect === 'Allow' && statementMatches(s, action, resource, 'allow'));
  if (allows.length === 0) return { outcome: 'not-allowed', conditionalDenies };
  const allow = [...allows].sort((a, b) => conditionCount(a) - conditionCount(b))[0]!;
  return { outcome: 'allowed', allow, conditionalDenies };
}

export function hasConditions(statement: PolicyStatement): boolean {
  return conditionCount(statement) > 0;
}

function conditionCount(statement: PolicyStatement): number {
  return Object.values(statement.conditions ?? {}).reduce((sum, keys) => sum + Object.keys(keys).length, 0);
}

type Side = 'allow' | 'deny';

export function statementMatches(statement: PolicyStatement, action: string, resource: string, side: Side): boolean {
  const actionHit = statement.notActions
    ? !statement.notActions.some((p) => actionMatches(p, action))
    : (statement.actions ?? []).some((p) => actionMatches(p, action));
  if (!actionHit) return false;
  // The other side of a NotResource is read the other way round: a variable
  // that might match in NotResource might exclude, so only a sure match excludes.
  const opposite: Side = side === 'allow' ? 'deny' : 'allow';
  if (statement.notResources) return !statement.notResources.some((p) => resourceMatches(p, resource, opposite));
  return (statement.resources ?? []).some((p) => resourceMatches(p, resource, side));
}

/** `*`, `sts:*`, `sts:Assume*`, `sts:AssumeRole`: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  return globRegExp(pattern, 'i').test(action);
}

/**
 * An ARN pattern against an ARN. IAM compares the six colon-separated parts
 * one by one (the last part keeps its colons); `*` and `?` match within a
 * part. `${*}`, `${?}` and `${$}` are literal characters; any other
 * `${...}` is a policy variable: it may match anything on the allow side,
 * and nothing on the deny side.
 */
export function resourceMatches(pattern: string, resource: string, side: Side = 'allow'): boolean {
  if (pattern === '*') return true;
  const compiled = compiledArn(pattern);
  if (compiled.variable && side === 'deny') return false;
  // The parts before the first wildcard are literal, so they begin every ARN the pattern matches: a cheap first test.
  if (!resource.startsWith(compiled.prefix)) return false;
  const parts = resourceParts(resource);
  return compiled.parts.every((part, i) => part.test(parts[i]!));
}

interface CompiledArn {
  readonly parts: readonly RegExp[];
  /** The pattern up to its first `*`, `?` or `$`. */
  readonly prefix: string;
  /** Holds a policy variable (`${aws:username}`), not one of the escapes `${*}`, `${?}`, `${$}`. */
  readonly variable: boolean;
}

const compiledArns = new Map<string, CompiledArn>();

/** A resource pattern compiled once: the rules ask the same patterns many times. */
function compiledArn(pattern: string): CompiledArn {
  let found = compiledArns.get(pattern);
  if (!found) {
    const wildcard = pattern.search(/[*?$]/);
    found = {
      parts: arnParts(pattern).map((part) => globRegExp(part, '')),
      prefix: wildcard === -1 ? pattern : pattern.slice(0, wildcard),
      variable: /\$\{(?![*?$]\})[^}]*\}/.test(pattern),
    };
    if (compiledArns.size > 10_000) compiledArns.clear();
    compiledArns.set(pattern, found);
  }
  return found;
}

const splitArns = new Map<string, readonly string[]>();

/** The six parts of a resource ARN, once per ARN. */
function resourceParts(arn: string): readonly string[] {
  let found = splitArns.get(arn);
  if (!found) {
    found = arnParts(arn);
    if (splitArns.size > 50_000) splitArns.clear();
    splitArns.set(arn, found);
  }
  return found;
}

/** The six parts of an ARN; a shorter pattern (arn:aws:iam::*) stands for its missing parts with `*`. */
function arnParts(arn: string): string[] {
  const parts = arn.split(':');
  if (parts.length > 6) return [...parts.slice(0, 5), parts.slice(5).join(':')];
  while (parts.length < 6) parts.push('*');
  return parts;
}

const cache = new Map<string, RegExp>();

/** `*` any run of characters, `?` any one; the parts of an ARN are matched one by one, so `*` never needs to cross a colon. */
function globRegExp(pattern: string, flags: string): RegExp {
  const key = `${flags}|${pattern}`;
  let found = cache.get(key);
  if (!found) {
    const any = '[\\s\\S]*';
    let body = '';
    for (const token of pattern.match(/\$\{[^}]*\}|[\s\S]/g) ?? []) {
      if (token === '*') body += any;
      else if (token === '?') body += '.';
      else if (token === '${*}') body += '\\*';
      else if (token === '${?}') body += '\\?';
      else if (token === '${$}') body += '\\$';
      else if (token.startsWith('${') && token.length > 2) body += any;
      else body += token.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    found = new RegExp(`^${body}$`, flags);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, found);
  }
  return found;
}
