import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { OUTPUT_MARKER, readMarker } from '../../stacks/outputMarker';

/** synth will not write to this output directory; nothing was touched. */
export class OutputRefusal extends Error {}

/**
 * What is in an existing output directory that rolecall did not write: the
 * topmost paths (relative, with /) holding no file of rolecall's, e.g.
 * `stacks/identity/.terraform` or `stacks/identity/.terraform.lock.hcl`.
 */
type Foreign = readonly string[];

/**
 * Writes a new synth output to `target` through `write(staging)`, so that an
 * earlier output is replaced whole or not at all (directories are swapped by
 * rename). Only the files the earlier output's marker lists are dropped:
 * whatever else is in it (terraform's working files) is carried over into
 * the new output at the same place. A foreign file where rolecall now writes
 * one is a refusal, never an overwrite.
 */
export async function replaceOutput(target: string, shown: string, write: (staging: string) => void): Promise<void> {
  const foreign = await foreignEntries(target, shown);
  const staging = `${target}.staging-${process.pid}`;
  const retired = `${target}.old-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  const moved: string[] = [];
  try {
    write(staging);
    const written = readMarker(staging);
    if (!written) throw new Error(`synthesis bug: no ${OUTPUT_MARKER} in ${staging}`);
    const collision = foreign?.find((entry) => [...written, OUTPUT_MARKER].some((file) => overlaps(entry, file)));
    if (collision !== undefined) {
      throw new OutputRefusal(`--out ${shown}: ${collision} was not written by rolecall, and synth would now write ${collision} or a file inside it; move it away and run synth again (nothing was changed)`);
    }
    // Carry the foreign entries over, whole (a .terraform/ folder is moved, not copied).
    for (const entry of foreign ?? []) {
      await fs.mkdir(path.dirname(path.join(staging, entry)), { recursive: true });
      await fs.rename(path.join(target, entry), path.join(staging, entry));
      moved.push(entry);
    }
    if (foreign) await fs.rename(target, retired);
    try {
      await fs.rename(staging, target);
    } catch (e) {
      if (foreign) await fs.rename(retired, target);
      throw e;
    }
  } catch (e) {
    // Put back what was carried over, so that a failure leaves the earlier output as it was.
    for (const entry of moved) await fs.rename(path.join(staging, entry), path.join(target, entry)).catch(() => undefined);
    throw e;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  // What is left in the retired output is rolecall's own files only.
  await fs.rm(retired, { recursive: true, force: true });
}

/** One path is the other or lies inside it. */
function overlaps(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}

/**
 * The foreign entries of the existing output at `target`, undefined when
 * there is none yet; refuses a directory that is not an earlier rolecall
 * output (no marker), since synth replaces its output.
 */
async function foreignEntries(target: string, shown: string): Promise<Foreign | undefined> {
  let stat;
  try {
    stat = await fs.lstat(target);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink()) throw new OutputRefusal(`--out ${shown}: it is a symbolic link; name the directory itself`);
  if (!stat.isDirectory()) throw new OutputRefusal(`--out ${shown}: it exists and is not a directory`);
  if ((await fs.readdir(target)).length === 0) return [];
  const files = readMarker(target);
  if (!files) {
    throw new OutputRefusal(
      `--out ${shown}: it exists and is not an earlier rolecall synth output (no ${OUTPUT_MARKER} in it); name a new or empty directory (an output of a rolecall older than the marker: delete it once by hand)`,
    );
  }
  return foreignUnder(target, '', new Set([...files, OUTPUT_MARKER]));
}

/** Walks without following links: a link is an entry like a file. */
async function foreignUnder(root: string, relative: string, own: ReadonlySet<string>): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isFile() && own.has(child)) continue;
    const holdsOwn = [...own].some((file) => file.startsWith(`${child}/`));
    if (entry.isDirectory() && holdsOwn) {
      found.push(...(await foreignUnder(root, child, own)));
    } else {
      found.push(child);
    }
  }
  return found;
}
