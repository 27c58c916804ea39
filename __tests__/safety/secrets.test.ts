/**
 * Secret hygiene: the real synth of every example environment (`node --import tsx main.ts`, as
 * `cdktf synth` runs it) with secrets in its environment, then a scan of everything a reviewer or
 * a CI log could show: the synthesized files, the run's output, the snapshots and every tracked
 * file outside __tests__/. No private key and no secret value may appear anywhere; the public
 * material (peer CAs) must be there to review; secrets reach Helm and Terraform only as references.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizePem } from '../../lib/core/pem';
import { environments } from '../../stacks/environments';
import { makeCa } from '../support/certificates';
import { OTHER_CA_PEM, PEER_CA_PEM, REPO_ROOT } from '../support/config';
import { directoriesNamed, filesUnder } from '../support/files';
import { NodeRun, runTsx } from '../support/node-run';

/** Secrets given to the synth the way operators give them (generated per run, so they can only come from the environment). */
const SECRETS: Record<string, string> = {
  TF_VAR_rabbitmq_password: `s3cr3t-${randomUUID()}`,
  TF_VAR_rabbitmq_username: `s3cr3t-${randomUUID()}`,
  TF_VAR_cloudflare_api_token: `s3cr3t-${randomUUID()}`,
  CLOUDFLARE_API_TOKEN: `s3cr3t-${randomUUID()}`,
  TF_VAR_dns_update_key_secret: `s3cr3t-${randomUUID()}`,
  DNS_UPDATE_KEYSECRET: `s3cr3t-${randomUUID()}`,
  AWS_SECRET_ACCESS_KEY: `s3cr3t-${randomUUID()}`,
};

/** Any PEM private key header: nothing generated may contain one. */
const PRIVATE_KEY_HEADER = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/**
 * A whole PEM private key block (header, optional `Proc-Type:`-style headers, base64, matching
 * footer). Source files may name the headers in help texts; they may not hold a key.
 */
const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----\s+(?:[A-Za-z-]+:[^\n]*\n\s*)*[A-Za-z0-9+/=\s]{16,}-----END \1PRIVATE KEY-----/;

/** JSON and YAML escape newlines; a key inside a string must be found too. */
const unescapeNewlines = (text: string): string => text.replace(/\\r\\n|\\n|\\r/g, '\n');

/** What in `text` is a private key or one of the secrets; `strict` also refuses a bare key header. */
function leaks(text: string, secrets: readonly string[], strict: boolean): string[] {
  const found: string[] = [];
  const plain = unescapeNewlines(text);
  const key = (strict ? PRIVATE_KEY_HEADER : PRIVATE_KEY_BLOCK).exec(plain);
  if (key) found.push(`private key (${key[0].split('\n')[0]})`);
  for (const secret of secrets) if (text.includes(secret)) found.push(`secret value ${secret}`);
  return found;
}

function scanFiles(label: string, root: string, files: readonly string[], strict: boolean): string[] {
  const secrets = Object.values(SECRETS);
  return files.flatMap((f) => {
    const path = join(root, f);
    if (!existsSync(path) || !statSync(path).isFile()) return []; // deleted in the working tree
    return leaks(readFileSync(path, 'utf8'), secrets, strict).map((hit) => `${label}/${f}: ${hit}`);
  });
}

type Json = { [key: string]: any };

/** Every string in a JSON document. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringsIn);
}

/** Every value under a key named `key`, anywhere in a JSON document. */
function valuesOfKey(value: unknown, key: string): unknown[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [v] : []), ...valuesOfKey(v, key)]);
}

