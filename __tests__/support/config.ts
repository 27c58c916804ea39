import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { WireFederationConfig, WireFederationInput, parseFederationConfig } from '../../lib/config';
import { FederationStack } from '../../stacks/federation-stack';

export const REPO_ROOT = join(__dirname, '..', '..');
export const PEER_CA_FILE = 'stacks/environments/peers/wire-acme-test-ca.pem';
export const PEER_CA_PEM = readFileSync(join(REPO_ROOT, PEER_CA_FILE), 'utf8');
export const OTHER_CA_PEM = readFileSync(join(REPO_ROOT, 'stacks/environments/peers/partner-example-net-ca.pem'), 'utf8');

/** A minimal valid input; tests override what they look at. */
/** An operator values file for test configs that must be free of the release-without-values warning (absolute: any baseDir). */
export const OPERATOR_VALUES = join(REPO_ROOT, '__tests__', 'fixtures', 'operator-values.yaml');

export function baseInput(overrides: Partial<WireFederationInput> = {}): WireFederationInput {
  return {
    environment: 'test',
    backendDomain: 'example.com',
    federatorDomain: 'federator.wire.example.org',
    ingress: { ipv4: '203.0.113.10' },
    dns: {
      backendZoneId: '0123456789abcdef0123456789abcdef',
      infrastructureZoneId: 'fedcba9876543210fedcba9876543210',
    },
    charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } },
    peers: [{ domain: 'wire.acme.test', caCertificates: [{ pem: PEER_CA_PEM }] }],
    greenfield: true,
    ...overrides,
  };
}

export function parse(input: unknown): WireFederationConfig {
  return parseFederationConfig(input, { baseDir: REPO_ROOT });
}

/** The problems a config has, as `path: message` lines (empty when valid). */
export function problemsOf(input: unknown): { path: string; message: string }[] {
  try {
    parse(input);
    return [];
  } catch (e) {
    return ((e as { problems?: { path: string; message: string }[] }).problems ?? []).map(({ path, message }) => ({ path, message }));
  }
}

export type Synth = { [key: string]: any };

/** Synthesizes one FederationStack and returns its parsed JSON. */
export function synthStack(input: WireFederationInput, runValidations = false): Synth {
  const app = Testing.app();
  const stack = new FederationStack(app, { config: parse(input) });
  return JSON.parse(Testing.synth(stack, runValidations));
}

/**
 * The one resource of `type` at construct path `path` below the stack (e.g.
 * `Federation/Dns/Srv`): its logical id is the path joined with "_" plus a hash, with a trailing
 * `Resource` dropped.
 */
export function resourceAt(json: Synth, type: string, path: string): Synth {
  const prefix = path
    .replace(/\/Resource$/, '')
    .split('/')
    .join('_');
  const found = Object.entries(json.resource?.[type] ?? {})
    .filter(([id]) => new RegExp(`^${prefix}_[0-9A-F]{8}$`).test(id))
    .map(([, r]) => r as Synth);
  if (found.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${found.length}`);
  return found[0];
}

/** Every resource as `type.logicalId`, sorted. */
export function resourceAddresses(json: Synth): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byId]) => Object.keys(byId as object).map((id) => `${type}.${id}`))
    .sort();
}
