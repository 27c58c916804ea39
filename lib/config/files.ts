/**
 * The files a config names (CA certificates, values files, the provided certificate, the
 * adoption record): paths resolved against the config's base directory, each file read once per
 * process through the ground floor's bounded reader, parsed and checked. Problems name the field,
 * the path received and the file it resolved to.
 */
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputFileError, jsonErrorWithoutContent, readBoundedText } from '../files/read';
import { containsPrivateKey, parseCertificates } from '../core/pem';
import type { Values as HelmValues } from '../core/values';
import { packageVersion } from '../package-dir';
import { ConfigProblem, describeValue, formatPath } from './errors';
import { CommandHint, fileTarget } from './command-hint';
import { checkProvidedCertificate } from './provided-certificate';
import { AdoptionRecord, adoptionRecordSchema } from './adoption/record';
import { recordFormatProblem } from './adoption/record-rules';
import type { PkiConfig, SchemaOutput, SchemaPeer, TrustedCa, ValuesDocument } from './model';
import { checkPkiChartVersions } from './rules';
import { valueAt } from './schema-problems';

/** Reads and checks the adoption record: it must belong to this environment and its domain. */
export function readAdoptionRecord(
  file: string,
  data: SchemaOutput,
  baseDir: string,
  problems: ConfigProblem[],
  command: CommandHint,
): AdoptionRecord | undefined {
  const text = readConfigFile(file, 'adoptionFile', 'adoption record', baseDir, problems);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    problems.push({
      path: 'adoptionFile',
      rule: 'adoption-record',
      message: `adoption record is not valid JSON (${jsonErrorWithoutContent(e)}); received ${describeValue(file)}. Run \`${command('adopt')}\` again`,
    });
    return undefined;
  }
  const newer = recordFormatProblem(json, file, packageVersion(), command);
  if (newer !== undefined) {
    problems.push(newer);
    return undefined;
  }
  const parsed = adoptionRecordSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({
        path: 'adoptionFile',
        rule: 'adoption-record',
        message: `${file}: ${formatPath(issue.path) || '(record)'} ${issue.message}; received ${describeValue(valueAt(json, issue.path))}`,
      });
    }
    return undefined;
  }
  const record = parsed.data;
  if (record.environment !== data.environment || record.backendDomain !== data.backendDomain) {
    problems.push({
      path: 'adoptionFile',
      message: `${file} records environment ${record.environment} with backend domain ${JSON.stringify(record.backendDomain)}, but this is environment ${data.environment} with backend domain ${JSON.stringify(data.backendDomain)}: name this environment's own record, or run \`${command('adopt')}\``,
    });
    return undefined;
  }
  const recordedDns = Object.keys(record.dnsRecords).filter((k) => record.dnsRecords[k as keyof typeof record.dnsRecords] !== undefined);
  if (recordedDns.length > 0 && data.dns.provider !== 'cloudflare') {
    problems.push({
      path: 'adoptionFile',
      rule: 'adoption-record',
      message: `${file} records Cloudflare DNS records to import (${recordedDns.join(', ')}), but dns.provider is ${data.dns.provider}: remove dnsRecords from the record, or run \`${command('adopt')}\` again`,
    });
    return undefined;
  }
  if (record.dnsRecords.aaaa !== undefined && data.ingress.ipv6 === undefined) {
    problems.push({
      path: 'adoptionFile',
      rule: 'adoption-record',
      message: `${file} records an AAAA record to import (${record.dnsRecords.aaaa}), but ingress.ipv6 is not set: set ingress.ipv6 to manage it, or run \`${command('adopt')}\` again`,
    });
    return undefined;
  }
  return record;
}

export function resolvePki(data: SchemaOutput, baseDir: string, problems: ConfigProblem[], warnings: ConfigProblem[]): PkiConfig | undefined {
  const pki = data.pki;
  if (pki.mode === 'letsencrypt-only') return undefined; // refused by the schema
  const previousCaCertificates = pki.previousCaCertificates.flatMap((source, i) => {
    const path = `pki.previousCaCertificates[${i}]`;
    if ('environment' in source) {
      problems.push({
        path,
        rule: 'schema',
        message: `must be {file} or {pem}: our own previous CA is not another environment's output; received ${describeValue(source)}`,
      });
      return [];
    }
    return resolveCa(source, path, baseDir, problems).flatMap((ca) => (ca.kind === 'pem' ? [ca.pem] : []));
  });
  if (pki.mode === 'private-ca' || pki.mode === 'cert-manager') {
    checkPkiChartVersions(data, problems);
    return { ...pki, previousCaCertificates, signingCaGeneration: pki.signingCaGeneration ?? pki.caGenerations[0] };
  }
  // provided: read and check the files now, so mistakes show at synth and not as TLS errors.
  const read = (field: 'certificateFile' | 'keyFile' | 'caFile', file: string): string | undefined =>
    readConfigFile(file, `pki.${field}`, 'file', baseDir, problems);
  const certificatePem = read('certificateFile', pki.certificateFile);
  const caPem = read('caFile', pki.caFile);
  const keyPem = pki.keyFile === undefined ? undefined : read('keyFile', pki.keyFile);
  if (certificatePem === undefined || caPem === undefined || (pki.keyFile !== undefined && keyPem === undefined)) return undefined;
  const { findings, chainDepth } = checkProvidedCertificate({
    files: { certificateFile: pki.certificateFile, keyFile: pki.keyFile ?? '(variable federator_private_key)', caFile: pki.caFile },
    certificatePem,
    keyPem,
    caPem,
    federatorDomain: data.federatorDomain,
  });
  for (const f of findings) (f.level === 'error' ? problems : warnings).push({ path: `pki.${f.field}`, rule: 'provided-certificate', message: f.message });
  // Our own chain depth limits nothing here (federation.verifyDepth is about the PEERS' chains);
  // it is what each peer on nginx-ingress-services must allow: tell them (output federator_chain_depth).
  if (chainDepth > 1) {
    warnings.push({
      path: 'pki.certificateFile',
      rule: 'own-chain-depth',
      message: `the provided chain has ${chainDepth - 1} intermediate certificate${chainDepth === 2 ? '' : 's'} between the federator certificate and the CA: peers on nginx-ingress-services need tls.verify_depth (their federation.verifyDepth) of at least ${chainDepth} to accept our client certificate. Tell them (cdktf output federator_chain_depth); our own verifyDepth does not change it`,
    });
  }
  const chain = parseCertificates(certificatePem);
  const cas = parseCertificates(caPem);
  return {
    ...pki,
    keyFile: pki.keyFile === undefined ? undefined : resolveConfigPath(pki.keyFile, baseDir),
    previousCaCertificates,
    certificateChainPem: 'pems' in chain ? `${chain.pems.join('\n')}\n` : '',
    caPem: 'pems' in cas ? `${cas.pems.join('\n')}\n` : '',
    chainDepth,
  };
}