let tmp: string;
let outdir: string;
let run: NodeRun;
const stacks = new Map<string, Json>();
const names = environments.map((e) => e.environment);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wfc-secrets-'));
  outdir = join(tmp, 'cdktf.out');
  run = runTsx('main.ts', { cwd: REPO_ROOT, env: { CDKTF_OUTDIR: outdir, ...SECRETS }, timeoutMs: 120_000 });
  for (const name of names) {
    const file = join(outdir, 'stacks', name, 'cdk.tf.json');
    if (existsSync(file)) stacks.set(name, JSON.parse(readFileSync(file, 'utf8')));
  }
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the scanner', () => {
  test('finds a real private key (plain and JSON-escaped) and a secret, and not a help text naming the headers', async () => {
    const { keyPem } = await makeCa({ commonName: 'scanner self-test' });
    expect(leaks(keyPem, [], false)).toEqual(['private key (-----BEGIN PRIVATE KEY-----)']);
    expect(leaks(JSON.stringify({ values: `tls:\n  key: |\n    ${keyPem.replace(/\n/g, '\n    ')}` }), [], false)).toHaveLength(1);
    expect(leaks('put the key in it ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN EC PRIVATE KEY-----")', [], false)).toEqual([]);
    expect(leaks('"-----BEGIN EC PRIVATE KEY-----"', [], true)).toHaveLength(1);
    expect(leaks(`{"password": "${SECRETS.TF_VAR_rabbitmq_password}"}`, Object.values(SECRETS), false)).toEqual([
      `secret value ${SECRETS.TF_VAR_rabbitmq_password}`,
    ]);
  });
});

