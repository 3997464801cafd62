import * as z from 'zod';
import {
  accountIdPattern,
  cidr,
  date,
  duration,
  externalId,
  groupReference,
  principalReference,
  providerName,
  servicePrincipal,
  strictObject,
  type UnknownKeysParams,
} from './primitives';
import { TRUST_KIND_KEYS, type TrustKindKey } from './trustKinds';

/** Conditions and notes that any trust entry may carry beside its kind key. */
const guards = {
  mfa: z
    .union([z.boolean(), strictObject({ maxAge: duration })], {
      error: 'mfa is true, or { maxAge: 1h } to also limit how long ago the MFA sign-in was',
    })
    .optional(),
  expires: date.optional(),
  sourceIp: z.array(cidr).min(1, 'list at least one CIDR range').optional(),
  tagSession: z.boolean().optional(),
  reason: z.string().optional(),
  ticket: z.string().optional(),
  owner: z.string().optional(),
};

const noWildcard = (what: string) => (value: string) => !/[*?]/.test(value) || `${what}: a wildcard is never a principal; name the account`;

export const accountTarget = z.string({ error: 'account takes an account name from accounts:, or a quoted 12-digit id' }).superRefine((value, ctx) => {
  const problem = noWildcard('account')(value);
  if (problem !== true) {
    ctx.addIssue({ code: 'custom', message: problem });
  } else if (!accountIdPattern.test(value) && !/^[a-z0-9-]+$/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'account takes an account name from accounts:, or a quoted 12-digit id' });
  }
});

const githubRepo = z.string().superRefine((value, ctx) => {
  if (/^[^/]+\/\*$/.test(value) || value === '*' || /[*?]/.test(value.split('/')[0] ?? '')) {
    ctx.addIssue({ code: 'custom', message: `"${value}" matches every repository of the owner; name one repository, e.g. acme/deploy-tools` });
  } else if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'repo is "owner/name", e.g. acme/deploy-tools, with no wildcards' });
  }
});

const githubRefKinds = ['branch', 'environment', 'tag', 'ref'] as const;

