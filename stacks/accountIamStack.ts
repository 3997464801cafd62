import { TerraformStack, type TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { AccessModel, AccountStack, PrincipalKey, StackHolding } from '../src/model/accessModel';
import { addAwsProvider } from './awsProvider';
import { adoptProvider } from './adoption';
import { addGroup } from './groupResources';
import { addressOf, sortedStrings } from './namedResource';
import { addIdentityProvider } from './providerResources';
import { addRole } from './roleResources';
import { addStateBackend } from './stateBackend';
import { addUser } from './userResources';

/**
 * The IAM of one managed account, or of part of it (a split account's
 * users and groups, or its roles and providers: `stack.holds`, see
 * deployOrder.ts), applied through a provider that refuses any other account's credentials.
 * The stack's name (and its folder under `stacks/`) is `stack.name`.
 */
export class AccountIamStack extends TerraformStack {
  constructor(scope: Construct, model: AccessModel, stack: AccountStack) {
    super(scope, stack.name);
    // The stack's name, as state keys and workspaces see it (see addStateBackend).
    addStateBackend(this, model.state, stack.name);
    addAwsProvider(this, stack);

    const held = <T extends { readonly account: string }>(kind: StackHolding, items: readonly T[]): T[] =>
      stack.holds.includes(kind) ? items.filter((item) => item.account === stack.account) : [];

    const created = new Map<string, TerraformResource>();
    for (const provider of held('provider', model.providers)) {
      const resource = addIdentityProvider(this, provider);
      if (!resource) continue;
      adoptProvider(resource, provider);
      created.set(keyText({ kind: 'provider', account: provider.account, name: provider.name }), resource);
    }
    for (const user of held('user', model.users)) {
      created.set(keyText(user), addUser(this, user));
    }
    // After the users: a group's membership names them by address.
    for (const group of held('group', model.groups)) addGroup(this, group);
    const roles = held('role', model.roles).map((role) => {
      const resource = addRole(this, role);
      created.set(keyText(role), resource);
      return { role, resource };
    });

    // Trust documents hold literal ARNs, not references, so Terraform cannot
    // see that a role needs the principals it trusts; IAM refuses a trust
    // naming a principal that does not exist yet. Set after every resource
    // exists, since a role may wait for another role. What another stack
    // holds (a split account's users) is ordered by the stack dependency.
    for (const { role, resource } of roles) {
      const waitFor = role.createAfter
        .filter((key) => key.account === stack.account && stack.holds.includes(key.kind))
        .map((key) => principalResource(created, key, model))
        .filter((dependency): dependency is TerraformResource => dependency !== undefined);
      if (waitFor.length > 0) resource.dependsOn = sortedStrings(waitFor.map(addressOf));
    }
  }
}

function keyText(key: PrincipalKey): string {
  return JSON.stringify([key.kind, key.account, key.name]);
}

/** The resource a createAfter entry names; none for a provider rolecall does not create. */
function principalResource(
  created: ReadonlyMap<string, TerraformResource>,
  key: PrincipalKey,
  model: AccessModel,
): TerraformResource | undefined {
  const resource = created.get(keyText(key));
  if (resource) return resource;
  const unmanagedProvider =
    key.kind === 'provider' &&
    model.providers.some((p) => p.account === key.account && p.name === key.name && !p.managed);
  if (unmanagedProvider) return undefined;
  throw new Error(`model bug: createAfter names ${key.kind} ${key.account}/${key.name}, which is not in the model`);
}
