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
  const files = (await listYaml(root)).sort();
  const parsed: ParsedSource[] = [];
  for (const absolutePath of files) {
    const text = await fs.readFile(absolutePath, 'utf8');
    parsed.push(parseSource(displayPath(absolutePath, cwd), absolutePath, text));
  }
  return parsed;
}

async function listYaml(directory: string): Promise<string[]> {
  const entries = await fs.readdir(directory, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      found.push(...(await listYaml(full)));
    } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

function displayPath(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? absolutePath : relative;
  return shown.split(path.sep).join('/');
}

/** Reads a file that a config file names relative to itself (SAML metadata). */
export async function readBeside(configFile: string, relative: string): Promise<string> {
  return fs.readFile(path.resolve(path.dirname(configFile), relative), 'utf8');
}
