import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import type { WireFederationInput } from '../../lib/config';
import { baseInput, resourceAt, Synth } from '../support/config';

export const get = (obj: any, path: string): any => path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);

export const CERT_MANAGER = { mode: 'cert-manager', certmasterEmail: 'ops@example.com' } as const;
export const GATEWAY = { className: 'envoy' };

/** A config with wire-ingress (values file with the public hosts); `extra` overrides. */
export function wireIngressInput(extra: Partial<WireFederationInput> = {}): WireFederationInput {
  const base = baseInput();
  return {
    ...base,
    ingress: { ipv4: '203.0.113.10', chart: 'wire-ingress', gateway: GATEWAY },
    charts: { wireServer: { version: '5.32.0' }, wireIngress: { version: '5.32.0', valuesFiles: ['__tests__/fixtures/wire-ingress-values.yaml'] } },
    ...extra,
  };
}

/** The known (synth-time) values of a release, merged from its YAML documents. */
export function knownValues(json: Synth, path: string): any {
  const release = resourceAt(json, 'helm_release', path);
  return release.values
    .filter((v: string) => !v.startsWith('${'))
    .map((v: string) => parseYaml(v))
    .reduce((a: any, b: any) => ({ ...a, ...b }), {});
}

export interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: any;
  readonly [key: string]: any;
}

/** `helm template` of a chart archive with these values documents, in namespace wire. */
export function helmTemplate(helm: string, archive: string, release: string, valuesDocs: readonly string[]): Manifest[] {
  const dir = mkdtempSync(join(tmpdir(), 'wire-ingress-render-'));
  const args = ['template', release, archive, '--namespace', 'wire'];
  valuesDocs.forEach((doc, i) => {
    const file = join(dir, `values-${i}.yaml`);
    writeFileSync(file, doc);
    args.push('-f', file);
  });
  const out = execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null && typeof m === 'object' && typeof m.kind === 'string');
}

/** The one manifest of `kind` (whose name matches `name` when given). */
export function only(manifests: readonly Manifest[], kind: string, name?: RegExp): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || name.test(m.metadata.name)));
  if (found.length !== 1)
    throw new Error(
      `expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`,
    );
  return found[0];
}
