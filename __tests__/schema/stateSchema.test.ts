/** `state:` and `deployRole:` (issue 7, item 2): the AWS and HCP Terraform name rules, and one state per stack. */
import { iamRoleArn, stateSchema } from '../../src/schema/stateSchema';

const S3 = { bucket: 'acme-iam-state', region: 'eu-west-1', key: 'rolecall/{account}.tfstate' };
const CLOUD = { organization: 'acme', workspace: 'rolecall-{account}' };

/** Every issue of a state value, as `path: message (rule)`; empty when it is accepted. */
function issues(state: unknown): string[] {
  const result = stateSchema.safeParse(state);
  if (result.success) return [];
  return result.error.issues.map((i) => {
    const rule = i.code === 'custom' ? (i.params as { rule?: string } | undefined)?.rule : undefined;
    return `${i.path.join('.')}: ${i.message}${rule ? ` (${rule})` : ''}`;
  });
}

describe('state.s3', () => {
  it.each([
    S3,
    { ...S3, roleArn: 'arn:aws:iam::111111111111:role/iam-state' },
    { ...S3, roleArn: 'arn:aws:iam::111111111111:role/ci/iam-state' },
    { ...S3, key: '{account}' },
    { ...S3, key: "env/{account}/iam_(v2)!*'.tfstate" },
    { ...S3, key: 'both/{account}/{account}.tfstate' },
    { ...S3, bucket: 'a.b-c.d1' },
    { ...S3, region: 'us-gov-west-1' },
  ])('accepts %j', (s3) => {
    expect(issues({ s3 })).toEqual([]);
  });

  it.each([
    ['rolecall/terraform.tfstate', 'state-key'],
    ['rolecall/{ACCOUNT}.tfstate', '"{ACCOUNT}": the only placeholder'],
    ['rolecall/{acount}.tfstate', 'state-key'],
    ['rolecall/{account}/{stack}.tfstate', '"{stack}": the only placeholder in a state key is {account}'],
    ['rolecall/{account}/{.tfstate', '"{.tfstate": the only placeholder'],
    ['/rolecall/{account}.tfstate', 'does not start or end with "/"'],
    ['rolecall/{account}/', 'does not start or end with "/"'],
    ['rolecall//{account}.tfstate', 'no "//"'],
    ['rolecall/${file("/etc/passwd")}/{account}', 'uses only letters, digits'],
    ['rolecall/%{if true}/{account}', 'uses only letters, digits'],
    ['rolecall/{account} state', 'uses only letters, digits'],
    ['', 'state-key'],
    [`${'k/'.repeat(300)}{account}`, 'at most 512 characters'],
  ])('refuses the key %j, saying why', (key, why) => {
    expect(issues({ s3: { ...S3, key } }).join('\n')).toContain(why);
  });

  it('says why {account} is required: two stacks on one state destroy each other', () => {
    expect(issues({ s3: { ...S3, key: 'iam.tfstate' } })).toEqual([
      "s3.key: the state key must contain {account}, e.g. rolecall/{account}.tfstate, so that every stack gets its own state: two stacks writing one state destroy each other's resources (each sees the other's as ones to remove) (state-key)",
    ]);
  });

  it.each([
    ['Acme-State', 'lowercase'],
    ['ab', '3 to 63'],
    ['acme_state', 'only lowercase letters'],
    ['-acme', 'begins and ends'],
    ['acme..state', '".."'],
    ['192.168.1.1', 'IP address'],
    ['xn--acme', 'may not start'],
    ['acme-s3alias', 'may not end'],
    ['arn:aws:s3:::acme-state', 'name the bucket, not its ARN: acme-state'],
  ])('refuses the bucket %j (S3 naming rules)', (bucket, why) => {
    expect(issues({ s3: { ...S3, bucket } }).join('\n')).toContain(why);
  });

  it.each(['eu-west1', 'EU-WEST-1', 'europe', ''])('refuses the region %j', (region) => {
    expect(issues({ s3: { ...S3, region } }).join('\n')).toContain('a region looks like us-east-1');
  });

  it('requires bucket, region and key, and knows no other key', () => {
    expect(issues({ s3: {} }).map((i) => i.split(':')[0])).toEqual(['s3.bucket', 's3.region', 's3.key']);
    expect(issues({ s3: { ...S3, dynamodbTable: 'locks' } }).join('\n')).toContain('dynamodbTable');
  });
});

describe('an IAM role ARN (state.s3.roleArn, accounts[].deployRole)', () => {
  it.each(['arn:aws:iam::111111111111:role/x', 'arn:aws-cn:iam::111111111111:role/a/b/x', 'arn:aws-us-gov:iam::111111111111:role/x+=,.@_-'])('accepts %s', (arn) => {
    expect(iamRoleArn.safeParse(arn).success).toBe(true);
  });

  it.each([
    'arn:aws:iam::111111111111:user/terraform',
    'arn:aws:iam::111111111111:role/',
    'arn:aws:iam::11111111111:role/x',
    'arn:aws:sts::111111111111:assumed-role/x/session',
    'arn:aws:iam::111111111111:role/x*',
    'rolecall-deploy',
    'arn:aws:iam::111111111111:role/${file("x")}',
  ])('refuses %s, with the form it wants', (arn) => {
    const result = iamRoleArn.safeParse(arn);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('arn:aws:iam::111111111111:role/NAME');
  });
});

describe('state.cloud', () => {
  it.each([CLOUD, { ...CLOUD, hostname: 'tfe.example.com' }, { ...CLOUD, hostname: 'tfe.example.com:8443' }, { ...CLOUD, workspace: 'IAM_{account}' }])('accepts %j', (cloud) => {
    expect(issues({ cloud })).toEqual([]);
  });

  it.each([
    ['rolecall-iam', 'state-workspace'],
    ['rolecall-{stack}', 'state-workspace'],
    ['rolecall-{account}-{env}', '"{env}": the only placeholder in a workspace name'],
    ['rolecall {account}', 'only letters, digits, "-" and "_"'],
    ['rolecall/{account}', 'only letters, digits, "-" and "_"'],
    [`${'w'.repeat(90)}{account}`, 'at most 90 characters'],
  ])('refuses the workspace %j', (workspace, why) => {
    expect(issues({ cloud: { ...CLOUD, workspace } }).join('\n')).toContain(why);
  });

  it.each([
    ['organization', 'acme corp', 'organization name'],
    ['organization', '', 'organization name'],
    ['hostname', 'https://tfe.example.com', 'no https://'],
    ['hostname', 'tfe.example.com/app', 'no https://'],
    ['hostname', 'localhost', 'host name'],
  ])('refuses %s %j', (key, value, why) => {
    expect(issues({ cloud: { ...CLOUD, [key]: value } }).join('\n')).toContain(why);
  });
});

describe('state itself', () => {
  it('takes exactly one of s3 and cloud', () => {
    expect(issues({ s3: S3, cloud: CLOUD })).toEqual(['cloud: state is kept in one place: s3 or cloud, not both']);
    expect(issues({})).toEqual([
      ': state takes one of s3: { bucket, region, key } or cloud: { organization, workspace }; leave state: out for local state files',
    ]);
  });
});
