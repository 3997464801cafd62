import { run } from './main';

run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Only a bug lands here: say so, with the stack, and exit 3.
    process.stderr.write(`rolecall: internal error (please report it): ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 3;
  },
);
