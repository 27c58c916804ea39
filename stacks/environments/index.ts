/**
 * The example environments of this repository. `main.ts` builds one stack for each.
 * Add an environment: write `<name>.ts` beside this file and list it here.
 */
import { resolve } from 'node:path';
import type { WireFederationConfig, WireFederationInput } from '../../lib/config';
import { blue } from './blue';
import { onprem } from './onprem';
import { production } from './production';
import { red } from './red';
import { staging } from './staging';

/** File paths in the environment configs are relative to the repository root. */
export const ENVIRONMENTS_BASE_DIR = resolve(__dirname, '..', '..');

/** Lock files of the environments (`wire-federation lock <env>` writes them). */
export const LOCKS_DIR = resolve(__dirname, 'locks');

/** CA bundles of partners (`wire-federation card add <env> <card>` writes `<domain>.pem` here). */
export const PEERS_DIR = resolve(__dirname, 'peers');

export const environments: readonly WireFederationInput[] = [staging, production, red, blue, onprem];

/** Where an environment is written, named in messages (`stacks/environments/<name>.ts`). */
export function environmentSource(environment: string): string {
  return `stacks/environments/${environment}.ts`;
}

/** {@link environmentSource} of a parsed config (for `checkPairs` and `addEnvironments`). */
export const configSource = (config: WireFederationConfig): string => environmentSource(config.environment);
