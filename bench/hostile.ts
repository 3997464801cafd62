/**
 * Generators for the hostile and very large inputs of docs/benchmarks.md
 * (issue item 9). Each writes a config directory, to be timed from outside:
 *
 *   npx tsx bench/hostile.ts users DIR [67000]        one file of N users
 *   npx tsx bench/hostile.ts anchor DIR [20000] [998] one anchor of N ARNs aliased M times
 *   npx tsx bench/hostile.ts anchor-4.5mb DIR         the same anchor grown to a 4.5 MB file
 *   npx tsx bench/hostile.ts at-limit DIR             the most aliases may expand to: 255 x 64 KB
 *   npx tsx bench/hostile.ts many-aliases DIR         5,000 roles, each merging one anchor of defaults
 *   npx tsx bench/hostile.ts laughs DIR               the classic billion laughs
 *   /usr/bin/time -v node bin/rolecall.js validate --config DIR
 *
 * The YAML is written as text, not through a YAML library, so that the
 * anchors and aliases are exactly those shown here.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ALIAS_LIMITS } from '../src/source/aliases';

const ACCOUNTS = 'accounts:\n  - name: identity\n    id: "111111111111"\n';

/** N plain users in one file: no aliases, only size. */
export function manyUsers(count: number): string {
  const lines = [ACCOUNTS, 'users:\n'];
  for (let i = 0; i < count; i++) lines.push(`  - name: user-${i}\n    account: identity\n`);
  return lines.join('');
}

/**
 * One user holds a statement whose resources are an anchored list of N
 * ARNs; M more users alias that list. The file is small, its expansion M times
 * larger: a pull request of a few hundred KB that asks for gigabytes.
 */
export function anchorBomb(arns: number, aliases: number): string {
  const lines = [ACCOUNTS, 'users:\n', '  - name: anchor\n    account: identity\n    allow:\n      - actions: [s3:GetObject]\n        resources: &arns\n'];
  for (let i = 0; i < arns; i++) lines.push(`          - arn:aws:s3:::bucket-${String(i).padStart(6, '0')}/*\n`);
  for (let i = 0; i < aliases; i++) {
    lines.push(`  - name: alias-${i}\n    account: identity\n    allow:\n      - actions: [s3:GetObject]\n        resources: *arns\n`);
  }
  return lines.join('');
}

/** The anchor grown until the file is about `bytes` long. */
export function anchorBombOfSize(bytes: number, aliases: number): string {
  const perArn = anchorBomb(2, 0).length - anchorBomb(1, 0).length;
  const fixed = anchorBomb(0, aliases).length;
  return anchorBomb(Math.max(1, Math.ceil((bytes - fixed) / perArn)), aliases);
}

/**
 * The most that ALIAS_LIMITS lets through: an anchor just under the
 * per-alias limit (2,000 ARNs, 64,001 characters as measured), aliased as
 * often as the per-file limit allows.
 */
export function anchorAtLimit(): string {
  return anchorBomb(2000, Math.floor(ALIAS_LIMITS.perFile / ALIAS_LIMITS.perAlias) - 1);
}

/** The legitimate use at its largest: every role of a file merges the same defaults (`<<: *defaults`). */
export function manyMergedRoles(count: number): string {
  const lines = [ACCOUNTS, 'users:\n  - name: alice\n    account: identity\n', 'roles:\n'];
  lines.push('  - name: role-0\n    <<: &defaults\n      account: identity\n      trust: [{ user: identity/alice }]\n');
  for (let i = 1; i < count; i++) lines.push(`  - name: role-${i}\n    <<: *defaults\n`);
  return lines.join('');
}

/** Nine levels of nine aliases each: 9^9 "lol"s from 1 KB. */
export function billionLaughs(): string {
  const names = 'abcdefghi'.split('');
  const lines = [`${names[0]}: &${names[0]} [${Array(9).fill('"lol"').join(', ')}]\n`];
  for (let level = 1; level < names.length; level++) {
    lines.push(`${names[level]}: &${names[level]} [${Array(9).fill(`*${names[level - 1]}`).join(', ')}]\n`);
  }
  return lines.join('');
}

async function write(dir: string, text: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'config.yaml'), text);
  console.log(`${path.join(dir, 'config.yaml')}: ${(text.length / 1e6).toFixed(2)} MB`);
}

async function main(): Promise<void> {
  const [kind, dir, a, b] = process.argv.slice(2);
  if (dir === undefined) throw new Error('usage: npx tsx bench/hostile.ts users|anchor|anchor-4.5mb|at-limit|many-aliases|laughs DIR [N] [M]');
  switch (kind) {
    case 'users':
      return write(dir, manyUsers(Number(a ?? 67000)));
    case 'anchor':
      return write(dir, anchorBomb(Number(a ?? 20000), Number(b ?? 998)));
    case 'anchor-4.5mb':
      return write(dir, anchorBombOfSize(4.5e6, 998));
    case 'at-limit':
      return write(dir, anchorAtLimit());
    case 'many-aliases':
      return write(dir, manyMergedRoles(Number(a ?? ALIAS_LIMITS.count + 1)));
    case 'laughs':
      return write(dir, billionLaughs());
    default:
      throw new Error(`unknown input ${kind}: users, anchor, anchor-4.5mb, at-limit, many-aliases or laughs`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
