import { z } from 'zod';
import { accountName, actionPattern, principalReference, resourcePattern, servicePrincipal, strictObject, type UnknownKeysParams } from './primitives';
import { accountTarget, cognitoTarget, githubTarget, oidcTarget, samlTarget } from './trustSchema';

/**
 * `expect:` entries: what must (`can`) or must not (`cannot`) be possible.
 * `who` takes the trust entries' forms (their own schemas, reused), or
 * `outside: [account, ...]`.
 */

/** A `who` names identities to check, not a pattern: a wildcard would make `cannot` check one literal name. */
function noWildcards(values: readonly (string | undefined)[], ctx: z.core.$RefinementCtx, path: (string | number)[]): void {
  if (values.some((value) => value !== undefined && /[*?]/.test(value))) {
    ctx.addIssue({ code: 'custom', path, message: 'who names the identity to check, without wildcards: write one branch, environment, tag, ref or subject' });
  }
}

const githubWho = githubTarget.superRefine((value, ctx) => {
  for (const key of ['branch', 'environment', 'tag', 'ref'] as const) noWildcards([value[key]], ctx, [key]);
});

const oidcWho = oidcTarget.superRefine((value, ctx) => {
  noWildcards(Array.isArray(value.subject) ? value.subject : [value.subject], ctx, ['subject']);
});

export const WHO_KIND_KEYS = ['user', 'role', 'group', 'account', 'service', 'github', 'oidc', 'saml', 'cognito', 'outside'] as const;

export type WhoKindKey = (typeof WHO_KIND_KEYS)[number];

const whoKindSchemas = {
  user: strictObject({ user: principalReference }),
  role: strictObject({ role: principalReference }),
  group: strictObject({ group: principalReference }),
  account: strictObject({ account: accountTarget }),
  service: strictObject({ service: servicePrincipal }),
  github: strictObject({ github: githubWho }),
  oidc: strictObject({ oidc: oidcWho }),
  saml: strictObject({ saml: samlTarget }),
  cognito: strictObject({ cognito: cognitoTarget }),
  outside: strictObject({
    outside: z.array(accountName, { error: 'outside lists the accounts whose principals are inside, e.g. outside: [identity]' }).min(1, 'list at least one account: outside: [identity]'),
  }),
} satisfies Record<WhoKindKey, z.ZodType>;

export type WhoConfig = { [K in WhoKindKey]: z.infer<(typeof whoKindSchemas)[K]> }[WhoKindKey];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `who`: the one kind key it holds picks its schema, as for trust entries. */
const who = z.custom<WhoConfig>(() => true).superRefine((value, ctx) => {
  if (!isPlainObject(value)) {
    ctx.addIssue({ code: 'custom', message: 'who is a mapping with one key, e.g. who: { user: identity/alice } or who: { outside: [identity] }' });
    return;
  }
  const kinds = WHO_KIND_KEYS.filter((key) => key in value);
  if (kinds.length !== 1) {
    const unknown = Object.keys(value).filter((key) => !(WHO_KIND_KEYS as readonly string[]).includes(key));
    if (kinds.length === 0 && unknown.length > 0) {
      ctx.addIssue({ code: 'unrecognized_keys', keys: unknown, params: { knownKeys: [...WHO_KIND_KEYS] } satisfies UnknownKeysParams } as never);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      ...(kinds.length > 1 ? { path: [kinds[1]!] } : {}),
      message: kinds.length > 1
        ? `who names one kind of principal, not ${kinds.join(' and ')}: write one expectation for each`
        : `who needs exactly one of ${WHO_KIND_KEYS.join(', ')}`,
    });
    return;
  }
  const result = whoKindSchemas[kinds[0]!].safeParse(value, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue(issue as never);
  }
});

const oneOrMany = <T extends z.ZodType>(item: T, what: string) => z.union([item, z.array(item).min(1, `list at least one ${what}`)]);

const outcome = strictObject({
  assume: principalReference.optional(),
  do: oneOrMany(actionPattern, 'action').optional(),
  on: oneOrMany(resourcePattern, 'resource ARN').optional(),
}).superRefine((value, ctx) => {
  // A misspelt key ("asume") is reported as such, with its suggestion: saying what is missing too would repeat it.
  if (Object.keys(value).some((key) => !['assume', 'do', 'on'].includes(key))) return;
  if (value.assume !== undefined) {
    for (const key of ['do', 'on'] as const) {
      if (value[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} does not go with assume: write a second expectation for it` });
    }
    return;
  }
  if (value.do === undefined && value.on === undefined) {
    ctx.addIssue({ code: 'custom', message: 'say what is (or is not) possible: { assume: account/role } or { do: ACTION, on: ARN }' });
  } else if (value.do === undefined) {
    ctx.addIssue({ code: 'custom', message: 'on needs do: the action or actions, e.g. do: s3:GetObject' });
  } else if (value.on === undefined) {
    ctx.addIssue({ code: 'custom', message: 'do needs on: the resource ARN or ARNs, e.g. on: "arn:aws:s3:::my-bucket/*"' });
  }
});

export const expectSchema = strictObject({
  who,
  can: outcome.optional(),
  cannot: outcome.optional(),
  reason: z.string().regex(/\S/, 'a reason cannot be blank: say why, or leave the key out').optional(),
}).superRefine((value, ctx) => {
  if (value.can !== undefined && value.cannot !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['cannot'], message: 'an expectation has one of can or cannot, not both: write two expectations' });
  } else if (value.can === undefined && value.cannot === undefined) {
    ctx.addIssue({ code: 'custom', message: 'an expectation needs can: or cannot:, e.g. cannot: { assume: data-prod/data-admin }' });
  }
});

export type ExpectConfig = z.infer<typeof expectSchema>;
export type ExpectOutcomeConfig = z.infer<typeof outcome>;
