#!/usr/bin/env node
'use strict';
// Runs the TypeScript sources through tsx's require hook: no build step after `npm ci`.
require('tsx/cjs');
require('../src/cli/bin.ts');
