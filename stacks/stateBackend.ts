import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from 'cdktf';
import type { StateBackend } from '../src/model/accessModel';
import { stackState } from '../src/model/state';
import { terraformLiteral, terraformLiterals } from './terraformLiteral';

/**
 * Where one stack keeps its Terraform state: `state:` of the config with
 * `{account}` replaced by the stack's name, so every stack (several per
 * account, if an account is split) has a state of its own; without
 * `state:`, a local file.
 */
export function addStateBackend(stack: TerraformStack, state: StateBackend | undefined, stackName: string): void {
  if (state === undefined) {
    // cdktf's default local backend writes the absolute working directory
    // into every stack; a relative path keeps output the same on every
    // machine. Relative to `OUTDIR/stacks/STACK/`, where terraform runs,
    // this is beside OUTDIR (the project root for `cdktf.out`, as cdktf's
    // default), so re-synthesizing never deletes the state.
    new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
    return;
  }
  const own = stackState(state, stackName);
  switch (own.kind) {
    case 's3': {
      const backend = new S3Backend(
        stack,
        terraformLiterals({
          bucket: own.bucket,
          key: own.key,
          region: own.region,
          encrypt: true,
          ...(own.roleArn !== undefined ? { assumeRole: { roleArn: own.roleArn } } : {}),
        }),
      );
      // S3's native lock file (Terraform 1.10 and later): no DynamoDB table.
      // cdktf 0.21's S3BackendConfig has no such property yet.
      backend.addOverride('use_lockfile', true);
      return;
    }
    case 'cloud':
      new CloudBackend(stack, {
        organization: terraformLiteral(own.organization),
        workspaces: new NamedCloudWorkspace(terraformLiteral(own.workspace)),
        ...(own.hostname !== undefined ? { hostname: terraformLiteral(own.hostname) } : {}),
      });
      return;
  }
}
