/**
 * Pull-request review: runs `cdktf diff <env>` for ONE environment whose credentials are
 * configured as repository secrets, and appends its section to a Markdown comment body. An
 * environment without credentials is skipped with a notice. Used by
 * .github/workflows/pull-request.yml, one step per environment: each step maps only that
 * environment's secrets into its `env:` (never the whole secrets context), so a diff never sees another
 * environment's credentials.
 *
 * Secrets per environment (ENV = the environment name upper-cased, "-" → "_"):
 *   <ENV>_KUBECONFIG              kubeconfig content (written to ~/.kube/config for the run)
 *   <ENV>_RABBITMQ_USERNAME, <ENV>_RABBITMQ_PASSWORD
 *   the DNS provider's credentials (`dns.provider`, see DNS_CREDENTIALS; read-only is enough):
 *     cloudflare  <ENV>_CLOUDFLARE_API_TOKEN
 *     route53     <ENV>_AWS_ACCESS_KEY_ID, <ENV>_AWS_SECRET_ACCESS_KEY (optional <ENV>_AWS_SESSION_TOKEN)
 *     google      <ENV>_GOOGLE_CREDENTIALS (service account key JSON)
 *     azure       <ENV>_ARM_CLIENT_ID, <ENV>_ARM_CLIENT_SECRET, <ENV>_ARM_TENANT_ID (optional <ENV>_ARM_SUBSCRIPTION_ID)
 *     rfc2136     <ENV>_DNS_UPDATE_KEYSECRET (with a TSIG keyName)
 * Optional: <ENV>_FEDERATOR_PRIVATE_KEY (provided mode), <ENV>_STATE_ENV (lines KEY=VALUE for the
 * state backend, e.g. AWS_ACCESS_KEY_ID=…), <ENV>_WIRE_SERVER_SECRET_VALUES (the JSON map of the
 * operator's wire-server secrets, charts.wireServer.sensitiveValues).
 * Usage: STAGING_KUBECONFIG=… STAGING_CLOUDFLARE_API_TOKEN=… … node --require tsx/cjs scripts/pr-diff.ts <out.md> staging
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DnsProviderName } from '../lib/config/schema';

/** A DNS credential: the secret suffix (`<ENV>_<secret>`) and the environment variable it becomes. */
export interface DnsCredential {
  readonly secret: string;
  readonly variable: string;
  readonly required: boolean;
}

const same = (name: string, required = true): DnsCredential => ({ secret: name, variable: name, required });

/** The DNS provider's credentials, as the provider reads them from its environment. */
export const DNS_CREDENTIALS: Readonly<Record<DnsProviderName, readonly DnsCredential[]>> = {
  cloudflare: [same('CLOUDFLARE_API_TOKEN')],
  route53: [same('AWS_ACCESS_KEY_ID'), same('AWS_SECRET_ACCESS_KEY'), same('AWS_SESSION_TOKEN', false)],
  google: [same('GOOGLE_CREDENTIALS')],
  azure: [same('ARM_CLIENT_ID'), same('ARM_CLIENT_SECRET'), same('ARM_TENANT_ID'), same('ARM_SUBSCRIPTION_ID', false)],
  rfc2136: [same('DNS_UPDATE_KEYSECRET')],
};

/** The DNS settings of an environment that decide its credentials. */
export interface DnsOfEnvironment {
  /** @default cloudflare */
  readonly provider?: DnsProviderName;
  /** RFC 2136: the TSIG key; without it, updates are unsigned and need no secret. */
  readonly keyName?: string;
}

/** The DNS credentials of an environment (none for unsigned RFC 2136 updates). */
export function dnsCredentials(dns: DnsOfEnvironment = {}): readonly DnsCredential[] {
  const provider = dns.provider ?? 'cloudflare';
  if (provider === 'rfc2136' && dns.keyName === undefined) return [];
  return DNS_CREDENTIALS[provider];
}

/** The secrets (suffixes) an environment needs for a diff. */
export function requiredSecrets(dns: DnsOfEnvironment = {}): string[] {
  return [
    'KUBECONFIG',
    ...dnsCredentials(dns)
      .filter((c) => c.required)
      .map((c) => c.secret),
    'RABBITMQ_USERNAME',
    'RABBITMQ_PASSWORD',
  ];
}

/** The secrets of a Cloudflare environment (the default provider). */
export const REQUIRED = requiredSecrets();

export type DiffPlan =
  | { readonly environment: string; readonly skip: string }
  | { readonly environment: string; readonly kubeconfig: string; readonly env: Readonly<Record<string, string>>; readonly masks: readonly string[] };

