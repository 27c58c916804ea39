/**
 * Test harness for `wire-federation verify`: a PKI made in the test run, a DNS server and
 * federator-like TLS servers on 127.0.0.1, config files in a temporary directory, and an
 * in-process CLI runner that captures output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliRun, cli } from '../support/cli';
import { WireFederationInput, parseFederationConfig } from '../../lib/config';
import { CertificateAndKey, makeCa, makeLeaf } from '../support/certificates';
import { TestDnsRecord, TestDnsServer, TestZone } from '../support/dns-server';

export const BACKEND = 'wire.alpha.test';
export const FEDERATOR = 'federator.wire.alpha.test';
export const PEER = 'wire.beta.test';
export const PEER_FEDERATOR = 'federator.wire.beta.test';
export const SRV_ALPHA = `_wire-server-federator._tcp.${BACKEND}`;
export const SRV_BETA = `_wire-server-federator._tcp.${PEER}`;

/** CAs and certificates shared by the tests of one file. */
export interface Pki {
  /** Our private CA (the one `--ca` names). */
  readonly ca: CertificateAndKey;
  /** Our federator certificate: server and client auth, P-256, for FEDERATOR. Also our client certificate. */
  readonly federator: CertificateAndKey;
  /** The peer's CA and federator certificate. */
  readonly peerCa: CertificateAndKey;
  readonly peerFederator: CertificateAndKey;
  /** A CA nobody trusts. */
  readonly strangerCa: CertificateAndKey;
}

export async function makePki(): Promise<Pki> {
  const [ca, peerCa, strangerCa] = await Promise.all([
    makeCa({ commonName: 'Alpha Federation CA' }),
    makeCa({ commonName: 'Beta Federation CA' }),
    makeCa({ commonName: 'Stranger CA' }),
  ]);
  const [federator, peerFederator] = await Promise.all([
    makeLeaf({ issuer: ca, dnsNames: [FEDERATOR] }),
    makeLeaf({ issuer: peerCa, dnsNames: [PEER_FEDERATOR] }),
  ]);
  return { ca, federator, peerCa, peerFederator, strangerCa };
}

/** A temporary directory removed by `cleanup()`. */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'wire-federation-verify-'));
  file(name: string, content: string): string {
    const p = join(this.path, name);
    writeFileSync(p, content);
    return p;
  }
  cleanup(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** A valid config input for the test backend; `overrides` replace top-level fields. */
export function configInput(port: number, overrides: Partial<WireFederationInput> = {}): WireFederationInput {
  return {
    environment: 'alpha',
    backendDomain: BACKEND,
    federatorDomain: FEDERATOR,
    ingress: { ipv4: '127.0.0.1' },
    dns: {
      backendZoneId: '0000000000000000000000000000000a',
      infrastructureZoneId: '0000000000000000000000000000000a',
      srv: { port },
    },
    charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } },
    ...overrides,
  };
}

/** Validates `input` (as the CLI will) and writes it as JSON; returns the path for `--config`. */
export function writeConfig(dir: TempDir, input: WireFederationInput, name = 'alpha.json'): string {
  parseFederationConfig(input, { baseDir: dir.path });
  return dir.file(name, JSON.stringify(input, null, 2));
}

/** Records of a working setup: SRV of the backend → federator:port, federator → 127.0.0.1. */
export function goodZone(port: number, extra: TestZone = {}): TestZone {
  return {
    [SRV_ALPHA]: [srv(FEDERATOR, port)],
    [FEDERATOR]: [{ type: 'A', address: '127.0.0.1' }],
    ...extra,
  };
}

/** The peer's records: SRV → its federator:port, A → 127.0.0.1. */
export function peerZone(port: number, weight = 10): TestZone {
  return {
    [SRV_BETA]: [srv(PEER_FEDERATOR, port, weight)],
    [PEER_FEDERATOR]: [{ type: 'A', address: '127.0.0.1' }],
  };
}

export function srv(target: string, port: number, weight = 10, priority = 0): TestDnsRecord {
  return { type: 'SRV', priority, weight, port, target: `${target}.` };
}

/** A check as the JSON report has it. */
export interface JsonCheck {
  readonly id: string;
  readonly status: 'pass' | 'fail' | 'warn';
  readonly message: string;
  readonly hint?: string;
}

/** Runs the CLI in-process and captures what it writes. */
export const run = cli;
export type RunResult = CliRun;

/** Runs `verify --json` and returns exit code and checks by id. */
export async function verifyJson(args: readonly string[]): Promise<{ code: number; checks: Map<string, JsonCheck>; skipped: string[]; raw: RunResult }> {
  const raw = await run(['verify', '--json', ...args]);
  if (raw.out === '') throw new Error(`no report; exit ${raw.code}; stderr: ${raw.err}`);
  const report = JSON.parse(raw.out) as { checks: JsonCheck[]; skipped: Array<{ id: string }> };
  return { code: raw.code, checks: new Map(report.checks.map((c) => [c.id, c])), skipped: report.skipped.map((s) => s.id), raw };
}

/** The ids of checks with the given status. */
export function idsWith(checks: Map<string, JsonCheck>, status: JsonCheck['status']): string[] {
  return [...checks.values()].filter((c) => c.status === status).map((c) => c.id);
}

export type { TestDnsServer };
