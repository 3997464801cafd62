import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { TerraformStack } from 'cdktf';
import type { AccountStack } from '../src/model/accessModel';
import { terraformLiterals } from './terraformLiteral';

/**
 * The AWS provider of one account's stack: its region, credentials of that
 * account only (`allowed_account_ids`), and with `deployRole:` the role it
 * assumes, so one CI credential can deploy every account.
 */
export function addAwsProvider(stack: TerraformStack, account: AccountStack): AwsProvider {
  // Not a resource, so not through addNamedResource: escaped here.
  return new AwsProvider(
    stack,
    'aws',
    terraformLiterals({
      region: account.region,
      allowedAccountIds: [account.accountId],
      ...(account.deployRoleArn !== undefined ? { assumeRole: [{ roleArn: account.deployRoleArn }] } : {}),
    }),
  );
}
