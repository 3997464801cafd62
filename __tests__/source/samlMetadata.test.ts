import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';

// SAML metadata is named by config that may come from a pull request: only a
// regular file inside the config directory, of at most IAM's 10,000,000
// characters, may be read, and validate must never block on it.

const METADATA = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1example">',
  `<md:IDPSSODescriptor><ds:X509Certificate>${'A'.repeat(1100)}</ds:X509Certificate></md:IDPSSODescriptor>`,
  '</md:EntityDescriptor>',
  '',
].join('\n');

const configNaming = (metadata: string) => `accounts:
  - name: identity
    id: "111111111111"
providers:
  - name: okta
    saml:
      metadata: ${JSON.stringify(metadata)}
`;

let work: string;
let config: string;
beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-saml-'));
  config = path.join(work, 'repo', 'config');
  await fs.mkdir(path.join(config, 'idp'), { recursive: true });
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

/** validate on the config naming `metadata`, from the directory above config/. */
async function validate(metadata: string): Promise<{ code: number; lines: string[] }> {
  await fs.writeFile(path.join(config, 'org.yaml'), configNaming(metadata));
  let stdout = '';
  const code = await run(['validate'], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t), cwd: path.dirname(config), env: {} });
  return { code, lines: stdout.trimEnd().split('\n') };
}

/** The one finding at the metadata: value (line 7, column 17), without the file name it echoes. */
async function metadataFinding(metadata: string): Promise<string> {
  const { code, lines } = await validate(metadata);
  expect(code).toBe(1);
  expect(lines).toEqual([expect.stringMatching(/^config\/org\.yaml:7:17: error saml-metadata: /), '1 error, 0 warnings']);
  return lines[0]!.replace(/^config\/org\.yaml:7:17: error saml-metadata: /, '').split(JSON.stringify(metadata)).join('FILE');
}

const OUTSIDE = 'no SAML metadata file FILE inside the config directory';

describe('SAML metadata files', () => {
  it('a regular file inside the config directory is read (directly, in a sub-folder, or through a link that stays inside)', async () => {
    await fs.writeFile(path.join(config, 'idp', 'okta.xml'), METADATA);
    await fs.symlink(path.join('idp', 'okta.xml'), path.join(config, 'okta-link.xml'));
    expect(await validate('idp/okta.xml')).toEqual({ code: 0, lines: ['no problems found'] });
    expect(await validate('okta-link.xml')).toEqual({ code: 0, lines: ['no problems found'] });
    // ../ that comes back inside is inside.
    expect(await validate('../config/idp/okta.xml')).toEqual({ code: 0, lines: ['no problems found'] });
  });

  it('an absolute path is refused, with the same words whether the file exists or not', async () => {
    expect(await metadataFinding('/etc/passwd')).toMatch(new RegExp(`^${OUTSIDE}`));
    expect(await metadataFinding('/etc/passwd')).toBe(await metadataFinding('/etc/no-such-file-rolecall'));
    // Even one that names a file inside the config directory: metadata is named relative to its YAML.
    await fs.writeFile(path.join(config, 'okta.xml'), METADATA);
    expect(await metadataFinding(path.join(config, 'okta.xml'))).toMatch(new RegExp(`^${OUTSIDE}`));
  });

  it('../ out of the config directory is refused, the same for an existing and a missing file', async () => {
    await fs.writeFile(path.join(work, 'repo', 'secret.xml'), METADATA);
    const existing = await metadataFinding('../secret.xml');
    expect(existing).toMatch(new RegExp(`^${OUTSIDE}`));
    expect(await metadataFinding('../no-such.xml')).toBe(existing);
    expect(await metadataFinding('../../../../../../../../etc/passwd')).toBe(existing);
    // A file missing inside says the same: its absence is no secret, but the words must not tell inside from outside.
    expect(await metadataFinding('okta-metdata.xml')).toBe(existing);
    expect(existing).toMatch(/download it from the identity provider/);
  });

  it('a symbolic link inside that points outside is refused like ../', async () => {
    await fs.writeFile(path.join(work, 'outside.xml'), METADATA);
    await fs.symlink(path.join(work, 'outside.xml'), path.join(config, 'okta.xml'));
    await fs.symlink('/etc/passwd', path.join(config, 'passwd.xml'));
    const outside = await metadataFinding('okta.xml');
    expect(outside).toMatch(new RegExp(`^${OUTSIDE}`));
    expect(await metadataFinding('passwd.xml')).toBe(outside);
    // A linked folder too; the loader also refuses the link itself, since YAML below it would be read.
    await fs.symlink(work, path.join(config, 'up'));
    const { lines } = await validate('up/outside.xml');
    expect(lines).toEqual([
      expect.stringMatching(/^config\/org\.yaml:7:17: error saml-metadata: no SAML metadata file "up\/outside\.xml" inside the config directory/),
      expect.stringMatching(/^config\/up:1:1: error config-file: a symbolic link that leads outside/),
      '2 errors, 0 warnings',
    ]);
  });

  it('a FIFO is refused at once instead of blocking validate', async () => {
    execFileSync('mkfifo', [path.join(config, 'okta.xml')]);
    const started = Date.now();
    expect(await metadataFinding('okta.xml')).toMatch(/^FILE is not a regular file/);
    expect(Date.now() - started).toBeLessThan(2000);
  }, 5000);

  it('a device is not read, even one reached through a link (refused as outside: /dev is not in the config)', async () => {
    await fs.symlink('/dev/zero', path.join(config, 'zero.xml'));
    const started = Date.now();
    expect(await metadataFinding('zero.xml')).toMatch(new RegExp(`^${OUTSIDE}`));
    expect(await metadataFinding('/dev/zero')).toMatch(new RegExp(`^${OUTSIDE}`));
    expect(Date.now() - started).toBeLessThan(2000);
  }, 5000);

  it('a directory is refused as not a regular file', async () => {
    expect(await metadataFinding('idp')).toMatch(/^FILE is not a regular file/);
  });

  it('a file over 10,000,000 bytes is refused as too large; one of exactly 10,000,000 is read', async () => {
    const big = METADATA.replace('</md:EntityDescriptor>', `<!--${'x'.repeat(11_000_000)}-->\n</md:EntityDescriptor>`);
    await fs.writeFile(path.join(config, 'big.xml'), big);
    expect(await metadataFinding('big.xml')).toMatch(/^FILE is larger than 10,000,000 bytes/);
    const padding = 10_000_000 - Buffer.byteLength(METADATA) - '<!---->\n'.length;
    const limit = METADATA.replace('</md:EntityDescriptor>', `<!--${'x'.repeat(padding)}-->\n</md:EntityDescriptor>`);
    expect(Buffer.byteLength(limit)).toBe(10_000_000);
    await fs.writeFile(path.join(config, 'limit.xml'), limit);
    expect(await validate('limit.xml')).toEqual({ code: 0, lines: ['no problems found'] });
  });
});
