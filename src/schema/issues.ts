import * as z from 'zod';
import { at, type Diagnostic, type PathSegment, type SourceRef } from '../diagnostics/diagnostic';
import { didYouMean } from '../diagnostics/suggest';
import type { UnknownKeysParams } from './primitives';

/** What the translator needs of the document: its data, and the text of a scalar for "quote it". */
export interface DocumentView {
  readonly value: unknown;
  scalarText(path: readonly PathSegment[]): string | undefined;
}

/** Turns zod issues into findings, one per problem, each at its YAML path. */
export function issuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  base: SourceRef,
  document: DocumentView,
): Diagnostic[] {
  return issues.flatMap((issue) => translate(issue, base, document));
}

function isMissing(root: unknown, path: readonly PathSegment[]): boolean {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string | number, unknown>)[segment];
  }
  const last = path[path.length - 1];
  return (
    last !== undefined &&
    typeof node === 'object' &&
    node !== null &&
    !Array.isArray(node) &&
    !Object.prototype.hasOwnProperty.call(node, last)
  );
}

function translate(issue: z.core.$ZodIssue, base: SourceRef, document: DocumentView): Diagnostic[] {
  const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
  const source = at(base, ...path);
  const fullPath = [...base.path, ...path];
  const input = (issue as { input?: unknown }).input;
  const key = String(path[path.length - 1] ?? 'value');

  if (issue.code !== 'unrecognized_keys' && isMissing(document.value, fullPath)) {
    return [
      {
        severity: 'error',
        rule: 'missing-key',
        message: `missing required key "${key}"${missingHint(key)}`,
        source,
      },
    ];
  }

  if (issue.code === 'invalid_key') {
    // A record's key (a condition operator, a tag key) is wrong: point at the key.
    return issue.issues.map((inner) => ({
      severity: 'error' as const,
      rule: 'invalid-value',
      message: withValue(inner.message, key),
      source: { ...source, at: 'key' as const },
    }));
  }

  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue);
    return issue.keys.map((key) => {
      const hint = UNKNOWN_KEY_HINTS[key] ?? didYouMean(key, known);
      const rest = hint || (known.length > 0 ? `; the keys here are ${known.join(', ')}` : '');
      return {
        severity: 'error',
        rule: 'unknown-key',
        message: `unknown key "${key}"${rest}`,
        source: { ...at(source, key), at: 'key' },
      };
    });
  }

  if (issue.code === 'invalid_type') {
    if (typeof input === 'number' && issue.expected === 'string') {
      const written = document.scalarText(fullPath) ?? String(input);
      if (/^\d{1,12}$/.test(written) && (/^\d{12}$/.test(written) || key === 'id' || /account/i.test(key))) {
        return [
          {
            severity: 'error',
            rule: 'account-id-unquoted',
            message: `an account id is a string: write ${key}: "${written.padStart(12, '0')}" in quotes (YAML reads ${written} as a number and drops leading zeros)`,
            source,
          },
        ];
      }
      return [
        {
          severity: 'error',
          rule: 'invalid-type',
          message: `${key} is text: write it in quotes, "${written}"`,
          source,
        },
      ];
    }
    return [{ severity: 'error', rule: 'invalid-type', message: typeHint(key, input) ?? issue.message, source }];
  }

  if (issue.code === 'invalid_union') {
    // zod reports the union itself only when no branch took the value's type;
    // a branch that wanted one literal ("all") makes it a wrong value instead.
    const wantedLiteral = issue.errors.some((branch) => branch.some((i) => i.code === 'invalid_value'));
    const rule = wantedLiteral ? 'invalid-value' : 'invalid-type';
    return [{ severity: 'error', rule, message: withValue(issue.message, input), source }];
  }

  if (issue.code === 'too_big' && typeof input === 'string') {
    return [{ severity: 'error', rule: 'invalid-value', message: `${issue.message}; this one is ${input.length}`, source }];
  }

  const rule = issue.code === 'custom' && typeof issue.params?.['rule'] === 'string' ? issue.params['rule'] : 'invalid-value';
  return [{ severity: 'error', rule, message: withValue(issue.message, input), source }];
}

function knownKeys(issue: z.core.$ZodIssueUnrecognizedKeys): readonly string[] {
  const params = (issue as { params?: Partial<UnknownKeysParams> }).params;
  return params?.knownKeys ?? [];
}

