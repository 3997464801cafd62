#!/usr/bin/env node
'use strict';
// Runs the compiled bin, dist/rolecall.js (`npm ci` builds it through
// `prepare`); when a source has changed since, it is rebuilt first, so an
// edit never runs old code (bin/launch.js, scripts/build.js).
require('./launch').launch('rolecall');