/** Git's ref name rules, the part that matters here: no space, control character, ~ ^ : \\ [ or "..". */
const gitName = (what: string) =>
  z
    .string()
    .min(1)
    .regex(/^(?!.*\.\.)[^\x00-\x20\x7f~^:\\[]+$/, `a ${what} name has no spaces, control characters, ~ ^ : \\ [ or ".." (git refuses them)`);

export const githubTarget = strictObject({
  repo: githubRepo,
  branch: gitName('branch').optional(),
  environment: z.string().min(1).max(255).regex(/^[\x20-\x7e\xa0-\xff]+$/, 'an environment name is printable text, no control characters').optional(),
  tag: gitName('tag').optional(),
  ref: gitName('ref').regex(/^refs\//, 'ref is a full git ref such as refs/heads/main or refs/pull/1/merge').optional(),
  provider: providerName.optional(),
  audience: z.string().min(1).optional(),
}).superRefine((value, ctx) => {
  const given = githubRefKinds.filter((key) => value[key] !== undefined);
  if (given.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: 'a GitHub trust names the branch, environment, tag or ref that may deploy, e.g. branch: main',
    });
  } else if (given.length > 1) {
    ctx.addIssue({ code: 'custom', path: [given[1]!], message: `name one of branch, environment, tag or ref, not ${given.join(' and ')}` });
  }
  if (value.branch?.startsWith('refs/')) {
    ctx.addIssue({ code: 'custom', path: ['branch'], message: `write branch: ${value.branch.replace(/^refs\/heads\//, '')} (the branch name; rolecall adds refs/heads/), or use ref: for a full ref` });
  }
  if (value.tag?.startsWith('refs/')) {
    ctx.addIssue({ code: 'custom', path: ['tag'], message: `write tag: ${value.tag.replace(/^refs\/tags\//, '')} (the tag name; rolecall adds refs/tags/)` });
  }
  for (const key of given) {
    const pattern = value[key]!;
    // "*", "**", "?*", "refs/*", "refs/heads/*": every branch (or environment, tag, ref), pull requests included.
    if (/^(?:refs\/(?:[^/*?]+\/)?)?[*?]+$/.test(pattern)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `${key}: "${pattern}" lets every ${key} of the repository in; name it, or use a narrower pattern such as release/*` });
    }
  }
});

/** A subject that lets in identities nobody named: every subject, or every repository of an owner. */
export function subjectProblem(subject: string): string | undefined {
  if (/^[*?:/]*$/.test(subject)) return `subject "${subject}" lets every identity of the issuer assume the role; name the subject`;
  if (/^[*?]/.test(subject)) return `subject "${subject}" starts with a wildcard, which matches identities nobody named; start it with its literal part`;
  if (/^repo:[^:]*[*?]/.test(subject)) {
    return `subject "${subject}" matches more than one repository; name one repository, e.g. repo:acme/app:ref:refs/heads/main`;
  }
  return undefined;
}

const oneOrMany = (item: z.ZodString) => z.union([item, z.array(item).min(1)]);

export const oidcTarget = strictObject({
  provider: providerName,
  audience: oneOrMany(z.string().min(1)),
  subject: oneOrMany(z.string().min(1)),
}).superRefine((value, ctx) => {
  const subjects = Array.isArray(value.subject) ? value.subject : [value.subject];
  subjects.forEach((subject, index) => {
    const problem = subjectProblem(subject);
    if (problem) ctx.addIssue({ code: 'custom', path: Array.isArray(value.subject) ? ['subject', index] : ['subject'], message: problem });
  });
});

export const cognitoTarget = strictObject({
  identityPool: z
    .string()
    .regex(
      /^[a-z]{2}(?:-gov)?-[a-z]+-\d:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      'identityPool is REGION:UUID, e.g. us-east-1:12345678-1234-1234-1234-123456789012',
    ),
  authenticated: z.boolean().optional(),
});

export const samlTarget = strictObject({ provider: providerName });

const serviceExtras = {
  sourceAccount: z
    .string({ error: 'sourceAccount is a quoted 12-digit account id or an account name' })
    .regex(/^(?:\d{12}|[a-z0-9-]+)$/, 'sourceAccount is a quoted 12-digit account id or an account name')
    .optional(),
  sourceArn: z.string().regex(/^arn:[^:]+:[^:]+:/, 'sourceArn is an ARN, wildcards allowed').optional(),
};

const references = z.array(principalReference).min(1, 'list at least one name');

/** Each trust kind is its own schema, its guard conditions required. */
export const trustKindSchemas = {
  user: strictObject({ user: principalReference, ...guards }),
  users: strictObject({ users: references, ...guards }),
  role: strictObject({ role: principalReference, ...guards }),
  roles: strictObject({ roles: references, ...guards }),
  group: strictObject({ group: groupReference, ...guards }),
  groups: strictObject({ groups: z.array(groupReference).min(1, 'list at least one group'), ...guards }),
  account: strictObject({ account: accountTarget, externalId: externalId.optional(), ...guards }),
  service: strictObject({ service: servicePrincipal, ...serviceExtras, ...guards }),
  github: strictObject({ github: githubTarget, ...guards }),
  oidc: strictObject({ oidc: oidcTarget, ...guards }),
  cognito: strictObject({ cognito: cognitoTarget, ...guards }),
  saml: strictObject({ saml: samlTarget, ...guards }),
} satisfies Record<TrustKindKey, z.ZodType>;


export type TrustEntryConfig = {
  [K in TrustKindKey]: z.infer<(typeof trustKindSchemas)[K]>;
}[TrustKindKey];

const allTrustKeys = [...new Set(Object.values(trustKindSchemas).flatMap((schema) => Object.keys(schema.shape)))];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A trust entry: the one kind key it holds picks its schema. Dispatching by
 * hand (not a zod union) keeps each error about the kind the author meant.
 */
export const trustEntry = z.custom<TrustEntryConfig>(() => true).superRefine((value, ctx) => {
  if (!isPlainObject(value)) {
    ctx.addIssue({ code: 'custom', message: 'a trust entry is a mapping such as "- user: identity/alice"' });
    return;
  }
  const kinds = TRUST_KIND_KEYS.filter((key) => key in value);
  if (kinds.length === 0) {
    const unknown = Object.keys(value).filter((key) => !allTrustKeys.includes(key));
    if (unknown.length > 0) {
      // A misspelt kind key ("usr") is reported once, with its suggestion.
      ctx.addIssue({ code: 'unrecognized_keys', keys: unknown, params: { knownKeys: allTrustKeys } satisfies UnknownKeysParams } as never);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      params: { rule: 'trust-kind' },
      message: `a trust entry needs exactly one kind key: ${TRUST_KIND_KEYS.join(', ')}`,
    });
    return;
  }
  if (kinds.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: [kinds[1]!],
      params: { rule: 'trust-kind' },
      message: `a trust entry holds one kind, not ${kinds.join(' and ')}: split it into two entries`,
    });
    return;
  }
  const result = trustKindSchemas[kinds[0]!].safeParse(value, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue(issue as never);
  }
});