/**
 * rolecall's wording for an issue whose schema gave no message of its own.
 * zod asks for it only then (z.config's customError comes after a schema's
 * own message), so the translator never needs to tell zod's English from ours.
 */
export function defaultMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const path = (issue.path ?? []).filter((p): p is PathSegment => typeof p !== 'symbol');
  const key = String(path[path.length - 1] ?? 'value');
  switch (issue.code) {
    case 'invalid_type':
      return `${key} should be ${article(issue.expected)}, not ${describe(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      const types = issue.errors.flatMap((branch) => branch.flatMap((i) => (i.code === 'invalid_type' ? [article(i.expected)] : [])));
      const expected = [...new Set(types)];
      return expected.length > 0 ? `${key} should be ${expected.join(' or ')}, not ${describe(issue.input)}` : `${key} has a value of the wrong shape`;
    }
    default:
      return undefined;
  }
}

z.config({ customError: defaultMessage });

/** Keys people carry over from IAM JSON or from other tools, and what rolecall wants instead. */
const UNKNOWN_KEY_HINTS: Record<string, string> = {
  effect: '; a statement under allow: allows and one under deny: denies: move it to deny:',
  Effect: '; a statement under allow: allows and one under deny: denies: move it to deny:',
  Action: '; write actions: (a list)',
  Resource: '; write resources: (a list)',
  Condition: '; write conditions:',
  Principal: '; who may assume a role goes in its trust: entries',
  roles: '; the roles a user may assume follow from the roles: add "- user: NAME" to each role\'s trust: list',
  assumeRoles: '; the roles a user may assume follow from the roles: add "- user: NAME" to each role\'s trust: list',
  dynamodbTable: '; state is locked by S3\'s own lock file (use_lockfile, Terraform 1.10 and later): no lock table is needed',
  dynamodb_table: '; state is locked by S3\'s own lock file (use_lockfile, Terraform 1.10 and later): no lock table is needed',
  workspaces: '; write workspace: NAME-{account}, one workspace per stack',
};

/** A value of the wrong type where the right form is easy to show. */
function typeHint(key: string, input: unknown): string | undefined {
  if (key === 'github' && typeof input === 'string') {
    return `github takes a mapping: github: { repo: ${input}, branch: main } (or environment:, tag:, ref:)`;
  }
  if ((key === 'user' || key === 'role') && Array.isArray(input)) {
    return `${key} takes one name; for several write ${key}s: [${input.map(String).join(', ')}]`;
  }
  if ((key === 'oidc' || key === 'saml' || key === 'cognito') && typeof input === 'string') {
    return key === 'saml' ? `saml takes a mapping: saml: { provider: ${input} }` : `${key} takes a mapping, e.g. ${key}: { provider: ${input}, ... }`;
  }
  return undefined;
}

function missingHint(key: string): string {
  switch (key) {
    case 'name':
      return ': every entry has a name';
    case 'id':
      return ': the 12-digit account id, in quotes';
    case 'members':
      return ': the users of the group, e.g. members: [alice, bob] (members: [] for none yet)';
    case 'trust':
      return ': who may assume this role, e.g. trust: [{ user: identity/alice }]';
    case 'actions':
      return ': e.g. actions: [s3:GetObject] (or notActions: [...], every action but those)';
    case 'resources':
      return ': e.g. resources: ["arn:aws:s3:::my-bucket/*"], or ["*"] (or notResources: [...], every resource but those)';
    case 'subject':
      return ': the token subject that may assume the role, e.g. repo:acme/app:ref:refs/heads/main';
    case 'audience':
      return ': the audience (client id) the token must carry';
    case 'repo':
      return ': the repository, owner/name';
    case 'rule':
      return ': the id of the security rule accepted, as validate prints it';
    case 'reason':
      return ': why this risk is taken on purpose, in words reviewers read';
    default:
      return '';
  }
}

function article(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping (key: value)';
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${truncate(value)}"`;
  return `${typeof value} ${String(value)}`;
}

function withValue(message: string, input: unknown): string {
  // A message that already quotes the value (perhaps shortened) needs no prefix.
  if (typeof input === 'string' && input.length > 0 && !message.includes(input) && !message.includes(truncate(input))) return `"${truncate(input)}": ${message}`;
  return message;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
