/**
 * The Helm releases of a synthesized stack (`cdk.tf.json`), with their values made concrete for
 * `helm template`: values documents in order, then `set`, then `set_sensitive`; Terraform
 * references resolved to placeholders (or to known outputs); secrets only as marked placeholders.
 * Pure: JSON in, values out.
 */
import { parse } from 'yaml';
import { mergeValues } from '../core/values';
import type { Values } from '../helm/values/types';
import { ExpressionError, ReferenceResolver, evaluateDeep, evaluateTemplate, hasInterpolation } from './expressions';

/** The part of a synthesized stack that render reads. */
export interface SynthesizedStack {
  readonly resource?: { readonly [type: string]: { readonly [id: string]: any } };
  readonly locals?: { readonly [name: string]: unknown };
  readonly data?: { readonly [type: string]: { readonly [id: string]: any } };
}

/** Outputs of deployed stacks (as `cdktf output --outputs-file` writes them): stack → output → value. */
export type StackOutputs = { readonly [stack: string]: { readonly [output: string]: unknown } };

/** Where a values document of a release comes from. */
export interface ValuesSource {
  /** `values[0]`, `set`, `set_sensitive`. */
  readonly origin: string;
  readonly values: Values;
}

/** One Helm release, ready for `helm template`. */
export interface ReleaseToRender {
  /** Construct path (`red/Federation/WireServer/Resource`) or Terraform id. */
  readonly address: string;
  readonly name: string;
  readonly chart: string;
  readonly repository?: string;
  readonly version?: string;
  readonly namespace: string;
  /** Values documents in the order Helm applies them. */
  readonly documents: readonly ValuesSource[];
  /** The documents merged (what the chart sees). */
  readonly values: Values;
  /** Paths given through `set_sensitive` (their values are placeholders). */
  readonly sensitivePaths: readonly string[];
  /** References that were replaced by placeholders, e.g. `tls_self_signed_cert.Ca.cert_pem`. */
  readonly placeholders: readonly string[];
}

/** Text of a placeholder secret: clearly marked, never a real value. */
export function sensitivePlaceholder(path: string): string {
  return `SENSITIVE-PLACEHOLDER(${path})`;
}

/**
 * A placeholder certificate for a reference known only at apply: a PEM block whose body names the
 * reference (so different references stay different, and it is recognisable in every manifest).
 */
