import { visibleOutput } from '../text/visibleText';
import { run } from './main';

run(process.argv.slice(2), {
  // The last net: no message or format can put a raw control character or bidi override on the terminal.
  stdout: (text) => process.stdout.write(visibleOutput(text)),
  stderr: (text) => process.stderr.write(visibleOutput(text)),
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
