import { promises as fs } from 'node:fs';
import * as path from 'node:path';
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
  const files = (await listYaml(root, new Set())).sort();
  const parsed: ParsedSource[] = [];
  for (const absolutePath of files) {
    parsed.push(parseSource(displayPath(absolutePath, cwd), absolutePath, await read(absolutePath, cwd)));
  }
  return parsed;
}

async function read(file: string, cwd: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigDirectoryError(`cannot read ${displayPath(file, cwd)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Follows symbolic links (a linked file is config like any other: skipping
 * it would make its principals look deleted), once per real directory.
 */
async function listYaml(directory: string, visited: Set<string>): Promise<string[]> {
  const real = await fs.realpath(directory);
  if (visited.has(real)) return [];
  visited.add(real);
  let entries;
  try {
    entries = await fs.readdir(directory, { withFileTypes: true });
  } catch (e) {
    throw new ConfigDirectoryError(`cannot read directory ${directory}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const found: string[] = [];
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const stat = entry.isSymbolicLink() ? await fs.stat(full).catch(() => undefined) : entry;
    if (!stat) throw new ConfigDirectoryError(`${full} is a broken symbolic link`);
    if (stat.isDirectory()) {
      found.push(...(await listYaml(full, visited)));
    } else if (stat.isFile() && /\.ya?ml$/i.test(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

/** Relative to the working directory, as the spec asks, with / on every system. */
function displayPath(absolutePath: string, cwd: string): string {
  return path.relative(cwd, absolutePath).split(path.sep).join('/');
}

/** Reads a file that a config file names relative to itself (SAML metadata), with LF line ends so output does not depend on the checkout. */
export async function readBeside(configFile: string, relative: string): Promise<string> {
  return (await fs.readFile(path.resolve(path.dirname(configFile), relative), 'utf8')).replace(/\r\n/g, '\n');
}
