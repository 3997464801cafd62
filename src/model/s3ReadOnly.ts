import { at, type SourceRef } from '../diagnostics/diagnostic';
import type { Partition, PolicyStatement } from './accessModel';
import type { ActionCatalog, CatalogAction } from './actionCatalog';
import { s3Arn } from './arns';

export const S3_READ_ONLY_MANAGED_POLICY = 'AmazonS3ReadOnlyAccess';

function readOrListOnly(action: CatalogAction): boolean {
  return action.accessLevels.length > 0 && action.accessLevels.every((level) => level === 'Read' || level === 'List');
}

/** The catalog's S3 Read and List actions, split by the resource they act on. */
export function s3ReadActions(catalog: ActionCatalog): { bucket: string[]; object: string[]; prefixListing: string[] } {
  const actions = (catalog.actions('s3') ?? []).filter(readOrListOnly);
  const names = (list: CatalogAction[]) => list.map((a) => `s3:${a.name}`);
  const bucket = actions.filter((a) => a.resourceTypes.includes('bucket'));
  return {
    bucket: names(bucket),
    object: names(actions.filter((a) => a.resourceTypes.includes('object'))),
    // Listing actions that honour s3:prefix can be narrowed to a prefix.
    prefixListing: names(bucket.filter((a) => a.accessLevels.includes('List') && a.conditionKeys.includes('s3:prefix'))),
  };
}

/**
 * `s3ReadOnly: { buckets: [...] }`: read and list only those buckets or
 * prefixes, with nothing outside the Read and List access levels.
 * A whole bucket gets its bucket-level reads on the bucket ARN and object
 * reads on `bucket/*`; a prefix gets object reads under the prefix and the
 * listing actions narrowed with `s3:prefix`.
 */
export function s3ReadOnlyStatements(
  scopes: readonly string[],
  partition: Partition,
  catalog: ActionCatalog,
  source: SourceRef,
): PolicyStatement[] {
  const actions = s3ReadActions(catalog);
  const wholeBuckets: string[] = [];
  const objects: string[] = [];
  const prefixes = new Map<string, string[]>();
  scopes.forEach((scope) => {
    const slash = scope.indexOf('/');
    if (slash === -1) {
      wholeBuckets.push(s3Arn(partition, scope));
      objects.push(s3Arn(partition, `${scope}/*`));
    } else {
      const bucket = scope.slice(0, slash);
      const prefix = scope.slice(slash + 1);
      objects.push(s3Arn(partition, `${bucket}/${prefix}*`));
      prefixes.set(bucket, [...(prefixes.get(bucket) ?? []), prefix]);
    }
  });
  const statements: PolicyStatement[] = [];
  const buckets = at(source, 'buckets');
  if (wholeBuckets.length > 0) {
    statements.push({ sid: 'ReadBuckets', effect: 'Allow', actions: actions.bucket, resources: wholeBuckets, source: buckets });
  }
  statements.push({ sid: 'ReadObjects', effect: 'Allow', actions: actions.object, resources: objects, source: buckets });
  // A whole bucket already lists everything: its prefixes need no statement of their own.
  const narrowed = [...prefixes].filter(([bucket]) => !wholeBuckets.includes(s3Arn(partition, bucket)));
  for (const [bucket, list] of narrowed.sort(([a], [b]) => (a < b ? -1 : 1))) {
    statements.push({
      sid: `ListPrefixes${sidPart(bucket)}`,
      effect: 'Allow',
      actions: actions.prefixListing,
      resources: [s3Arn(partition, bucket)],
      conditions: { StringLike: { 's3:prefix': list.flatMap((p) => [p, `${p}*`]) } },
      source: buckets,
    });
  }
  if (narrowed.length > 0) {
    // Clients ask where a bucket lives before they list it.
    statements.push({
      sid: 'LocateBuckets',
      effect: 'Allow',
      actions: ['s3:GetBucketLocation'],
      resources: narrowed.map(([bucket]) => s3Arn(partition, bucket)),
      source: buckets,
    });
  }
  return statements;
}

/**
 * Sid allows only [A-Za-z0-9]: a bucket name in CamelCase. my-bucket and
 * my.bucket meet here; uniqueSids (where inline policies are assembled) tells them apart.
 */
function sidPart(bucket: string): string {
  return bucket
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
