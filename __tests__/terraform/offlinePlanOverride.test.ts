import * as os from 'node:os';
import { offlinePlanOverride } from '../../src/terraform/offlinePlan';
import { terraformEnv } from '../../src/terraform/terraformCli';

const OFFLINE = {
  access_key: 'rolecall-offline-plan',
  secret_key: 'rolecall-offline-plan',
  token: null,
  profile: null,
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
  allowed_account_ids: null,
  forbidden_account_ids: null,
};

describe('offlinePlanOverride', () => {
  it('replaces any backend with a local state at the given path', () => {
    for (const backend of [{ s3: { bucket: 'b', key: 'k' } }, { local: { path: '../../../terraform.x.tfstate' } }]) {
      const override = offlinePlanOverride({ terraform: { backend }, provider: { aws: [{ region: 'us-east-1' }] } }, '/plan/terraform.tfstate');
      expect(override['terraform']).toEqual({ backend: { local: { path: '/plan/terraform.tfstate' } } });
    }
    expect(offlinePlanOverride({ terraform: { cloud: { organization: 'o' } } }, '/p')['terraform']).toEqual({ backend: { local: { path: '/p' } } });
  });

  it('gives every AWS provider configuration, by alias, dummy keys and skip flags, and lifts allowed_account_ids', () => {
    const stack = { provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['111111111111'] }, { alias: 'west', region: 'eu-west-1' }] } };
    expect(offlinePlanOverride(stack, '/p')['provider']).toEqual({ aws: [OFFLINE, { alias: 'west', ...OFFLINE }] });
    // cdktf writes a list; a hand-written single block reads the same.
    expect(offlinePlanOverride({ provider: { aws: { region: 'us-east-1' } } }, '/p')['provider']).toEqual({ aws: [OFFLINE] });
  });

  it('empties the role to assume only where the stack assumes one (an override block replaces all blocks of its type)', () => {
    const stack = {
      provider: {
        aws: [
          { region: 'us-east-1', assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/deploy' }] },
          { alias: 'ci', region: 'us-east-1', assume_role_with_web_identity: [{ role_arn: 'arn:aws:iam::111111111111:role/ci' }] },
          { alias: 'plain', region: 'us-east-1' },
        ],
      },
    };
    const [main, ci, plain] = (offlinePlanOverride(stack, '/p')['provider'] as { aws: Record<string, unknown>[] }).aws;
    expect(main).toEqual({ ...OFFLINE, assume_role: [{ role_arn: '' }] });
    expect(ci).toEqual({ alias: 'ci', ...OFFLINE, assume_role_with_web_identity: [{ role_arn: '' }] });
    expect(plain).toEqual({ alias: 'plain', ...OFFLINE });
  });

  it('points every provider configuration at the given endpoints (tests only), and sets no endpoints without them', () => {
    const stack = { provider: { aws: [{ region: 'us-east-1' }, { region: 'us-west-2', alias: 'west' }] } };
    const providers = (offlinePlanOverride(stack, '/p', { iam: 'http://127.0.0.1:1234' })['provider'] as { aws: Record<string, unknown>[] }).aws;
    expect(providers.map((p) => p['endpoints'])).toEqual([[{ iam: 'http://127.0.0.1:1234' }], [{ iam: 'http://127.0.0.1:1234' }]]);
    expect(providers[1]).toMatchObject({ alias: 'west', access_key: OFFLINE.access_key });
    const plain = (offlinePlanOverride(stack, '/p')['provider'] as { aws: Record<string, unknown>[] }).aws;
    expect(plain.every((p) => !('endpoints' in p))).toBe(true);
  });

  it('configures no provider for a stack without one (terraform refuses an override with no base)', () => {
    expect(offlinePlanOverride({ resource: {} }, '/p')).toEqual({ terraform: { backend: { local: { path: '/p' } } } });
  });
});

describe('terraformEnv', () => {
  const parent = {
    PATH: '/usr/bin',
    HOME: '/home/ci',
    AWS_ACCESS_KEY_ID: 'AKIAREAL',
    AWS_SECRET_ACCESS_KEY: 'real-secret',
    AWS_SESSION_TOKEN: 'real-token',
    AWS_PROFILE: 'prod-admin',
    AWS_ROLE_ARN: 'arn:aws:iam::111111111111:role/ci',
    AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
    AWS_CONFIG_FILE: '/home/ci/.aws/config',
    TF_CLI_ARGS: '-lock=true',
    TF_CLI_ARGS_plan: '-refresh=true',
    TF_DATA_DIR: '/shared/.terraform',
    TF_WORKSPACE: 'prod',
    TF_LOG: 'info',
    TF_PLUGIN_CACHE_DIR: '/cache',
    UNSET: undefined,
  };

  it('passes no AWS_* variable of the parent through, only its own that point nowhere', () => {
    const env = terraformEnv(parent);
    expect(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('AWS_')))).toEqual({
      AWS_CONFIG_FILE: os.devNull,
      AWS_SHARED_CREDENTIALS_FILE: os.devNull,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });

  it('drops TF_CLI_ARGS*, TF_DATA_DIR and TF_WORKSPACE, keeps the rest, and opts out of checkpoint', () => {
    const env = terraformEnv(parent);
    expect(Object.keys(env).filter((k) => k.startsWith('TF_')).sort()).toEqual(['TF_IN_AUTOMATION', 'TF_LOG', 'TF_PLUGIN_CACHE_DIR']);
    expect(env).toMatchObject({ PATH: '/usr/bin', HOME: '/home/ci', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' });
    expect('UNSET' in env).toBe(false);
  });
});
