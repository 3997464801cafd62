import * as os from 'node:os';
import type { AccessModel } from '../../src/model/accessModel';
import { fixtureModel } from './fixtures';
import { readTree, removeSynthesizedDirs, synthesizeToTempDir } from './synthesized';

let fixture: AccessModel;
beforeAll(async () => {
  fixture = await fixtureModel();
});
afterAll(removeSynthesizedDirs);

function expectSameFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): void {
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [file, bytes] of a) {
    // Compared as text so a failure shows the difference.
    expect({ file, text: b.get(file)?.toString('utf8') }).toEqual({ file, text: bytes.toString('utf8') });
  }
}

describe('synthesized output', () => {
  test('is byte-identical across two runs into different directories', () => {
    const first = readTree(synthesizeToTempDir(fixture).outdir);
    const second = readTree(synthesizeToTempDir(fixture).outdir);
    expect([...first.keys()].sort()).toEqual(['manifest.json', 'rolecall-output.json', 'stacks/prod/cdk.tf.json', 'stacks/tools/cdk.tf.json']);
    expectSameFiles(first, second);
  });

  test('does not depend on the order of the model arrays', () => {
    const reversed: AccessModel = {
      ...fixture,
      accounts: [...fixture.accounts].reverse(),
      providers: [...fixture.providers].reverse(),
      users: [...fixture.users].reverse().map((u) => ({
        ...u,
        inlinePolicies: [...u.inlinePolicies].reverse(),
        managedPolicies: [...u.managedPolicies].reverse(),
      })),
      roles: [...fixture.roles].reverse().map((r) => ({
        ...r,
        inlinePolicies: [...r.inlinePolicies].reverse(),
        managedPolicies: [...r.managedPolicies].reverse(),
        createAfter: [...r.createAfter].reverse(),
      })),
      stacks: [...fixture.stacks].reverse(),
    };
    expectSameFiles(readTree(synthesizeToTempDir(fixture).outdir), readTree(synthesizeToTempDir(reversed).outdir));
  });

  test('holds no machine-specific paths and no stack traces', () => {
    const synthesized = synthesizeToTempDir(fixture);
    for (const [file, bytes] of readTree(synthesized.outdir)) {
      const text = bytes.toString('utf8');
      for (const local of [synthesized.outdir, process.cwd(), os.tmpdir(), os.homedir()]) {
        expect({ file, holds: text.includes(local) }).toEqual({ file, holds: false });
      }
      expect({ file, stackTrace: /stack_?trace/i.test(text) }).toEqual({ file, stackTrace: false });
    }
  });
});
