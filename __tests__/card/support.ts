/**
 * Two organisations for the card tests: red and blue as YAML configs (with comments) in a
 * temporary directory, each with its own CA and federator certificate made in the test run.
 */
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runCli } from '../../bin/cli';
import type { CliProject } from '../../bin/project';
import { CliRun, cli } from '../support/cli';
import { CertificateAndKey, makeCa, makeLeaf } from '../support/certificates';
import { TempDir } from '../verify/harness';

export const RED_TEAM = '6f2a4b1c-9d3e-4f5a-8b7c-1d2e3f4a5b6c';
export const BLUE_TEAM = '0b7e3c55-1f4d-4a8e-9c21-7d6f5e4a3b2c';

/** One organisation: its CA, federator certificate and key. */
export interface Organisation {
  readonly name: 'red' | 'blue';
  readonly backendDomain: string;
  readonly federatorDomain: string;
  readonly ca: CertificateAndKey;
  readonly federator: CertificateAndKey;
}

export async function makeOrganisation(name: 'red' | 'blue'): Promise<Organisation> {
  const ca = await makeCa({ commonName: `${name} federation CA` });
  const federatorDomain = `federator.${name}.example.com`;
  const federator = await makeLeaf({ issuer: ca, dnsNames: [federatorDomain] });
  return { name, backendDomain: `${name}.example.com`, federatorDomain, ca, federator };
}

/**
 * The YAML config of an organisation in provided mode (its certificate files beside it), with
 * comments and a key order of its own, so that edits can be seen to keep both.
 */
export function configYaml(org: Organisation, options: { remotesApi?: boolean; pki?: 'provided' | 'private-ca' } = {}): string {
  const team = org.name === 'red' ? RED_TEAM : BLUE_TEAM;
  const pki =
    options.pki === 'private-ca'
      ? ['pki:', '  mode: private-ca']
      : [
          'pki:',
          '  mode: provided',
          `  certificateFile: ${org.name}-federator.pem`,
          `  keyFile: ${org.name}-federator.key # read by Terraform at apply`,
          `  caFile: ${org.name}-ca.pem`,
        ];
  return [
    `# ${org.name}: the backend of the ${org.name} organisation`,
    `environment: ${org.name}`,
    `backendDomain: ${org.backendDomain} # never changes`,
    `federatorDomain: ${org.federatorDomain}`,
    'ingress:',
    '  ipv4: 203.0.113.10',
    'dns:',
    '  backendZoneId: "0123456789abcdef0123456789abcdef"',
    '  infrastructureZoneId: "fedcba9876543210fedcba9876543210"',
    'charts:',
    '  wireServer: {version: "5.32.0"}',
    '  nginxIngressServices: {version: "5.32.0"}',
    ...(options.remotesApi ? ['# team restrictions need the API', 'remotes: {mode: api}'] : []),
    'teams:',
    `  - {name: ${org.name}-ops, id: ${team}}`,
    '# partners: added by wire-federation card add',
    'peers: []',
    ...pki,
    '',
  ].join('\n');
}

/** A temporary directory for the organisations' files; `cleanup()` removes it. */
export class Workspace extends TempDir {
  /** Writes the config and the certificate files of `org`; returns the config's path. */
  organisation(org: Organisation, options: Parameters<typeof configYaml>[1] = {}, name = `${org.name}.yaml`): string {
    this.file(`${org.name}-federator.pem`, org.federator.chainPem);
    this.file(`${org.name}-federator.key`, org.federator.keyPem);
    this.file(`${org.name}-ca.pem`, org.ca.certPem);
    return this.file(name, configYaml(org, options));
  }
}

/** The card entry of a certificate (what `card export` writes for it). */
export function caEntry(pem: string): { sha256: string; subject: string; notAfter: string; pem: string } {
  const cert = new X509Certificate(pem);
  return { sha256: cert.fingerprint256, subject: cert.subject.replace(/\n/g, ', '), notAfter: new Date(cert.validTo).toISOString(), pem };
}

/** A card text with `change` applied to its parsed form. */
export function tampered(text: string, change: (card: Record<string, any>) => void): string {
  const card = parse(text) as Record<string, any>;
  change(card);
  return stringify(card);
}

/** Red and blue in a workspace: blue's config written there and its card exported (`blueCard`); red's config is left to the test. */
export interface CardExchange {
  readonly red: Organisation;
  readonly blue: Organisation;
  readonly ws: Workspace;
  readonly blueCard: string;
}

export async function blueCardFor(): Promise<CardExchange> {
  const [red, blue] = await Promise.all([makeOrganisation('red'), makeOrganisation('blue')]);
  const ws = new Workspace();
  const blueCard = join(ws.path, 'blue-card.yaml');
  const exported = await cli([
    'card',
    'export',
    '--config',
    ws.organisation(blue),
    '--contact',
    'ops@blue.example.com',
    '--date',
    '2026-12-03',
    '--out',
    blueCard,
  ]);
  if (exported.code !== 0) throw new Error(`card export failed: ${exported.err}`);
  return { red, blue, ws, blueCard };
}

/** Runs the CLI of `project` (undefined: the library's CLI, as in a consumer project) with `cwd` as the working directory. */
export async function cliIn(cwd: string, args: readonly string[], project: CliProject | undefined): Promise<CliRun> {
  let out = '';
  let err = '';
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await runCli(args, { writeOut: (t) => (out += t), writeErr: (t) => (err += t) }, project);
    return { code, out, err };
  } finally {
    process.chdir(before);
  }
}
