import type { SourceRef } from '../../diagnostics/diagnostic';
import { at } from '../../diagnostics/diagnostic';
import type { Grant } from '../../model/accessModel';
import type { FindingSubject } from './rule';

/**
 * The trust entry a grant came from (`roles[2].trust[0]`): a grant's own
 * source is the entry's kind key, or one item of `users:`/`roles:`.
 */
export function entrySource(grant: Grant): SourceRef {
  const path = grant.source.path;
  const trust = path.lastIndexOf('trust');
  return trust === -1 ? grant.source : { file: grant.source.file, path: path.slice(0, trust + 2) };
}

/** A guard key of the grant's entry (`mfa`, `sourceIp`, ...), optionally one item of it. */
export function guardSource(grant: Grant, key: string, ...rest: (string | number)[]): SourceRef {
  return at(entrySource(grant), key, ...rest);
}

/** The role a trust grant belongs to: where an `accept:` for a trust finding stands. */
export function roleSubject(grant: Grant): FindingSubject {
  return { kind: 'role', account: grant.role.account, name: grant.role.name };
}

export function roleName(role: { readonly account: string; readonly name: string }): string {
  return `role ${role.account}/${role.name}`;
}
