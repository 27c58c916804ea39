/**
 * Turns untrusted input (a TypeScript object, or a parsed YAML/JSON file) into a
 * {@link WireFederationConfig}, or a {@link FederationConfigError} listing every problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigProblem, FederationConfigError, describeValue, formatPath } from './errors';
import { wireFederationConfigSchema } from './schema';
import { parseCertificates } from '../pki/pem';
import { mergeValues } from '../helm/values/merge';
import type { Values as HelmValues } from '../helm/values/types';

type SchemaOutput = z.output<typeof wireFederationConfigSchema>;
type SchemaPeer = SchemaOutput['peers'][number];
type SchemaRelease = SchemaOutput['charts']['wireServer'];

/** A CA certificate trusted for a peer: PEM known at synth, or another environment's CA output. */
export type TrustedCa =
  | { readonly kind: 'pem'; readonly pem: string; /** file path or "inline" */ readonly origin: string }
  | { readonly kind: 'environment'; readonly environment: string };

export interface PeerConfig extends Omit<SchemaPeer, 'caCertificates'> {
  readonly caCertificates: readonly TrustedCa[];
}

export interface ReleaseConfig extends SchemaRelease {
  /** The operator's values files merged in order (later files win), as one object. */
  readonly operatorValues: HelmValues;
}

/** A parsed config: every default applied, files read and checked. */
export interface WireFederationConfig extends Omit<SchemaOutput, 'peers' | 'charts'> {
  readonly peers: readonly PeerConfig[];
  readonly charts: Omit<SchemaOutput['charts'], 'wireServer' | 'nginxIngressServices'> & {
    readonly wireServer: ReleaseConfig;
    readonly nginxIngressServices: ReleaseConfig;
  };
}

export interface ParseOptions {
  /**
   * Directory that relative file paths (CA files, values files) are resolved against.
   * @default the current working directory
   */
  readonly baseDir?: string;
  /** Named in the error message, e.g. the config file path. */
  readonly source?: string;
}

/**
 * Validates a config. Returns the typed config or throws {@link FederationConfigError} with every
 * problem as `{path, message}`; each message names the field, shows the value received and says
 * what is allowed.
 */
export function parseFederationConfig(input: unknown, options: ParseOptions = {}): WireFederationConfig {
  const result = wireFederationConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue): ConfigProblem => {
      const path = formatPath(issue.path);
      const received = valueAt(input, issue.path);
      return { path, message: `${issue.message}; received ${describeValue(received)}` };
    });
    throw new FederationConfigError(problems, options.source);
  }
  const baseDir = options.baseDir ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const data = result.data;
  const peers = data.peers.map((peer, i) => ({
    ...peer,
    caCertificates: peer.caCertificates.flatMap((source, j) =>
      resolveCa(source, `peers[${i}].caCertificates[${j}]`, baseDir, problems),
    ),
  }));
  const release = (key: 'wireServer' | 'nginxIngressServices'): ReleaseConfig => ({
    ...data.charts[key],
    operatorValues: readValuesFiles(data.charts[key].valuesFiles, `charts.${key}.valuesFiles`, baseDir, problems),
  });
  const charts = { ...data.charts, wireServer: release('wireServer'), nginxIngressServices: release('nginxIngressServices') };
  if (problems.length > 0) throw new FederationConfigError(problems, options.source);
  return { ...data, peers, charts };
}

/** Resolves a path the way the config means it: `~` is the home directory, relative to baseDir. */
export function resolveConfigPath(path: string, baseDir: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function resolveCa(
  source: SchemaPeer['caCertificates'][number],
  path: string,
  baseDir: string,
  problems: ConfigProblem[],
): TrustedCa[] {
  if ('environment' in source) return [{ kind: 'environment', environment: source.environment }];
  let text: string;
  let origin: string;
  let field: string;
  if ('file' in source) {
    field = `${path}.file`;
    origin = source.file;
    const file = resolveConfigPath(source.file, baseDir);
    const content = readCaFile(file);
    if (content === undefined) {
      problems.push({ path: field, message: `CA certificate file not found; received ${describeValue(source.file)} (resolved to ${file})` });
      return [];
    }
    text = content;
  } else {
    field = `${path}.pem`;
    origin = 'inline';
    text = source.pem;
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    problems.push({ path: field, message: 'contains a PRIVATE KEY: give the peer\'s CA certificate only, never a key' });
    return [];
  }
  const parsed = parseCertificates(text);
  if ('error' in parsed) {
    problems.push({ path: field, message: `must be a PEM CA certificate, but it ${parsed.error}; received ${describeValue(origin === 'inline' ? text : source)}` });
    return [];
  }
  return parsed.pems.map((pem) => ({ kind: 'pem' as const, pem, origin }));
}

/** CA files by absolute path, read once per process: many environments name the same files. */
const caFiles = new Map<string, string | undefined>();

function readCaFile(file: string): string | undefined {
  if (!caFiles.has(file)) caFiles.set(file, existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  return caFiles.get(file);
}

function readValuesFiles(files: readonly string[], path: string, baseDir: string, problems: ConfigProblem[]): HelmValues {
  let merged: HelmValues = {};
  files.forEach((f, i) => {
    const file = resolveConfigPath(f, baseDir);
    const field = `${path}[${i}]`;
    if (!existsSync(file)) {
      problems.push({ path: field, message: `values file not found; received ${describeValue(f)} (resolved to ${file})` });
      return;
    }
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push({ path: field, message: `values file is not valid YAML (${(e as Error).message.split('\n')[0]}); received ${describeValue(f)}` });
      return;
    }
    if (doc === null || doc === undefined) return;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ path: field, message: `values file must hold a YAML map at the top; received ${describeValue(f)}` });
      return;
    }
    merged = mergeValues(merged, doc as HelmValues);
  });
  return merged;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}
