import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stacksInDependencyOrder } from '../../src/terraform/manifest';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-manifest-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const stack = (name: string, dependencies: string[]) => ({
  name,
  dependencies,
  workingDirectory: `stacks/${name}`,
  synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
});

function writeManifest(stacks: ReturnType<typeof stack>[]): void {
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: Object.fromEntries(stacks.map((s) => [s.name, s])) }));
}

describe('stacksInDependencyOrder (manifest.json)', () => {
  it('puts every stack after the stacks it depends on, ties in name order, several stacks per account included', () => {
    // An account split into a principals and an access stack, trusted both ways.
    writeManifest([
      stack('prod-access', ['identity-principals', 'prod-principals']),
      stack('identity-access', ['identity-principals', 'prod-principals']),
      stack('prod-principals', []),
      stack('identity-principals', []),
      stack('audit', ['prod-access']),
    ]);
    expect(stacksInDependencyOrder(dir).map((s) => s.name)).toEqual(['identity-principals', 'prod-principals', 'identity-access', 'prod-access', 'audit']);
  });

  it('keeps each stack\'s paths as the manifest names them', () => {
    writeManifest([stack('identity', [])]);
    expect(stacksInDependencyOrder(dir)).toEqual([stack('identity', [])]);
  });

  it('throws (a synthesis bug) on a cycle or a dependency on a stack the manifest lacks', () => {
    writeManifest([stack('a', ['b']), stack('b', ['a'])]);
    expect(() => stacksInDependencyOrder(dir)).toThrow(/cycle/);
    writeManifest([stack('a', ['ghost'])]);
    expect(() => stacksInDependencyOrder(dir)).toThrow(/cycle/);
  });
});
