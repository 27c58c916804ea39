#!/usr/bin/env node
// Entry point of the `wire-federation` CLI. It knows no folder of an app:
// - In a checkout of this repository: the TypeScript sources run through tsx, with the
//   environments of the app module that package.json's `wireFederation.cliProject` names (it
//   exports `repositoryProject`, a CliProject: this repository's stacks/cli.ts) known by name.
// - In the installed package (the app module is not shipped): the compiled CLI in dist/, which
//   reads --config files.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const cliProject = require('../package.json').wireFederation?.cliProject;

if (typeof cliProject === 'string' && existsSync(join(root, cliProject))) {
  require('tsx/cjs');
  const { main } = require('./cli.ts');
  const { repositoryProject } = require(join(root, cliProject));
  main(process.argv.slice(2), repositoryProject);
} else {
  require('../dist/bin/cli.js').main(process.argv.slice(2));
}
