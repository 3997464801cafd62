import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The file that marks a directory as rolecall's synth output and lists the
 * files rolecall wrote there. `rolecall synth` replaces only those files
 * (and the marker); everything else in the directory is someone else's
 * (`.terraform/`, lock files, plans of `terraform init`/`cdktf deploy`) and
 * is kept. No cdktf here: the CLI reads the marker without loading cdktf.
 */
export const OUTPUT_MARKER = 'rolecall-output.json';

const WRITTEN_BY = 'rolecall synth';

interface MarkerJson {
  readonly writtenBy: string;
  readonly files: readonly string[];
}

/** The marker's text for these files (paths relative to the output, with /): canonical, so output stays byte-identical. */
export function markerText(files: readonly string[]): string {
  const marker: MarkerJson = { writtenBy: WRITTEN_BY, files: [...new Set(files)].sort() };
  return `${JSON.stringify(marker, null, 2)}\n`;
}

/**
 * The files the marker in `outdir` lists, or undefined when there is no
 * marker or it is not one rolecall wrote (then the directory is not a
 * rolecall output).
 */
export function readMarker(outdir: string): string[] | undefined {
  let text: string;
  try {
    const file = path.join(outdir, OUTPUT_MARKER);
    if (!fs.lstatSync(file).isFile()) return undefined;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { writtenBy, files } = parsed as Partial<MarkerJson>;
  if (writtenBy !== WRITTEN_BY || !Array.isArray(files) || !files.every(isOutputPath)) return undefined;
  return [...files];
}

/** A relative path that stays inside the output: a marker never names anything outside it. */
function isOutputPath(file: unknown): file is string {
  return typeof file === 'string' && file !== '' && !file.startsWith('/') && file.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\\'));
}
