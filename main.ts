// The app that `cdktf synth` and `cdktf deploy` run (see cdktf.json). It only
// wires the stages: config directory → access model → CDKTF stacks.
import { hasErrors } from './src/diagnostics/diagnostic';
import { formatText, toFindings } from './src/cli/findings';
import { compile } from './src/pipeline/compile';
import { synthesize } from './stacks/synthesizeApp';

async function main(): Promise<number> {
  const configDir = process.env['ROLECALL_CONFIG'] || 'config';
  const result = await compile(configDir);
  const findings = toFindings(result.diagnostics, result.sources);
  if (!result.model || hasErrors(result.diagnostics)) {
    process.stderr.write(formatText(findings));
    process.stderr.write('rolecall: the config has errors; no stacks were synthesized\n');
    return 1;
  }
  if (findings.length > 0) process.stderr.write(formatText(findings));
  // The cdktf CLI tells the app where to write through CDKTF_OUTDIR. The
  // marker synthesize() writes lets `rolecall synth` replace this output later.
  synthesize(result.model, process.env['CDKTF_OUTDIR'] || 'cdktf.out');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`rolecall: internal error (please report it): ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 3;
  },
);
