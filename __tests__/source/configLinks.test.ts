/**
 * Config is read only from inside the config directory: a symbolic link that
 * leads outside it (or nowhere) is a finding, never followed, and the finding
 * is the same whether its target exists or not.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';

let work: string;
beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-links-'));
  await fs.mkdir(path.join(work, 'config', 'inner'), { recursive: true });
  await fs.mkdir(path.join(work, 'outside'));
  await fs.writeFile(path.join(work, 'config', 'org.yaml'), 'accounts:\n  - name: main\n    id: "123456789012"\n');
  // A file outside that would give a finding of its own if it were read.
  await fs.writeFile(path.join(work, 'outside', 'secret.yaml'), 'users:\n  - name: SECRET-FROM-OUTSIDE\n    unknownKey: 1\n');
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

async function validate(): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await run(['validate'], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t), cwd: work, env: {} });
  return { code, stdout };
}

describe('symbolic links in the config directory', () => {
  it('a link to a YAML file outside is refused, and its content never read', async () => {
    await fs.symlink(path.join(work, 'outside', 'secret.yaml'), path.join(work, 'config', 'linked.yaml'));
    const result = await validate();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^config\/linked\.yaml:1:1: error config-file: a symbolic link that leads outside the config directory/m);
    expect(result.stdout).not.toContain('SECRET-FROM-OUTSIDE');
    expect(result.stdout).not.toContain('unknownKey');
  });

  it('a link to a folder outside is refused too', async () => {
    await fs.symlink(path.join(work, 'outside'), path.join(work, 'config', 'elsewhere'));
    const result = await validate();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^config\/elsewhere:1:1: error config-file: /m);
    expect(result.stdout).not.toContain('SECRET-FROM-OUTSIDE');
  });

  it('a broken link gets the same words as a link outside: nothing tells whether a file outside exists', async () => {
    await fs.symlink(path.join(work, 'outside', 'secret.yaml'), path.join(work, 'config', 'a.yaml'));
    await fs.symlink(path.join(work, 'outside', 'missing.yaml'), path.join(work, 'config', 'b.yaml'));
    const lines = (await validate()).stdout.split('\n').filter((l) => l.includes('config-file'));
    expect(lines.map((l) => l.replace(/^config\/[ab]\.yaml/, 'X'))).toEqual([lines[0]!.replace(/^config\/a\.yaml/, 'X'), lines[0]!.replace(/^config\/a\.yaml/, 'X')]);
  });

  it('a link inside the directory is followed as before', async () => {
    await fs.writeFile(path.join(work, 'config', 'inner', 'people.yaml'), 'users:\n  - name: alice\n');
    await fs.symlink(path.join(work, 'config', 'inner'), path.join(work, 'config', 'people'));
    const result = await validate();
    expect(result).toEqual({ code: 0, stdout: 'no problems found\n' });
  });
});
