import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AccessModel } from '../../src/model/accessModel';
import { synthesize } from '../../stacks';

/** A synthesized stack's cdk.tf.json, parsed. */
export interface StackJson {
  '//'?: unknown;
  provider: { aws: Record<string, unknown>[] };
  resource: Record<string, Record<string, Record<string, unknown>>>;
  terraform: { backend?: Record<string, Record<string, unknown>>; required_providers: Record<string, unknown> };
  data?: unknown;
}

export interface ManifestJson {
  version: string;
  stacks: Record<string, { name: string; dependencies: string[]; synthesizedStackPath: string; workingDirectory: string }>;
}

export interface Synthesized {
  readonly outdir: string;
  readonly manifest: ManifestJson;
  stack(account: string): StackJson;
  stackDir(account: string): string;
  /** A resource's arguments, without cdktf's `//` metadata; throws if absent. */
  resource(account: string, type: string, name: string): Record<string, unknown>;
  /** `TYPE.NAME` of every resource in the stack, sorted. */
  addresses(account: string): string[];
}

const tempDirs: string[] = [];

export function synthesizeToTempDir(model: AccessModel): Synthesized {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-stacks-'));
  tempDirs.push(base);
  const outdir = path.join(base, 'cdktf.out');
  synthesize(model, outdir);

  const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8')) as T;
  const stacks = new Map<string, StackJson>();
  const stack = (account: string): StackJson => {
    if (!stacks.has(account)) stacks.set(account, readJson<StackJson>(path.join('stacks', account, 'cdk.tf.json')));
    return stacks.get(account) as StackJson;
  };
  return {
    outdir,
    manifest: readJson<ManifestJson>('manifest.json'),
    stack,
    stackDir: (account) => path.join(outdir, 'stacks', account),
    resource(account, type, name) {
      const found = stack(account).resource[type]?.[name];
      if (!found) throw new Error(`no ${type}.${name} in stack ${account}`);
      const { '//': _metadata, ...args } = found;
      return args;
    },
    addresses(account) {
      return Object.entries(stack(account).resource)
        .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
        .sort();
    },
  };
}

export function removeSynthesizedDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Every file under dir, as relative path → bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else files.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  return files;
}
