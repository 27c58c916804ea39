#!/usr/bin/env node
// Entry point of the `wire-federation` CLI.
// - In a checkout of this repository (stacks/ exists beside bin/): the TypeScript sources run
//   through tsx, with the repository's environments known by name (stacks/cli.ts).
// - In the installed package (no stacks/): the compiled CLI in dist/, which reads --config files.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

if (existsSync(join(__dirname, '..', 'stacks', 'cli.ts'))) {
  require('tsx/cjs');
  const { main } = require('./cli.ts');
  const { repositoryProject } = require('../stacks/cli.ts');
  main(process.argv.slice(2), repositoryProject);
} else {
  require('../dist/bin/cli.js').main(process.argv.slice(2));
}
