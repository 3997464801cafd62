import { at, duplicate, error, type Diagnostic } from '../diagnostics/diagnostic';
import type { Entry, ValidatedFile } from '../schema/validateDocument';
import type { StateConfig } from '../schema/stateSchema';
import type { Account, StateBackend } from './accessModel';
import { regionPartition } from './registry';

/** The placeholder a state key or workspace holds (the schema requires it), replaced by each stack's name. */
const STACK_PLACEHOLDER = '{account}';

/**
 * The one `state:` of the whole config. A second one is an error naming
 * both places: which of them would every stack use?
 */
export function resolveState(files: readonly ValidatedFile[], diagnostics: Diagnostic[]): StateBackend | undefined {
  const declared = files.flatMap((f) => (f.state ? [f.state] : []));
  const [first, ...others] = declared;
  for (const other of others) {
    diagnostics.push(
      duplicate(
        'duplicate-state',
        'state is declared twice; keep one state: for the whole config (every stack keeps its state there)',
        { ...other.source, at: 'key' },
        { ...first!.source, at: 'key' },
      ),
    );
  }
  return first ? stateBackend(first, diagnostics) : undefined;
}

function stateBackend(entry: Entry<StateConfig>, diagnostics: Diagnostic[]): StateBackend | undefined {
  const { s3, cloud } = entry.value;
  if (s3) {
    const source = at(entry.source, 's3');
    const rolePartition = s3.roleArn?.split(':')[1];
    if (rolePartition !== undefined && rolePartition !== regionPartition(s3.region)) {
      diagnostics.push(
        error(
          'partition-mismatch',
          `${s3.roleArn} is in partition ${rolePartition}, and the state bucket's region ${s3.region} is in ${regionPartition(s3.region)}: use a role of the bucket's partition`,
          at(source, 'roleArn'),
        ),
      );
    }
    return {
      kind: 's3',
      bucket: s3.bucket,
      region: s3.region,
      key: s3.key,
      ...(s3.roleArn !== undefined ? { roleArn: s3.roleArn } : {}),
      source,
    };
  }
  if (cloud) {
    return {
      kind: 'cloud',
      organization: cloud.organization,
      workspace: cloud.workspace,
      ...(cloud.hostname !== undefined ? { hostname: cloud.hostname } : {}),
      source: at(entry.source, 'cloud'),
    };
  }
  return undefined;
}

/** The state of one stack: `{account}` in the key or workspace replaced by the stack's name. */
export function stackState(state: StateBackend, stackName: string): StateBackend {
  const expand = (template: string) => template.split(STACK_PLACEHOLDER).join(stackName);
  switch (state.kind) {
    case 's3':
      return { ...state, key: expand(state.key) };
    case 'cloud':
      return { ...state, workspace: expand(state.workspace) };
  }
}

/**
 * `deployRole:` is the role a stack's provider assumes to deploy its
 * account: it must be a role of that account (the provider's
 * allowed_account_ids refuses any other), and an external account has no
 * stack to deploy.
 */
export function checkDeployRoles(accounts: readonly Account[], diagnostics: Diagnostic[]): void {
  for (const account of accounts) {
    const arn = account.deployRoleArn;
    if (arn === undefined) continue;
    const source = at(account.source, 'deployRole');
    if (account.external) {
      diagnostics.push(
        error('deploy-role', `account "${account.name}" is external: rolecall deploys nothing there, so it has no deploy role; remove deployRole`, source),
      );
      continue;
    }
    const [, partition, , , accountId] = arn.split(':');
    if (accountId !== account.id) {
      const owner = accounts.find((a) => a.id === accountId);
      diagnostics.push(
        error(
          'deploy-role',
          `the deploy role of account "${account.name}" must be a role in that account (${account.id}), not in ${accountId}${owner ? ` ("${owner.name}")` : ''}: the stack's provider assumes it to deploy ${account.name}, and allowed_account_ids refuses credentials of any other account; write arn:${partition}:iam::${account.id}:role/...`,
          source,
        ),
      );
    } else if (partition !== account.partition) {
      diagnostics.push(
        error('partition-mismatch', `${arn} is in partition ${partition}, and account "${account.name}" is in ${account.partition}: use the ${account.partition} ARN`, source),
      );
    }
  }
}
