/**
 * Synthesizes the environments listed in a JSON file (an array of configs), the same way
 * `main.ts` synthesizes the examples. Used by `npm run bench` for generated environment sets.
 * Usage: node --import tsx scripts/bench-app.ts <environments.json>
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { App } from 'cdktf';
import { addEnvironments } from '../stacks/app';

const file = resolve(process.argv[2] ?? '');
const app = new App();
addEnvironments(app, JSON.parse(readFileSync(file, 'utf8')), dirname(file));
app.synth();
