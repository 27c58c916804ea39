/**
 * Synthesizes the environments listed in a JSON file (an array of configs), the same way
 * `main.ts` synthesizes the examples. Used by `npm run bench` for generated environment sets.
 * Usage: node --require tsx/cjs scripts/bench-app.ts <environments.json>
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { synthesizeEnvironments } from '../stacks/app';

const file = resolve(process.argv[2] ?? '');
synthesizeEnvironments(JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof synthesizeEnvironments>[0], dirname(file));
