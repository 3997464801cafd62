import { App } from 'cdktf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccessModel } from '../src/model/accessModel';
import { AccountIamStack } from './accountIamStack';
import { markerText, OUTPUT_MARKER } from './outputMarker';
import { sortedStrings } from './namedResource';

/**
 * One AccountIamStack per stack of the model (one per managed account, two
 * for a split one), each depending on the stacks whose principals its trust
 * documents name, so a first deploy creates those principals before the
 * roles that trust them. cdktf records the
 * dependencies in `manifest.json` (`stacks.NAME.dependencies`, a list of
 * stack names) and `cdktf deploy` follows them.
 */
export function buildApp(model: AccessModel, outdir: string): App {
  // cdktf's App creates only the last level of outdir.
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({
    outdir,
    // No construct stack traces in the output: they vary from run to run.
    stackTraces: false,
    hclOutput: false,
  });
  const stacks = new Map(model.stacks.map((stack) => [stack.name, new AccountIamStack(app, model, stack)]));
  for (const stack of model.stacks) {
    const dependent = stacks.get(stack.name) as AccountIamStack;
    for (const name of sortedStrings(stack.dependsOn)) {
      const dependency = stacks.get(name);
      if (!dependency) {
        throw new Error(`model bug: stack ${stack.name} depends on ${name}, which is no stack`);
      }
      dependent.addDependency(dependency);
    }
  }
  return app;
}

/**
 * Writes `outdir/manifest.json`, `outdir/stacks/STACK/cdk.tf.json` and the
 * marker that lists them (OUTPUT_MARKER). Files of stacks no longer in the
 * model are left where they are: `rolecall synth` gives a clean result.
 */
export function synthesize(model: AccessModel, outdir: string): void {
  buildApp(model, outdir).synth();
  fs.writeFileSync(path.join(outdir, OUTPUT_MARKER), markerText(filesWritten(outdir)));
}

/** What cdktf wrote, from its manifest: the manifest itself and each stack's files that exist. */
function filesWritten(outdir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string; stackMetadataPath?: string }>;
  };
  const stackFiles = Object.values(manifest.stacks).flatMap((stack) => [stack.synthesizedStackPath, stack.stackMetadataPath ?? '']);
  return ['manifest.json', ...stackFiles.filter((file) => file !== '' && fs.existsSync(path.join(outdir, file)))];
}