/** Secret name prefix of an environment. */
export function secretPrefix(environment: string): string {
  return environment.toUpperCase().replace(/-/g, '_');
}

/** Decides, per environment, whether to diff and with which variables. Pure. */
export function planDiffs(
  environments: readonly string[],
  secrets: Readonly<Record<string, string | undefined>>,
  dnsOf: (environment: string) => DnsOfEnvironment = () => ({}),
): DiffPlan[] {
  return environments.map((environment) => {
    const p = secretPrefix(environment);
    const missing = requiredSecrets(dnsOf(environment)).filter((k) => !secrets[`${p}_${k}`]);
    if (missing.length > 0) return { environment, skip: `secrets not configured: ${missing.map((k) => `${p}_${k}`).join(', ')}` };
    const env: Record<string, string> = {};
    for (const c of dnsCredentials(dnsOf(environment))) {
      const value = secrets[`${p}_${c.secret}`];
      if (value) env[c.variable] = value;
    }
    Object.assign(env, {
      TF_VAR_rabbitmq_username: secrets[`${p}_RABBITMQ_USERNAME`]!,
      TF_VAR_rabbitmq_password: secrets[`${p}_RABBITMQ_PASSWORD`]!,
    });
    const key = secrets[`${p}_FEDERATOR_PRIVATE_KEY`];
    if (key) env.TF_VAR_federator_private_key = key;
    const secretValues = secrets[`${p}_WIRE_SERVER_SECRET_VALUES`];
    if (secretValues) env.TF_VAR_wire_server_secret_values = secretValues;
    for (const line of (secrets[`${p}_STATE_ENV`] ?? '').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    // Each secret of the JSON map is masked on its own too.
    const inner = secretValues ? Object.values(safeJson(secretValues)).filter((v): v is string => typeof v === 'string' && v !== '') : [];
    return { environment, kubeconfig: secrets[`${p}_KUBECONFIG`]!, env, masks: [...Object.values(env), ...inner] };
  });
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Lines of the `cdktf diff` output worth showing: without spinner and ANSI noise. */
export function cleanOutput(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
      .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
      .split('\n')
      .filter((l) => !/^\s*[⠁-⣿]/.test(l))
      .join('\n')
      .trim()
  );
}

/** Only the variables of `environment` (`<ENV>_…`): what its step's `env:` mapping gives it. */
export function secretsOf(environment: string, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const prefix = `${secretPrefix(environment)}_`;
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith(prefix) && e[1] !== undefined && e[1] !== ''));
}

function main(): void {
  const out = process.argv[2] ?? 'cdktf-diff.md';
  const environment = process.argv[3];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { environments } = require('../stacks/environments') as typeof import('../stacks/environments');
  if (environment === undefined || !environments.some((e) => e.environment === environment)) {
    console.error(`usage: pr-diff.ts <out.md> <environment>; environments: ${environments.map((e) => e.environment).join(', ')}`);
    process.exit(2);
  }
  const sections: string[] = existsSync(out) ? [] : ['## cdktf diff', ''];
  let failed = false;
  const dns = (environments.find((e) => e.environment === environment)?.dns ?? {}) as DnsOfEnvironment;
  for (const plan of planDiffs([environment], secretsOf(environment, process.env), () => dns)) {
    if ('skip' in plan) {
      console.log(`::notice title=cdktf diff ${plan.environment} skipped::${plan.skip}`);
      sections.push(`### ${plan.environment}: skipped`, '', `${plan.skip}.`, '');
      continue;
    }
    for (const m of plan.masks) console.log(`::add-mask::${m}`);
    mkdirSync(join(homedir(), '.kube'), { recursive: true });
    writeFileSync(join(homedir(), '.kube', 'config'), plan.kubeconfig, { mode: 0o600 });
    const run = spawnSync('npx', ['cdktf', 'diff', plan.environment], {
      env: { ...process.env, ...plan.env, CHECKPOINT_DISABLE: '1', CI: 'true' },
      encoding: 'utf8',
    });
    const text = cleanOutput(`${run.stdout}\n${run.stderr}`);
    for (const m of plan.masks) if (text.includes(m)) throw new Error(`secret of ${plan.environment} found in diff output; refusing to post it`);
    failed ||= run.status !== 0;
    sections.push(
      `### ${plan.environment}${run.status === 0 ? '' : ' (failed)'}`,
      '',
      '<details><summary>plan</summary>',
      '',
      '```',
      text,
      '```',
      '',
      '</details>',
      '',
    );
  }
  appendFileSync(out, sections.join('\n'));
  if (failed) process.exitCode = 1;
}

if (require.main === module) main();
