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
 * (see terraformLiteral). `references` (another resource's attribute, made
 * by `attributeReference`) are the only arguments that Terraform may
 * evaluate, and go in unescaped; so do the `dependsOn` addresses.
 *
 * References and `depends_on` are plain Terraform strings, not cdktf tokens:
 * cdktf captures a stack trace for every token it creates and resolves each
 * one twice, most of synth's time at scale, for the same output.
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
  dependsOn?: readonly string[],
): Resource {
  const config = { ...terraformLiterals(literals), ...references } as Config;
  const resource = new resourceClass(scope, resourceAddress(resourceClass, name), config);
  // Before anything asks for the resource's fqn, or the override is refused.
  resource.overrideLogicalId(name);
  if (dependsOn !== undefined) resource.dependsOn = [...dependsOn];
  return resource;
}

function resourceAddress(resourceClass: { readonly tfResourceType: string }, name: string): string {
  return `${resourceClass.tfResourceType}.${name}`;
}

/** `TYPE.NAME` of a resource added by addNamedResource, as `depends_on` lists it. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * `${TYPE.NAME.ATTRIBUTE}`: what cdktf writes for `resource.attribute`, so
 * Terraform orders the referring resource after `resource`. Only for
 * addresses of addNamedResource (letters, digits, `_` and `-`), never text
 * from the model.
 */
export function attributeReference(resource: TerraformResource, attribute: string): string {
  return `\${${addressOf(resource)}.${attribute}}`;
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