export function placeholderPem(reference: string): string {
  const body = `PLACEHOLDER/${reference.replace(/[^A-Za-z0-9]+/g, '/')}/known/at/apply`;
  const padded = body + '='.repeat((4 - (body.length % 4)) % 4);
  const lines = padded.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----`;
}

/** Whether a PEM block is a placeholder of {@link placeholderPem}. */
export function isPlaceholderPem(pem: string): boolean {
  return /-----BEGIN CERTIFICATE-----\s*PLACEHOLDER\//.test(pem);
}

export interface ReleasesOptions {
  /** The stack's name (environment); its own outputs are looked up under it. */
  readonly stackName: string;
  /**
   * Outputs of deployed stacks, for real certificates instead of placeholders: our own CA
   * (`ca_certificate_pem`, used when the stack has one CA), our federator certificate
   * (`federator_certificate_pem`) and peers' CAs read from their state.
   * @default - placeholders everywhere
   */
  readonly outputs?: StackOutputs;
  /** Only releases of these charts. @default - every release */
  readonly charts?: readonly string[];
}

/**
 * Resolves a reference of the synthesized stack: locals by evaluation, variables and private keys
 * as sensitive placeholders, certificates and remote state outputs from `outputs` or as
 * placeholder PEMs.
 */
function resolver(stack: SynthesizedStack, options: ReleasesOptions, placeholders: Set<string>): ReferenceResolver {
  const own = options.outputs?.[options.stackName] ?? {};
  const ownCas = Object.keys(stack.resource?.tls_self_signed_cert ?? {}).length;
  const known = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  const resolve: ReferenceResolver = (ref) => {
    const [head, ...rest] = ref;
    const name = ref.join('.');
    if (head === 'local') {
      if (!(rest[0] in (stack.locals ?? {}))) throw new ExpressionError(`unknown local ${name}`);
      return evaluateDeep(stack.locals![rest[0]], resolve);
    }
    if (head === 'var') {
      placeholders.add(name);
      return new Proxy({}, { get: (_, key) => (typeof key === 'string' ? sensitivePlaceholder(`var.${rest[0]}.${key}`) : undefined), has: () => true });
    }
    if (head === 'data' && rest[0] === 'terraform_remote_state' && rest[2] === 'outputs') {
      const env = rest[1].replace(/^PeerState-/, '');
      const value = options.outputs?.[env]?.[rest[3]];
      if (known(value)) return value;
      placeholders.add(name);
      return placeholderPem(name);
    }
    if (head === 'tls_private_key' || /private_key/.test(name)) {
      placeholders.add(name);
      return sensitivePlaceholder(name);
    }
    if (head === 'tls_self_signed_cert' && rest[1] === 'cert_pem' && ownCas === 1 && known(own.ca_certificate_pem)) return own.ca_certificate_pem.trim();
    if (head === 'tls_locally_signed_cert' && rest[1] === 'cert_pem' && known(own.federator_certificate_pem)) return own.federator_certificate_pem;
    placeholders.add(name);
    if (/cert_pem$|certificate/.test(name)) return placeholderPem(name);
    return `PLACEHOLDER(${name})`;
  };
  return resolve;
}

/** Splits a Helm `--set` name into keys (`a.b\.c` → `a`, `b.c`). */
export function splitSetName(name: string): string[] {
  return name.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, '.'));
}

/**
 * A `--set` path as values (`a.b` = v → `{a: {b: v}}`); a list index as Helm reads it
 * (`a.b[0]` = v → `{a: {b: [v]}}`).
 */
function valuesAt(keys: readonly string[], value: unknown): Values {
  return keys.reduceRight<unknown>((acc, key) => {
    const indexed = /^(.+)\[(\d+)\]$/.exec(key);
    if (indexed === null) return { [key]: acc };
    const list: unknown[] = [];
    list[Number(indexed[2])] = acc;
    return { [indexed[1]]: Array.from(list, (v) => v ?? null) };
  }, value) as Values;
}

/** Helm's `--set` type guessing for `type: auto`. */
function autoTyped(value: string): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  if (value === 'null') return null;
  return value;
}

/**
 * The Helm releases of a synthesized stack, with values made concrete.
 * @throws ExpressionError when a values expression uses Terraform syntax render does not support
 */
export function releasesOf(stack: SynthesizedStack, options: ReleasesOptions): ReleaseToRender[] {
  const releases: ReleaseToRender[] = [];
  for (const [id, r] of Object.entries(stack.resource?.helm_release ?? {})) {
    if (options.charts !== undefined && !options.charts.includes(r.chart)) continue;
    const placeholders = new Set<string>();
    const resolve = resolver(stack, options, placeholders);
    const documents: ValuesSource[] = [];
    (Array.isArray(r.values) ? (r.values as string[]) : []).forEach((text, i) => {
      const evaluated = hasInterpolation(text) ? evaluateTemplate(text, resolve) : text.replace(/\$\$\{/g, '${');
      const values = typeof evaluated === 'string' ? ((parse(evaluated) as Values | null) ?? {}) : (evaluated as Values);
      documents.push({ origin: `values[${i}]`, values });
    });
    const sets = (Array.isArray(r.set) ? r.set : []) as { name: string; value: string; type?: string }[];
    if (sets.length > 0) {
      documents.push({
        origin: 'set',
        values: sets.reduce<Values>((acc, s) => {
          const raw = evaluateDeep(s.value, resolve);
          const value = typeof raw === 'string' && s.type !== 'string' ? autoTyped(raw) : raw;
          return mergeValues(acc, valuesAt(splitSetName(s.name), value));
        }, {}),
      });
    }
    const sensitive = (Array.isArray(r.set_sensitive) ? r.set_sensitive : []) as { name: string }[];
    if (sensitive.length > 0) {
      documents.push({
        origin: 'set_sensitive',
        values: sensitive.reduce<Values>((acc, s) => mergeValues(acc, valuesAt(splitSetName(s.name), sensitivePlaceholder(s.name))), {}),
      });
    }
    releases.push({
      address: r['//']?.metadata?.path ?? `helm_release.${id}`,
      name: r.name,
      chart: r.chart,
      repository: r.repository,
      version: r.version,
      namespace: r.namespace ?? 'default',
      documents,
      values: documents.reduce<Values>((acc, d) => mergeValues(acc, d.values), {}),
      sensitivePaths: sensitive.map((s) => s.name),
      placeholders: [...placeholders].sort(),
    });
  }
  return releases;
}
