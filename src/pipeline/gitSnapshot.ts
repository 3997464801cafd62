import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const git = promisify(execFile);

export class GitSnapshotError extends Error {}

export interface Snapshot {
  /** A temporary copy of the repository, holding only the config directory. */
  readonly root: string;
  /** The config directory inside `root`, as it is named in the repository (`.` for the top). */
  readonly configDir: string;
  /** The committer date of the ref. */
  readonly committed: Date;
  readonly remove: () => Promise<void>;
}

/**
 * The config directory as it was at a git ref, written to a temporary
 * directory at its path in the repository (so findings name it as the
 * repository does), every file under it (SAML metadata comes along). The
 * caller removes the directory with `remove`.
 */
export async function snapshotAtRef(configDir: string, ref: string, cwd: string): Promise<Snapshot> {
  const absolute = path.resolve(cwd, configDir);
  const top = await repositoryTop(absolute, configDir);
  let commit: string;
  try {
    commit = (await git('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: top })).stdout.trim();
  } catch {
    throw new GitSnapshotError(`"${ref}" is not a commit of the git repository holding ${configDir}`);
  }
  const committed = new Date(Number((await git('git', ['show', '-s', '--format=%ct', commit], { cwd: top })).stdout.trim()) * 1000);
  const relative = path.relative(await fs.realpath(top), await fs.realpath(absolute)).split(path.sep).join('/');
  const listing = await git('git', ['ls-tree', '-r', '-z', commit, '--', relative || '.'], { cwd: top, maxBuffer: 64 * 2 ** 20 });
  // "MODE TYPE OBJECT\tPATH" per entry; only blobs (a submodule has no content here).
  const files = listing.stdout.split('\0').filter((line) => / blob [0-9a-f]+\t/.test(line)).map((line) => line.slice(line.indexOf('\t') + 1));
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-base-'));
  const remove = () => fs.rm(root, { recursive: true, force: true });
  try {
    // The directory exists even where the ref has no config yet: no access then.
    await fs.mkdir(path.join(root, relative), { recursive: true });
    for (const file of files) {
      const content = await git('git', ['show', `${commit}:${file}`], { cwd: top, encoding: 'buffer', maxBuffer: 64 * 2 ** 20 });
      const target = path.join(root, file);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, content.stdout);
    }
  } catch (e) {
    await remove();
    throw e;
  }
  return { root, configDir: relative || '.', committed, remove };
}

async function repositoryTop(absolute: string, configDir: string): Promise<string> {
  try {
    return (await git('git', ['rev-parse', '--show-toplevel'], { cwd: absolute })).stdout.trim();
  } catch (e) {
    const error = e as NodeJS.ErrnoException & { stderr?: string };
    if (error.code === 'ENOENT' && !error.stderr) {
      // execFile reports a missing cwd and a missing git alike: tell them apart.
      const exists = await fs.stat(absolute).then(() => true, () => false);
      throw new GitSnapshotError(exists ? 'diff --base needs git, and git was not found on PATH' : `config directory ${configDir} does not exist`);
    }
    throw new GitSnapshotError(`${configDir} is not in a git repository: diff --base compares the config with a commit of the repository that holds it`);
  }
}