/** Resolves a path the way the config means it: `~` is the home directory, relative to baseDir. */
export function resolveConfigPath(path: string, baseDir: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

export function resolveCa(source: SchemaPeer['caCertificates'][number], path: string, baseDir: string, problems: ConfigProblem[]): TrustedCa[] {
  if ('environment' in source) return [{ kind: 'environment', environment: source.environment }];
  let text: string;
  let origin: string;
  let field: string;
  if ('file' in source) {
    field = `${path}.file`;
    origin = source.file;
    const content = readConfigFile(source.file, field, 'CA certificate file', baseDir, problems);
    if (content === undefined) return [];
    text = content;
  } else {
    field = `${path}.pem`;
    origin = 'inline';
    text = source.pem;
  }
  const whose = path.startsWith('pki.previousCaCertificates') ? 'our previous CA certificate' : "the peer's CA certificate";
  const where = origin === 'inline' ? 'the inline PEM' : `the file ${origin}`;
  if (containsPrivateKey(text)) {
    problems.push({
      path: field,
      rule: 'ca-certificate',
      message: `${where} contains a PRIVATE KEY: give ${whose} only, never a key (remove the key from ${where})`,
    });
    return [];
  }
  const parsed = parseCertificates(text);
  if ('error' in parsed) {
    problems.push({
      path: field,
      rule: 'ca-certificate',
      message: `must be a PEM CA certificate, but ${origin === 'inline' ? 'it' : where} ${parsed.error} (give ${whose}); received ${describeValue(origin === 'inline' ? text : source)}`,
    });
    return [];
  }
  return parsed.pems.map((pem) => ({ kind: 'pem' as const, pem, origin }));
}

/** Files by absolute path, read once per process: many environments name the same files. */
const files = new Map<string, string | undefined>();

/**
 * The content of a file the config names at `field` (relative to baseDir), or undefined after
 * recording a "<what> not found" problem.
 */
export function readConfigFile(path: string, field: string, what: string, baseDir: string, problems: ConfigProblem[]): string | undefined {
  const file = resolveConfigPath(path, baseDir);
  if (!files.has(file)) {
    // Bounded: a regular file of at most the input limit (never a FIFO, a device or a directory).
    try {
      files.set(file, readBoundedText(file, { what }));
    } catch (e) {
      if (!(e instanceof InputFileError)) throw e;
      if (e.code === 'not-found') files.set(file, undefined);
      else {
        problems.push({ path: field, rule: 'input-file', message: `${e.message.replace(file, fileTarget(file))}; received ${describeValue(path)}` });
        return undefined;
      }
    }
  }
  const content = files.get(file);
  if (content === undefined)
    problems.push({ path: field, rule: 'file-not-found', message: `${what} not found; received ${describeValue(path)} (resolved to ${fileTarget(file)})` });
  return content;
}

export function readValuesFiles(files: readonly string[], path: string, baseDir: string, problems: ConfigProblem[]): ValuesDocument[] {
  const documents: ValuesDocument[] = [];
  files.forEach((f, i) => {
    const field = `${path}[${i}]`;
    const text = readConfigFile(f, field, 'values file', baseDir, problems);
    if (text === undefined) return;
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      problems.push({
        path: field,
        rule: 'values-file',
        message: `values file ${f} is not valid YAML (${(e as Error).message.split('\n')[0]}); received ${describeValue(f)}`,
      });
      return;
    }
    if (doc === null || doc === undefined) return;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ path: field, rule: 'values-file', message: `values file ${f} must hold a YAML map at the top; received ${describeValue(f)}` });
      return;
    }
    documents.push({ file: f, path: field, values: doc as HelmValues });
  });
  return documents;
}
