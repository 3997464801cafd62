'use strict';
// Starts one of rolecall's programs, the compiled dist/NAME.js, rebuilt
// first when a source changed since it was built (scripts/build.js).
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

function launch(name) {
  const compiled = require('../scripts/build').compiledEntry(name);
  deferArchiver();
  runWithCodeCache(compiled.file, path.join(path.dirname(compiled.file), `${name}.${compiled.hash}.v8cache`));
}

/**
 * Runs a CommonJS file as require() would, with V8's code cache: the first
 * run writes what it compiled to `cacheFile`, later runs skip compiling it
 * again (a third of validate's start). The name carries the file's hash: V8
 * itself checks only the source's length, its own version and its flags,
 * and rejects a cache for another version or other flags; then this run
 * writes a new one.
 */
function runWithCodeCache(file, cacheFile) {
  const source = fs.readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => writeCodeCache(cacheFile, script));
  const module = new Module(file, require.main);
  module.filename = file;
  module.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = module;
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
}

function writeCodeCache(cacheFile, script) {
  // At exit: the cache then holds every function this run compiled, not only the top level.
  const staging = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(staging, script.createCachedData());
    fs.renameSync(staging, cacheFile);
  } catch {
    // A read-only checkout runs without the cache.
    fs.rmSync(staging, { force: true });
  }
}

/**
 * cdktf's index requires archiver (to zip a TerraformAsset) on load: 0.25 s,
 * more than the rest of cdktf. cdktf calls it as `archiver(format, options)`
 * in one place; this stands in for it and loads it at that first call.
 */
function deferArchiver() {
  let archiverPath;
  try {
    archiverPath = require.resolve('archiver', { paths: [path.dirname(require.resolve('cdktf'))] });
  } catch {
    return;
  }
  if (require.cache[archiverPath] !== undefined) return;
  const deferred = new Module(archiverPath, null);
  deferred.filename = archiverPath;
  deferred.loaded = true;
  deferred.exports = function archiver(...args) {
    delete require.cache[archiverPath];
    const real = require(archiverPath);
    return real(...args);
  };
  require.cache[archiverPath] = deferred;
}

module.exports = { launch, deferArchiver };
