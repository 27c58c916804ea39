#!/usr/bin/env node
// Entry point of the `wire-federation` CLI: runs the TypeScript sources through tsx.
require('tsx/cjs');
require('./cli.ts');
