import type { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { terraformLiterals } from './terraformLiteral';

/** A provider resource class: constructible, and knowing its Terraform type. */
export interface ResourceClass<Resource extends TerraformResource, Config> {
  new (scope: Construct, id: string, config: Config): Resource;
  readonly tfResourceType: string;
}

/**
 * Adds a resource whose Terraform address is exactly `TYPE.name` (cdktf
 * would otherwise append a hash of the construct path). The construct id is
 * that address too: unique in the stack whatever the type, and readable in
 * the `//` metadata cdktf writes beside each resource.
 *
 * Every resource's arguments pass here, so this is where text from the
 * model becomes Terraform literals: every string of `literals` is escaped
 * (see terraformLiteral). `references` (another resource's attribute,
 * `dependsOn`) are the only arguments that Terraform may evaluate, and go
 * in unescaped.
 */
export function addNamedResource<
  Resource extends TerraformResource,
  Config,
  References extends Partial<Config> = Record<never, never>,
>(
  scope: Construct,
  resourceClass: ResourceClass<Resource, Config>,
  name: string,
  literals: Omit<Config, keyof References>,
  references?: References,
): Resource {
  const config = { ...terraformLiterals(literals), ...references } as Config;
  const resource = new resourceClass(scope, resourceAddress(resourceClass, name), config);
  // Before anything asks for the resource's fqn, or the override is refused.
  resource.overrideLogicalId(name);
  return resource;
}

function resourceAddress(resourceClass: { readonly tfResourceType: string }, name: string): string {
  return `${resourceClass.tfResourceType}.${name}`;
}

/** No `tags = {}` for an untagged principal: the argument is left out instead. */
export function tagsOrNothing(tags: Readonly<Record<string, string>>): Record<string, string> | undefined {
  return Object.keys(tags).length === 0 ? undefined : { ...tags };
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedStrings(values: Iterable<string>): string[] {
  return [...values].sort(compareCodeUnits);
}
