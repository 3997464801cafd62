import * as fs from 'node:fs';
import * as path from 'node:path';

/** A stack as cdktf's manifest.json names it. */
export interface ManifestStack {
  readonly name: string;
  /** The stack's folder, relative to the output directory (`stacks/identity`). */
  readonly workingDirectory: string;
  /** Its cdk.tf.json, relative to the output directory. */
  readonly synthesizedStackPath: string;
  /** Names of the stacks that must be deployed before it. */
  readonly dependencies: readonly string[];
}

interface ManifestJson {
  readonly stacks?: Record<string, Partial<ManifestStack>>;
}

/**
 * The stacks of a synth output, read from its manifest.json (never guessed
 * from folders: an account may have several stacks), each after the stacks
 * it depends on, ties in name order. The manifest is one rolecall wrote, so
 * a malformed one or a cycle is a bug, thrown as such.
 */
export function stacksInDependencyOrder(outdir: string): ManifestStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as ManifestJson;
  const stacks = new Map(Object.entries(manifest.stacks ?? {}).map(([name, stack]) => [name, manifestStack(name, stack)]));
  const ordered: ManifestStack[] = [];
  const placed = new Set<string>();
  while (ordered.length < stacks.size) {
    const ready = [...stacks.values()]
      .filter((stack) => !placed.has(stack.name) && stack.dependencies.every((d) => placed.has(d)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (ready.length === 0) throw new Error(`synthesis bug: the stacks in ${outdir}/manifest.json depend on each other in a cycle, or on a stack it does not list`);
    for (const stack of ready) placed.add(stack.name);
    ordered.push(...ready);
  }
  return ordered;
}

function manifestStack(name: string, stack: Partial<ManifestStack>): ManifestStack {
  const { workingDirectory, synthesizedStackPath, dependencies = [] } = stack;
  if (typeof workingDirectory !== 'string' || typeof synthesizedStackPath !== 'string' || !Array.isArray(dependencies)) {
    throw new Error(`synthesis bug: stack ${name} in manifest.json lacks its workingDirectory or synthesizedStackPath`);
  }
  return { name, workingDirectory, synthesizedStackPath, dependencies };
}
