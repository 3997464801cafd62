import { z } from 'zod';
import { bucketNameProblem, region, strictObject } from './primitives';

/**
 * `state:` (top level, once across all files): where every stack keeps its
 * Terraform state. Each stack needs its own state: two stacks writing one
 * state each see the other's resources as ones to destroy. So the key (S3)
 * or workspace (HCP Terraform) is a template in which `{account}` is
 * replaced by the stack's name, and it must contain it.
 */

/** The only placeholder a key or workspace may hold. */
export const STACK_PLACEHOLDER = '{account}';

const ONE_STATE_PER_STACK =
  'two stacks writing one state destroy each other\'s resources (each sees the other\'s as ones to remove)';

/** Reports a missing `{account}` (as `rule`) and any other `{...}` in a template. */
function placeholderIssues(value: string, ctx: z.core.$RefinementCtx<string>, rule: string, what: string, example: string): void {
  const others = [...value.matchAll(/\{[^}]*\}?/g)].map((m) => m[0]).filter((p) => p !== STACK_PLACEHOLDER);
  if (others.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${others.map((p) => `"${p}"`).join(', ')}: the only placeholder in a ${what} is {account}, replaced by each stack's name`,
    });
  }
  if (!value.includes(STACK_PLACEHOLDER)) {
    ctx.addIssue({
      code: 'custom',
      params: { rule },
      message: `the ${what} must contain {account}, e.g. ${example}, so that every stack gets its own state: ${ONE_STATE_PER_STACK}`,
    });
  }
}

/** An S3 object key, as the S3 backend takes it (never empty, no leading, trailing or double "/"). */
const stateKey = z.string({ error: 'key is text, e.g. rolecall/{account}.tfstate' }).superRefine((value, ctx) => {
  const text = value.split(STACK_PLACEHOLDER).join('');
  if (value.length > 512) {
    ctx.addIssue({ code: 'custom', message: `a state key is at most 512 characters; this one is ${value.length}` });
  } else if (!/^[A-Za-z0-9!_.*'()/{}-]*$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'a state key uses only letters, digits, "/" and ! - _ . * \' ( ), besides {account}' });
  } else if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) {
    ctx.addIssue({ code: 'custom', message: 'a state key does not start or end with "/" and has no "//" in it (the S3 backend refuses them), e.g. rolecall/{account}.tfstate' });
  }
  placeholderIssues(value, ctx, 'state-key', 'state key', 'rolecall/{account}.tfstate');
});

const stateBucket = z.string({ error: 'bucket is the name of the S3 bucket that holds the state' }).superRefine((value, ctx) => {
  if (value.startsWith('arn:')) {
    ctx.addIssue({ code: 'custom', message: `name the bucket, not its ARN: ${value.replace(/^arn:[^:]*:s3:::/, '')}` });
    return;
  }
  const problem = bucketNameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** An IAM role ARN, any path. */
export const roleArnPattern = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;

export const iamRoleArn = z
  .string({ error: 'a role ARN is text: arn:aws:iam::111111111111:role/NAME' })
  .regex(roleArnPattern, 'this is an IAM role ARN: arn:aws:iam::111111111111:role/NAME (or role/PATH/NAME)');

const workspaceName = z.string({ error: 'workspace is text, e.g. rolecall-{account}' }).superRefine((value, ctx) => {
  const text = value.split(STACK_PLACEHOLDER).join('');
  if (!/^[A-Za-z0-9_{}-]*$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'an HCP Terraform workspace name uses only letters, digits, "-" and "_", besides {account}' });
  } else if (value.length > 90) {
    ctx.addIssue({ code: 'custom', message: `an HCP Terraform workspace name is at most 90 characters; this one is ${value.length}` });
  }
  placeholderIssues(value, ctx, 'state-workspace', 'workspace name', 'rolecall-{account}');
});

const organization = z
  .string({ error: 'organization is the HCP Terraform organization name' })
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'an HCP Terraform organization name is 1 to 40 letters, digits, "-" and "_"');

const hostname = z
  .string({ error: 'hostname is a host name, e.g. tfe.example.com' })
  .regex(
    /^(?=.{1,253}(?::|$))[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::\d{1,5})?$/i,
    'hostname is the host name of HCP Terraform or a Terraform Enterprise installation, e.g. tfe.example.com, with no https:// or path',
  );

const s3State = strictObject({
  bucket: stateBucket,
  region,
  key: stateKey,
  roleArn: iamRoleArn.optional(),
});

const cloudState = strictObject({
  organization,
  workspace: workspaceName,
  hostname: hostname.optional(),
});

export const stateSchema = strictObject({
  s3: s3State.optional(),
  cloud: cloudState.optional(),
}).superRefine((value, ctx) => {
  const kinds = (['s3', 'cloud'] as const).filter((key) => value[key] !== undefined);
  if (kinds.length === 1) return;
  ctx.addIssue({
    code: 'custom',
    path: kinds.length > 1 ? ['cloud'] : [],
    message:
      kinds.length > 1
        ? 'state is kept in one place: s3 or cloud, not both'
        : 'state takes one of s3: { bucket, region, key } or cloud: { organization, workspace }; leave state: out for local state files',
  });
});

export type StateConfig = z.infer<typeof stateSchema>;
