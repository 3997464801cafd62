import * as z from 'zod';
import { didYouMean } from '../diagnostics/suggest';

/**
 * Building blocks of the config schema. Each carries its AWS rule (see
 * iam-facts.md) and a message that says how to fix a wrong value. No
 * transforms: the validated config keeps the YAML's shape, so every zod
 * issue path is a YAML path.
 */

/** What a strict object's unknown-key issue carries: the keys it knows, for "did you mean". */
export interface UnknownKeysParams {
  readonly knownKeys: readonly string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * z.strictObject, but its unknown-key issue carries the known keys as
 * params (zod's own carries only the unknown ones). The check runs even when
 * a field is wrong, as zod's does, so one run reports both.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const knownKeys = Object.keys(shape);
  const checked = z.looseObject(shape).superRefine(
    (value, ctx) => {
      const keys = Object.keys(value).filter((key) => !Object.prototype.hasOwnProperty.call(shape, key));
      if (keys.length === 0) return;
      const params: UnknownKeysParams = { knownKeys };
      ctx.addIssue({ code: 'unrecognized_keys', keys, params, input: value } as never);
    },
    { when: (payload) => isPlainObject(payload.value) },
  );
  // A value with unknown keys never parses, so what parses has the strict object's type.
  return checked as unknown as z.ZodObject<Shape, z.core.$strict>;
}

const text = (pattern: RegExp, message: string) => z.string().regex(pattern, message);

export const accountName = text(
  /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/,
  'an account name is 1 to 50 characters of lowercase letters, digits and "-", not starting or ending with "-"',
);

export const accountIdPattern = /^\d{12}$/;

/** A bare number here is reported as account-id-unquoted by the issue translator (issues.ts). */
export const accountId = text(accountIdPattern, 'an account id is exactly 12 digits, written in quotes: id: "111111111111"');

export const region = text(
  /^[a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}$/,
  'a region looks like us-east-1 or eu-west-2',
);

export const partition = z.enum(['aws', 'aws-cn', 'aws-us-gov'], {
  error: 'partition is one of aws, aws-cn, aws-us-gov',
});

export const iamName = z
  .string()
  .min(1, 'a name may not be empty')
  .max(64, 'IAM user and role names are at most 64 characters')
  .regex(/^[\w+=,.@-]+$/, 'IAM user and role names use only letters, digits and + = , . @ _ -');

export const groupName = z
  .string()
  .min(1, 'a name may not be empty')
  .max(128, 'an IAM group name is at most 128 characters')
  .regex(/^[\w+=,.@-]+$/, 'an IAM group name uses only letters, digits and + = , . @ _ -');

export const providerName = z
  .string()
  .min(1)
  .max(128, 'a provider name is at most 128 characters')
  .regex(/^[\w.-]+$/, 'a provider name uses only letters, digits and . _ -');

const iamPathShape = /^(?:\/|\/[\x21-\x7e]+\/)$/;

export const iamPath = z
  .string()
  .max(512, 'an IAM path is at most 512 characters')
  .regex(iamPathShape, 'an IAM path is "/" alone or starts and ends with "/", e.g. /people/')
  // IAM takes * and ? in a path, but the path is part of the ARN that callers'
  // AssumeRole statements and trust policies name: "/*/" matches the name at any path.
  .refine(
    (value) => !(iamPathShape.test(value) && /[*?]/.test(value)),
    'an IAM path is literal: no * or ? in it, since it is part of the ARN that AssumeRole statements and trust policies name, and a wildcard there would match this name at any path (write the path itself, e.g. /teams/data/)',
  );

export const description = z
  .string()
  .max(1000, 'a role description is at most 1000 characters')
  .regex(/^[\t\n\r\x20-\x7e\xa1-\xff]*$/, 'a role description uses printable Latin-1 characters only');

const tagText = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const tags = z
  .record(
    z
      .string()
      .min(1, 'a tag key may not be empty')
      .max(128, 'a tag key is at most 128 characters')
      .regex(tagText, 'a tag key uses letters, digits, spaces and _ . : / = + - @')
      .refine((key) => !key.toLowerCase().startsWith('aws:'), 'tag keys starting with "aws:" are reserved for AWS'),
    z
      .string({ error: 'a tag value is a string: quote numbers and booleans' })
      .max(256, 'a tag value is at most 256 characters')
      .regex(tagText, 'a tag value uses letters, digits, spaces and _ . : / = + - @'),
  )
  .refine((value) => Object.keys(value).length <= 50, 'a user or role has at most 50 tags');

/** `3600`, `15m`, `1h`, `1h30m`; the range is checked where the duration is used. */
const durationMessage = 'a duration is whole seconds (3600) or a string like 15m, 1h, 12h, 1h30m';
export const duration = z.union(
  [
    z.number({ error: durationMessage }).int(durationMessage).positive(durationMessage),
    z.string().regex(/^(?=\d)(?:\d+h)?(?:\d+m)?(?:\d+s)?$/, durationMessage),
  ],
  { error: durationMessage },
);

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

const dateMessage = 'a date is YYYY-MM-DD (00:00 UTC) or a full ISO-8601 timestamp with its zone, such as 2026-12-06T18:00:00Z';

export const date = z.string({ error: dateMessage }).superRefine((value, ctx) => {
  if (!datePattern.test(value) && !timestampPattern.test(value)) {
    ctx.addIssue({ code: 'custom', message: dateMessage });
    return;
  }
  const problem = missingDay(value.slice(0, 10));
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  else if (Number.isNaN(Date.parse(value))) ctx.addIssue({ code: 'custom', message: `${value} is no real time: hours go to 23, minutes to 59` });
});

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2027-02-30 matches the pattern but is no day: say which month is short. */
function missingDay(day: string): string | undefined {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  if (month < 1 || month > 12) return `${day}: there is no month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return date < 1 || date > days ? `${day} does not exist: ${MONTHS[month - 1]} ${year} has ${days} days` : undefined;
}

export const externalId = z
  .string({ error: 'externalId is a string of 2 to 1224 characters' })
  .min(2, 'an external id is at least 2 characters')
  .max(1224, 'an external id is at most 1224 characters')
  .regex(/^[\w+=,.@:/-]+$/, 'an external id uses only letters, digits and + = , . @ : / _ -');

const ipv4Cidr = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/(?:3[0-2]|[12]?\d))?$/;
const ipv6Cidr = /^(?=.*:)[0-9a-fA-F:]{2,39}(?:\/(?:12[0-8]|1[01]\d|[1-9]?\d))?$/;

export const cidr = z
  .string()
  .refine((value) => ipv4Cidr.test(value) || ipv6Cidr.test(value), 'sourceIp takes IP ranges in CIDR form, e.g. 203.0.113.0/24');

export const servicePrincipal = text(
  /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?$/,
  'a service principal is a service host name such as ec2.amazonaws.com',
);

/** `account/name` or `name`: a user or role declared in this config. */
export const principalReference = text(
  /^(?:[a-z0-9-]+\/)?[\w+=,.@-]{1,64}$/,
  'a reference is "account/name", or "name" for the role\'s own account',
);

/** `account/name` or `name`: a group declared in this config (group names run to 128 characters). */
export const groupReference = text(
  /^(?:[a-z0-9-]+\/)?[\w+=,.@-]{1,128}$/,
  'a group reference is "account/name", or "name" for the role\'s own account',
);

export const actionPattern = z
  .string()
  .regex(
    /^(?:\*|[a-zA-Z0-9-]+:[A-Za-z0-9*?]+)$/,
    'an action is "service:Action" (wildcards * and ? allowed in the action part), or "*" alone',
  );

/** IAM policy text allows tab, LF, CR and U+0020 to U+00FF only. */
const policyText = /^[\t\n\r\x20-\xff]*$/;
const policyTextMessage = 'IAM policies accept only Latin-1 characters (U+0020 to U+00FF)';

export const resourcePattern = z
  .string()
  .refine(
    (value) => value === '*' || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+$/.test(value),
    'a resource is an ARN such as arn:aws:s3:::my-bucket/*, or "*"',
  )
  .refine((value) => policyText.test(value), policyTextMessage);

const conditionValue = z.union([z.string().regex(policyText, policyTextMessage), z.number(), z.boolean()]);

const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnNotEquals', 'ArnLike', 'ArnNotLike',
];
/** Every IAM condition operator: the base ones, their IfExists forms, set qualifiers, and Null. */
export const CONDITION_OPERATORS: readonly string[] = [
  ...['', 'ForAnyValue:', 'ForAllValues:'].flatMap((set) => BASE_OPERATORS.flatMap((op) => [`${set}${op}`, `${set}${op}IfExists`])),
  'Null',
];
const operatorSet = new Set(CONDITION_OPERATORS);

/** A raw IAM condition block: operator → key → value(s). */
export const conditionBlock = z.record(
  z.string().superRefine((value, ctx) => {
    if (value === '') {
      ctx.addIssue({ code: 'custom', message: 'write "Null" in quotes: YAML reads a bare Null as an empty key' });
    } else if (!operatorSet.has(value)) {
      const hint = didYouMean(value, CONDITION_OPERATORS) || '; IAM knows StringEquals, StringLike, ArnLike, Bool, DateLessThan, IpAddress, Null and their IfExists / ForAnyValue: forms';
      ctx.addIssue({ code: 'custom', message: `"${value}" is no IAM condition operator${hint}` });
    }
  }),
  z
    .record(
      z
        .string()
        .regex(/^[^:\s]+:\S+$/, 'a condition key is PREFIX:NAME, e.g. aws:SourceIp or s3:prefix')
        .regex(policyText, policyTextMessage),
      z.union([conditionValue, z.array(conditionValue).min(1)]),
    )
    .refine((keys) => Object.keys(keys).length > 0, 'an operator needs at least one condition key under it'),
);

/** Each pair is one IAM element: `Action` or `NotAction`, `Resource` or `NotResource`, exactly one of each. */
const STATEMENT_PAIRS = [
  ['actions', 'notActions', 'list the actions'],
  ['resources', 'notResources', 'list the resources'],
] as const;

export const policyStatement = strictObject({
  actions: z.array(actionPattern).min(1, 'list at least one action').optional(),
  notActions: z.array(actionPattern).min(1, 'list at least one action that the statement leaves out').optional(),
  resources: z.array(resourcePattern).min(1, 'list at least one resource ARN, or "*"').optional(),
  notResources: z.array(resourcePattern).min(1, 'list at least one resource ARN that the statement leaves out').optional(),
  conditions: conditionBlock.optional(),
}).superRefine((value, ctx) => {
  if (typeof value !== 'object' || value === null) return;
  for (const [plain, not, hint] of STATEMENT_PAIRS) {
    const hasPlain = value[plain] !== undefined;
    const hasNot = value[not] !== undefined;
    if (hasPlain && hasNot) {
      ctx.addIssue({
        code: 'custom',
        path: [not],
        message: `a statement has ${plain} or ${not}, not both (IAM takes one of them): split it into two statements`,
      });
    } else if (!hasPlain && !hasNot) {
      // Reported as the missing key, with its hint (issues.ts).
      ctx.addIssue({ code: 'custom', path: [plain], message: hint });
    }
  }
});

export const policyStatements = z.array(policyStatement);

/** S3 bucket naming rules, each with its own message. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'a bucket name is 3 to 63 characters long';
  if (/[A-Z]/.test(name)) return 'bucket names are lowercase: S3 never accepts capitals';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'a bucket name uses only lowercase letters, digits, "." and "-"';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'a bucket name begins and ends with a letter or digit';
  if (name.includes('..')) return 'a bucket name has no ".." in it';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'a bucket name may not look like an IP address';
  if (/^(?:xn--|sthree-|amzn-s3-demo-)/.test(name)) return 'a bucket name may not start with xn--, sthree- or amzn-s3-demo-';
  if (/(?:-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name)) return 'a bucket name may not end with -s3alias, --ol-s3, .mrap or --x-s3';
  return undefined;
}

/** `bucket` or `bucket/prefix/`. */
export const bucketScope = z.string().superRefine((value, ctx) => {
  if (value.startsWith('arn:')) {
    const name = value.replace(/^arn:[^:]*:s3:::/, '');
    ctx.addIssue({ code: 'custom', message: `name the bucket, not its ARN: ${name}` });
    return;
  }
  const slash = value.indexOf('/');
  const bucket = slash === -1 ? value : value.slice(0, slash);
  const problem = bucketNameProblem(bucket);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `"${bucket}": ${problem}` });
    return;
  }
  const prefix = slash === -1 ? '' : value.slice(slash + 1);
  if (slash !== -1 && (prefix === '' || !prefix.endsWith('/'))) {
    ctx.addIssue({ code: 'custom', message: 'a prefix ends with "/", e.g. analytics-prod/reports/ (or name the bucket alone)' });
  } else if (/[*?]/.test(prefix)) {
    ctx.addIssue({ code: 'custom', message: 'a prefix is literal: no * or ? in it' });
  }
});

export const policyName = z
  .string()
  .refine(
    (value) =>
      /^arn:(?:aws|aws-cn|aws-us-gov):iam::(?:aws|\d{12}):policy\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,128}$/.test(value) ||
      /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/.test(value),
    'a managed policy is a policy name (e.g. AmazonS3ReadOnlyAccess) or a policy ARN (arn:aws:iam::123456789012:policy/Name)',
  );

export const httpsUrl = z
  .string()
  .max(255, 'an OIDC provider URL is at most 255 characters')
  .regex(/^https:\/\/[a-z0-9.-]+(?::\d+)?(?:\/[^?#\s]*)?$/i, 'an OIDC provider URL starts with https:// and has no query string');

export const thumbprint = text(/^[0-9a-fA-F]{40}$/, 'a thumbprint is 40 hexadecimal characters (a SHA-1 fingerprint)');

export const providerArn = text(
  /^arn:(?:aws|aws-cn|aws-us-gov):iam::\d{12}:(?:saml-provider\/[\w.-]+|oidc-provider\/[a-z0-9.-]+(?::\d+)?(?:\/\S*)?)$/i,
  'an existing provider is an ARN: arn:aws:iam::111111111111:saml-provider/NAME or arn:aws:iam::111111111111:oidc-provider/HOST',
);
