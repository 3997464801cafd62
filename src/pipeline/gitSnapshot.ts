import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const git = promisify(execFile);

export class GitSnapshotError extends Error {}

/**
 * The config directory as it was at a git ref, written to a temporary
 * directory (every file under it, so SAML metadata comes along). The caller
 * removes the directory with the returned function.
 */
export async function snapshotAtRef(configDir: string, ref: string, cwd: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const absolute = path.resolve(cwd, configDir);
  let top: string;
  try {
    top = (await git('git', ['rev-parse', '--show-toplevel'], { cwd: absolute })).stdout.trim();
    await git('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: top });
  } catch {
    throw new GitSnapshotError(`"${ref}" is not a commit of the git repository holding ${configDir}`);
  }
  const relative = path.relative(await fs.realpath(top), await fs.realpath(absolute)).split(path.sep).join('/');
  const listing = await git('git', ['ls-tree', '-r', '-z', '--name-only', ref, '--', relative || '.'], { cwd: top, maxBuffer: 64 * 2 ** 20 });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-base-'));
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  try {
    for (const file of listing.stdout.split('\0').filter(Boolean)) {
      const content = await git('git', ['show', `${ref}:${file}`], { cwd: top, encoding: 'buffer', maxBuffer: 64 * 2 ** 20 });
      const target = path.join(dir, relative ? path.relative(relative, file) : file);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, content.stdout);
    }
  } catch (e) {
    await remove();
    throw e;
  }
  return { dir, remove };
}
