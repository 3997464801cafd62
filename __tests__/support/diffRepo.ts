import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';

/** A throwaway git repository with config/ committed as `base`: write the working tree, run rolecall in it. */
export interface DiffRepo {
  readonly root: string;
  /** Replaces config/ with these files (relative to config/). */
  readonly write: (files: Readonly<Record<string, string>>) => Promise<void>;
  readonly commit: (message: string) => void;
  readonly rolecall: (args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
  readonly remove: () => Promise<void>;
}

export async function diffRepo(base: Readonly<Record<string, string>>): Promise<DiffRepo> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-diffrepo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  const write = async (files: Readonly<Record<string, string>>) => {
    await fs.rm(path.join(root, 'config'), { recursive: true, force: true });
    for (const [name, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(root, 'config', name)), { recursive: true });
      await fs.writeFile(path.join(root, 'config', name), text);
    }
  };
  const commit = (message: string) => {
    git('add', '-A', 'config');
    git('commit', '-qm', message, '--allow-empty');
  };
  await write(base);
  commit('base');
  git('tag', 'base');
  return {
    root,
    write,
    commit,
    rolecall: async (args) => {
      let stdout = '';
      let stderr = '';
      const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, env: {} });
      return { code, stdout, stderr };
    },
    remove: () => fs.rm(root, { recursive: true, force: true }),
  };
}
