import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { parseSource, type ParsedSource } from './sourceFile';

export class ConfigDirectoryError extends Error {}

/**
 * Every *.yaml and *.yml file below `directory`, in any sub-folder, parsed
 * with positions. Sorted by path so that every run sees the same order.
 */
export async function loadDirectory(directory: string, cwd = process.cwd()): Promise<ParsedSource[]> {
  const root = path.resolve(cwd, directory);
  let stat;
  try {
    stat = await fs.stat(root);
  } catch {
    throw new ConfigDirectoryError(`config directory ${directory} does not exist`);
  }
  if (!stat.isDirectory()) throw new ConfigDirectoryError(`config path ${directory} is not a directory`);
  const realRoot = await fs.realpath(root);
  const listed = await listYaml(root, realRoot, new Set());
  const parsed: ParsedSource[] = [];
  for (const absolutePath of listed.files.sort()) {
    const size = (await fs.stat(absolutePath)).size;
    parsed.push(size > MAX_CONFIG_BYTES ? refusedFile(absolutePath, cwd, tooLarge(size)) : parseSource(displayPath(absolutePath, cwd), absolutePath, await read(absolutePath, cwd)));
  }
  for (const link of listed.refusedLinks.sort()) parsed.push(refusedFile(link, cwd, LINK_OUTSIDE));
  return parsed.sort((a, b) => (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : 0));
}

/**
 * A config file is text a person wrote: 32 MiB is far beyond any account IAM
 * can hold (5,000 users and roles with their largest policies), and a bound
 * on what one file can make rolecall read and parse.
 */
const MAX_CONFIG_BYTES = 32 * 2 ** 20;

const LINK_OUTSIDE =
  'a symbolic link that leads outside the config directory (or nowhere) is not followed: config is read only from inside the directory; copy the file in or fix the link';

function tooLarge(size: number): string {
  return `this file is ${size} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes (32 MiB), far more than any account IAM can hold: split it or check how it was generated`;
}

/** A file rolecall refused to read, as a finding at its first line; nothing of it reaches the later stages. */
function refusedFile(absolutePath: string, cwd: string, message: string): ParsedSource {
  const empty = parseSource(displayPath(absolutePath, cwd), absolutePath, '');
  const diagnostic: Diagnostic = { severity: 'error', rule: 'config-file', message, source: { file: empty.source.file, path: [] }, position: { line: 1, column: 1 } };
  return { ...empty, diagnostics: [diagnostic] };
}

async function read(file: string, cwd: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigDirectoryError(`cannot read ${displayPath(file, cwd)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Follows symbolic links that stay inside the config directory (a linked
 * file is config like any other: skipping it would make its principals look
 * deleted), once per real directory. A link that leads outside, or nowhere,
 * is refused, never followed: a pull request must not make CI read files of
 * the runner, nor learn which exist.
 */
async function listYaml(directory: string, realRoot: string, visited: Set<string>): Promise<{ files: string[]; refusedLinks: string[] }> {
  const real = await fs.realpath(directory);
  const found = { files: [] as string[], refusedLinks: [] as string[] };
  if (visited.has(real)) return found;
  visited.add(real);
  let entries;
  try {
    entries = await fs.readdir(directory, { withFileTypes: true });
  } catch (e) {
    throw new ConfigDirectoryError(`cannot read directory ${directory}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    let stat: { isDirectory(): boolean; isFile(): boolean } = entry;
    if (entry.isSymbolicLink()) {
      const target = await fs.realpath(full).catch(() => undefined);
      const linked = target !== undefined && isInside(target, realRoot) ? await fs.stat(target).catch(() => undefined) : undefined;
      if (!linked) {
        // Only links that would be read are reported: a YAML-named one, or one without an extension (a folder, say).
        if (/\.ya?ml$/i.test(entry.name) || !/\.[A-Za-z0-9]+$/.test(entry.name)) found.refusedLinks.push(full);
        continue;
      }
      stat = linked;
    }
    if (stat.isDirectory()) {
      const inner = await listYaml(full, realRoot, visited);
      found.files.push(...inner.files);
      found.refusedLinks.push(...inner.refusedLinks);
    } else if (stat.isFile() && /\.ya?ml$/i.test(entry.name)) {
      found.files.push(full);
    }
  }
  return found;
}


/** Relative to the working directory, as the spec asks, with / on every system. */
function displayPath(absolutePath: string, cwd: string): string {
  return path.relative(cwd, absolutePath).split(path.sep).join('/');
}

/**
 * A file a config file names relative to itself (SAML metadata), or why it
 * was not read. `outside` covers a missing file too: a config from a pull
 * request must not learn whether a file outside the directory exists.
 */
export type BesideFile = { readonly text: string } | { readonly refused: 'outside' | 'not-a-file' | 'too-large' | 'unreadable' };

/**
 * Reads `relative` (beside `configFile`) only if it is a regular file whose
 * real path, links resolved, lies inside the real `root`, of at most
 * `maxBytes`. Never blocks: the file is opened non-blocking, and its type
 * and size are checked on the open descriptor (what is read is what was
 * checked). Line ends become LF so that output does not depend on the checkout.
 */
export async function readBeside(root: string, configFile: string, relative: string, maxBytes: number): Promise<BesideFile> {
  if (path.isAbsolute(relative)) return { refused: 'outside' };
  let real: string;
  let realRoot: string;
  try {
    real = await fs.realpath(path.resolve(path.dirname(configFile), relative));
    realRoot = await fs.realpath(root);
  } catch {
    return { refused: 'outside' };
  }
  if (!isInside(real, realRoot)) return { refused: 'outside' };
  let handle;
  try {
    handle = await fs.open(real, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOFOLLOW);
  } catch {
    return { refused: 'unreadable' };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { refused: 'not-a-file' };
    if (stat.size > maxBytes) return { refused: 'too-large' };
    // One byte more than fstat saw: a file that grows while read is refused, not read on without end.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > stat.size) return { refused: 'unreadable' };
    return { text: buffer.subarray(0, length).toString('utf8').replace(/\r\n/g, '\n') };
  } catch {
    return { refused: 'unreadable' };
  } finally {
    await handle.close();
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
