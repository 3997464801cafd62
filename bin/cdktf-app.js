#!/usr/bin/env node
'use strict';
// The app cdktf.json names: compiles main.ts (with what it imports, your own
// constructs included) to dist/main.js when it changed, then runs that.
require('./launch').launch('main');
