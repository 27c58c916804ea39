/**
 * The option parsers and option-file readers of every command, in one module (no command
 * imports another): a parser throws commander's InvalidArgumentError (exit 2 with the message),
 * a reader a UsageError naming the option.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { InvalidArgumentError } from 'commander';
import { InputFileError, readBoundedText } from '../lib/files/read';
import { SearchPolicy, searchPolicySchema } from '../lib/config';
import { INTERVAL_FORMAT, parseIntervalMs } from '../lib/core/durations';
import { parseCertificates } from '../lib/core/pem';
import { parseDnsServer } from '../lib/verify/dns-lookup';
import { parseVersionList } from '../lib/verify/federation-versions';
import type { ClientCertificate, PemSource } from '../lib/verify/verify';
import { UsageError } from './config-source';

/** Default of `--timeout`, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Parses `--federation-versions`. */
export function parseFederationVersions(value: string): number[] {
  const parsed = parseVersionList(value);
  if ('error' in parsed) throw new InvalidArgumentError(`--federation-versions ${parsed.error}; received "${value}"`);
  return parsed.versions;
}

export function parseTimeout(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 600_000) {
    throw new InvalidArgumentError(`--timeout must be a whole number of milliseconds between 1 and 600000; received "${value}"`);
  }
  return n;
}

export function parseDnsServerOption(value: string): string {
  const parsed = parseDnsServer(value);
  if ('error' in parsed) throw new InvalidArgumentError(`--dns-server ${parsed.error}; received "${value}"`);
  return parsed.server;
}

/** The text of a file an option names. @throws UsageError when it cannot be read */
export function readText(option: string, file: string, maxBytes?: number): string {
  // Bounded: a regular file only, at most the limit (never a FIFO, a device or a directory).
  try {
    return readBoundedText(file, { what: option.replace(/^--/, ''), maxBytes });
  } catch (e) {
    if (e instanceof InputFileError && e.code !== 'not-found' && e.code !== 'unreadable') throw new UsageError(`${option}: ${e.message}`);
    throw new UsageError(
      `${option}: cannot read "${file}" (${e instanceof InputFileError && e.code === 'not-found' ? 'ENOENT' : ((e as Error).message.match(/\(([A-Z]+)\)$/)?.[1] ?? (e as Error).message)})`,
    );
  }
}

export function readCertificates(option: string, file: string): PemSource {
  const parsed = parseCertificates(readText(option, file));
  if ('error' in parsed) throw new UsageError(`${option} must be a PEM file with certificates, but "${file}" ${parsed.error}`);
  return { pems: parsed.pems, origin: file };
}

/**
 * Reads the client certificate and its key, from `keyFile` or from the environment variable
 * `keyEnv` (for containers that get the key as an environment variable). The key never appears
 * in a message.
 */
export function readClientCertificate(
  certFile: string | undefined,
  keyFile: string | undefined,
  keyEnv?: string,
  names: { readonly cert: string; readonly key: string } = { cert: '--client-cert', key: '--client-key' },
): ClientCertificate | undefined {
  const { cert: certOption, key: keyOption } = names;
  const keyEnvOption = `${keyOption}-env`;
  if (keyFile && keyEnv)
    throw new UsageError(`give ${keyOption} or ${keyEnvOption}, not both; received ${keyOption} "${keyFile}" and ${keyEnvOption} ${keyEnv}`);
  const keySource = keyEnv ? `${keyEnvOption} ${keyEnv}` : keyFile;
  if (!certFile && !keySource) return undefined;
  if (!certFile || !keySource) {
    const given = certFile ? `${certOption} "${certFile}"` : keyEnv ? `${keyEnvOption} ${keyEnv}` : `${keyOption} "${keyFile}"`;
    throw new UsageError(`give ${certOption} and ${keyOption} together; received only ${given}`);
  }
  const cert = readCertificates(certOption, certFile);
  let key: string;
  if (keyEnv) {
    const value = process.env[keyEnv];
    if (!value) throw new UsageError(`${keyEnvOption}: the environment variable ${keyEnv} is not set or empty`);
    key = value;
  } else {
    key = readText(keyOption, keyFile!);
  }
  const named = keyEnv ? `${keyEnvOption} ${keyEnv}` : `${keyOption} "${keyFile}"`;
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert.pems[0]);
    if (!leaf.checkPrivateKey(createPrivateKey(key))) {
      throw new UsageError(`${named} is not the private key of ${certOption} "${certFile}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `${keyEnv ? `${keyEnvOption} ${keyEnv}` : keyOption} must be a PEM private key; ${keyEnv ? 'its value' : `"${keyFile}"`} does not parse (${(e as Error).message})`,
    );
  }
  return { cert: cert.pems.join('\n'), key, origin: certFile };
}

/** Parses `--interval` (lib/core/durations.ts: the same rule as `monitoring.interval`). */
export function parseInterval(value: string): number {
  const ms = parseIntervalMs(value);
  if (ms === undefined) throw new InvalidArgumentError(`--interval must be ${INTERVAL_FORMAT}; received "${value}"`);
  return ms;
}

/** Parses `--listen`: `host:port`, `[ipv6]:port` or `:port` (every address, IPv6 and IPv4). */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new InvalidArgumentError(`--listen must be <address>:<port> such as 127.0.0.1:9464, [::1]:9464 or :9464 (all addresses); received "${value}"`);
  // An empty host is every address, IPv6 and IPv4 (startExporter listens dual stack).
  return { host: m[1] ?? m[2] ?? '', port };
}

/** Parses `--concurrency`. */
export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 256)
    throw new InvalidArgumentError(`--concurrency must be a whole number between 1 and 256; received "${value}"`);
  return n;
}

/** `--date`: a day as YYYY-MM-DD. */
export function parseDate(value: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw new InvalidArgumentError(`--date must be a day as YYYY-MM-DD; received "${value}"`);
  }
  return value;
}

/** `--search-policy`: one of the search policies of the schema. */
export function parseSearchPolicy(value: string): SearchPolicy {
  const parsed = searchPolicySchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`--search-policy must be one of ${searchPolicySchema.options.join(', ')}; received "${value}"`);
  return parsed.data;
}

/** Reads the repeatable `--peer-ca <domain>=<pem file>` for the configured peers (`peerDomains`). @throws UsageError naming the value */
export function readPeerCas(values: readonly string[], peerDomains: readonly string[]): Map<string, PemSource> {
  const result = new Map<string, PemSource>();
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--peer-ca must be <domain>=<pem file>; received "${value}"`);
    const domain = value.slice(0, eq).replace(/\.$/, '').toLowerCase();
    const file = value.slice(eq + 1);
    if (!peerDomains.includes(domain)) {
      throw new UsageError(`--peer-ca names "${domain}", which is not a peer in the config; peers: ${peerDomains.join(', ') || 'none'}`);
    }
    const source = readCertificates(`--peer-ca ${domain}`, file);
    const before = result.get(domain);
    result.set(domain, before ? { pems: [...before.pems, ...source.pems], origin: `${before.origin}, ${file}` } : source);
  }
  return result;
}
