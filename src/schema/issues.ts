import type { z } from 'zod';
import { at, type Diagnostic, type PathSegment, type SourceRef } from '../diagnostics/diagnostic';
import { didYouMean } from '../diagnostics/suggest';
import { KNOWN_KEYS_MARK } from './primitives';

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

  if (issue.code === 'unrecognized_keys') {
    const known = issue.message.startsWith(KNOWN_KEYS_MARK)
      ? (JSON.parse(issue.message.slice(KNOWN_KEYS_MARK.length)) as string[])
      : [];
    return issue.keys.map((key) => {
      const hint = didYouMean(key, known);
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
    const message = issue.message.startsWith('Invalid input')
      ? `${key} should be ${article(issue.expected)}, not ${describe(input)}`
      : issue.message;
    return [{ severity: 'error', rule: 'invalid-type', message, source }];
  }

  if (issue.code === 'invalid_value' && issue.message.startsWith('Invalid')) {
    const choices = issue.values.map((v) => JSON.stringify(v)).join(', ');
    return [{ severity: 'error', rule: 'invalid-value', message: `expected one of ${choices}`, source }];
  }

  if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
    const expected = [...new Set(issue.errors.flatMap((branch) => branch.filter((i) => i.code === 'invalid_type').map((i) => article((i as { expected: string }).expected))))];
    const message = expected.length > 0 ? `${key} should be ${expected.join(' or ')}, not ${describe(input)}` : `${key} has a value of the wrong shape`;
    return [{ severity: 'error', rule: 'invalid-type', message, source }];
  }

  const rule = issue.code === 'custom' && typeof issue.params?.['rule'] === 'string' ? issue.params['rule'] : 'invalid-value';
  return [{ severity: 'error', rule, message: withValue(issue.message, input), source }];
}

function missingHint(key: string): string {
  switch (key) {
    case 'name':
      return ': every entry has a name';
    case 'id':
      return ': the 12-digit account id, in quotes';
    case 'trust':
      return ': who may assume this role, e.g. trust: [{ user: identity/alice }]';
    case 'actions':
      return ': e.g. actions: [s3:GetObject]';
    case 'resources':
      return ': e.g. resources: ["arn:aws:s3:::my-bucket/*"], or ["*"]';
    case 'subject':
      return ': the token subject that may assume the role, e.g. repo:acme/app:ref:refs/heads/main';
    case 'audience':
      return ': the audience (client id) the token must carry';
    case 'repo':
      return ': the repository, owner/name';
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
  if (typeof input === 'string' && input.length > 0 && !message.includes(input)) return `"${truncate(input)}": ${message}`;
  return message;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