describe('synth of the example environments with secrets in the environment', () => {
  test('succeeds and writes one stack per environment', () => {
    expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(names.length).toBeGreaterThan(0);
    const files = filesUnder(outdir);
    expect(files).toEqual(expect.arrayContaining(['manifest.json', ...names.map((n) => `stacks/${n}/cdk.tf.json`)]));
    // Besides the manifest, only files of the environments' stacks (cdk.tf.json, chart assets).
    expect(files.filter((f) => f !== 'manifest.json' && !names.some((n) => f.startsWith(`stacks/${n}/`)))).toEqual([]);
    expect([...stacks.keys()].sort()).toEqual([...names].sort());
  });

  test('no private key and no secret value in the synthesized files or the run output', () => {
    const hits = [
      ...scanFiles('cdktf.out', outdir, filesUnder(outdir), true),
      ...leaks(run.stdout, Object.values(SECRETS), true).map((h) => `stdout: ${h}`),
      ...leaks(run.stderr, Object.values(SECRETS), true).map((h) => `stderr: ${h}`),
    ];
    expect(hits).toEqual([]);
  });

  test('no private key and no secret value in any snapshot', () => {
    const dirs = directoriesNamed(REPO_ROOT, '__snapshots__');
    expect(dirs).toContain(join(REPO_ROOT, '__tests__', '__snapshots__'));
    const hits = dirs.flatMap((dir) => scanFiles(dir.slice(REPO_ROOT.length + 1), dir, filesUnder(dir), true));
    expect(hits).toEqual([]);
  });

  test('no private key and no secret value in any tracked file outside __tests__/', () => {
    const ls = spawnSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(ls.status).toBe(0);
    const tracked = ls.stdout.split('\0').filter((f) => f !== '' && !f.startsWith('__tests__/'));
    expect(tracked).toEqual(expect.arrayContaining(['main.ts', 'stacks/environments/staging.ts', 'stacks/environments/peers/wire-acme-test-ca.pem']));
    // Strict, like the repository's before-stop hook: even a bare key header is a finding.
    expect(scanFiles('.', REPO_ROOT, tracked, true)).toEqual([]);
  });

  test('the peer CAs are in the synthesized JSON as reviewable PEM text', () => {
    // As PEM text: in a list, or in a YAML block (indented lines); not encoded or hidden.
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    const hasPem = (env: string, pem: string) => stringsIn(stacks.get(env)).some((s) => squeeze(s).includes(squeeze(normalizePem(pem))));
    expect(normalizePem(PEER_CA_PEM)).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(hasPem('staging', PEER_CA_PEM)).toBe(true);
    expect(hasPem('production', PEER_CA_PEM)).toBe(true);
    expect(hasPem('production', OTHER_CA_PEM)).toBe(true);
    expect(hasPem('staging', OTHER_CA_PEM)).toBe(false);
  });

  test('every set_sensitive value is a Terraform reference, never a literal', () => {
    const REFERENCE =
      /^\$\{(?:var\.[A-Za-z0-9_-]+|tls_private_key\.[A-Za-z0-9_-]+\.[a-z0-9_]+|lookup\(var\.[A-Za-z0-9_-]+, *"[^"]*"\)|var\.[A-Za-z0-9_-]+\["[^"]*"\])\}$/;
    for (const [env, json] of stacks) {
      const entries = valuesOfKey(json, 'set_sensitive').flatMap((list) => (Array.isArray(list) ? list : [list])) as Json[];
      expect({ env, count: entries.length > 0 }).toEqual({ env, count: true });
      const literals = entries
        .filter((e) => typeof e.value !== 'string' || !REFERENCE.test(e.value))
        .map((e) => `${env}: ${e.name} = ${JSON.stringify(e.value)}`);
      expect(literals).toEqual([]);
    }
  });

  test('Kubernetes secrets get their data as Terraform references, never literals (a public certificate may be one)', () => {
    const REFERENCE = /^\$\{(?:var\.[A-Za-z0-9_-]+|[a-z_]+\.[A-Za-z0-9_-]+\.[a-z0-9_]+)\}$/;
    const publicCertificate = (k: string, v: string) => k === 'tls.crt' && v.includes('-----BEGIN CERTIFICATE-----') && !/PRIVATE KEY/.test(v);
    for (const [env, json] of stacks) {
      const secrets = Object.entries((json.resource?.kubernetes_secret ?? {}) as Record<string, Json>);
      const literals = secrets.flatMap(([id, r]) =>
        Object.entries((r.data ?? {}) as Record<string, unknown>)
          .filter(([k, v]) => typeof v !== 'string' || !(REFERENCE.test(v) || publicCertificate(k, v)))
          .map(([k, v]) => `${env}: kubernetes_secret.${id}.data.${k} = ${JSON.stringify(v)}`),
      );
      expect(literals).toEqual([]);
    }
  });

  test('the federation exporter (monitoring.enabled) gets its key from the existing secret only: no key, no key reference in its resources', () => {
    const withMonitoring = [...stacks].filter(([, json]) => json.resource?.kubernetes_deployment_v1);
    expect(withMonitoring.map(([env]) => env)).toEqual(['production']);
    for (const [env, json] of withMonitoring) {
      const resources = [
        json.resource.kubernetes_config_map_v1,
        json.resource.kubernetes_deployment_v1,
        json.resource.kubernetes_service_v1,
        Object.fromEntries(Object.entries(json.resource.helm_release as Record<string, Json>).filter(([id]) => id.includes('Monitoring'))),
      ];
      const text = JSON.stringify(resources);
      expect({ env, leaks: leaks(text, Object.values(SECRETS), true) }).toEqual({ env, leaks: [] });
      // Not even a reference to a key: the pod mounts the federator certificate secret itself.
      expect({
        env,
        keyReferences: text.match(/tls_private_key\.[A-Za-z0-9_]+|private_key_pem|var\.[a-z_]*(key|secret|password|token)[a-z_]*/gi) ?? [],
      }).toEqual({ env, keyReferences: [] });
      const volumes = valuesOfKey(json.resource.kubernetes_deployment_v1, 'secret') as Json[];
      expect(volumes.map((v) => v.secret_name)).toEqual(['federator-certificate-secret']);
    }
  });

  test('every variable named like a credential is sensitive, and so is every output that carries one', () => {
    for (const [env, json] of stacks) {
      const variables = Object.entries((json.variable ?? {}) as Record<string, Json>);
      const credentials = variables.filter(([name]) => /token|password|username|secret|private_key/i.test(name));
      // The DNS provider's secret input: Cloudflare's token, the RFC 2136 TSIG secret (others read their environment).
      const dnsSecret = json.provider?.cloudflare ? ['cloudflare_api_token'] : json.provider?.dns ? ['dns_update_key_secret'] : [];
      expect(credentials.map(([name]) => name)).toEqual(expect.arrayContaining([...dnsSecret, 'rabbitmq_password', 'rabbitmq_username']));
      expect(credentials.filter(([, v]) => v.sensitive !== true).map(([name]) => `${env}: variable ${name}`)).toEqual([]);
      const secretOutputs = Object.entries((json.output ?? {}) as Record<string, Json>).filter(([, o]) =>
        /tls_private_key\.|var\.[A-Za-z0-9_]*(token|password|username|secret|private_key)/i.test(JSON.stringify(o.value)),
      );
      expect(secretOutputs.filter(([, o]) => o.sensitive !== true).map(([name]) => `${env}: output ${name}`)).toEqual([]);
    }
  });
});
