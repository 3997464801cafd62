/** A usage mistake: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly options: ReadonlyMap<string, string | true>;
  /** Every value of each option, in order (`--from A --from B`); `options` keeps the last. */
  readonly values: ReadonlyMap<string, readonly string[]>;
}

/** `--name value`, `--name=value` and bare `--flag`; `flags` lists the options that take no value. */
export function parseArgs(argv: readonly string[], flags: ReadonlySet<string>): ParsedArgs {
  const options = new Map<string, string | true>();
  const values = new Map<string, string[]>();
  const set = (name: string, value: string) => {
    options.set(name, value);
    values.set(name, [...(values.get(name) ?? []), value]);
  };
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (flags.has(name)) {
        if (eq !== -1) throw new UsageError(`--${name} takes no value`);
        options.set(name, true);
      } else if (eq !== -1) {
        set(name, arg.slice(eq + 1));
      } else {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
        set(name, value);
        i++;
      }
    } else if (arg === '-h') {
      options.set('help', true);
    } else if (command === undefined) {
      command = arg;
    } else {
      throw new UsageError(`unexpected argument "${arg}"`);
    }
  }
  return { command, options, values };
}

export function choice<T extends string>(value: string | true | undefined, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined) return fallback;
  if (value === true || !allowed.includes(value as T)) throw new UsageError(`--${name} is one of ${allowed.join(', ')}`);
  return value as T;
}
