/**
 * Moving from nginx-ingress-services to wire-ingress without losing federation: each step is one
 * config change (docs/ingress-charts.md, "Migrating to wire-ingress"), and each step's plan does only what the
 * step says.
 */
import type { WireFederationInput } from '../../lib/config';
import { FEDERATOR_TLS_SECRET } from '../../lib/helm/values/wire-ingress';
import { lockFor, lockProblems } from '../../lib/guard/environment-lock';
import { PEER_CA_PEM, baseInput, parse, problemsOf, resourceAddresses, resourceAt, synthStack, Synth } from '../support/config';
import { describeWithCharts, realChartArchive } from '../support/test-tools';
import { CERT_MANAGER, GATEWAY, Manifest, get, helmTemplate, knownValues, only } from './support';

const OLD_IP = '203.0.113.10';
const NEW_IP = '203.0.113.99';
const NGINX = 'Federation/NginxIngressServices/Resource';
const INGRESS = 'Federation/WireIngress/Resource';
const WIRE = 'Federation/WireServer/Resource';
const NGINX_CHART = { version: '5.32.0', valuesFiles: ['__tests__/fixtures/nginx-ingress-services-values.yaml'] };
const WIRE_INGRESS_CHART = { version: '5.32.0', valuesFiles: ['__tests__/fixtures/wire-ingress-values.yaml'] };

type Step = 'before' | 'side-by-side' | 'records-moved' | 'old-removed' | 'done';
const STEPS: readonly Step[] = ['before', 'side-by-side', 'records-moved', 'old-removed', 'done'];

/** The config of each step: what the operator writes, one change at a time. */
function stepInput(step: Step, pki: WireFederationInput['pki']): WireFederationInput {
  const ipv4 = step === 'before' || step === 'side-by-side' ? OLD_IP : NEW_IP;
  if (step === 'before') return baseInput({ pki, ingress: { ipv4 }, charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: NGINX_CHART } });
  const migration = step === 'done' ? undefined : ({ from: 'nginx-ingress-services', phase: step === 'old-removed' ? 'old-removed' : 'side-by-side' } as const);
  return baseInput({
    pki,
    ingress: { ipv4, chart: 'wire-ingress', gateway: GATEWAY, ...(migration ? { migration } : {}) },
    charts: { wireServer: { version: '5.32.0' }, ...(step === 'done' ? {} : { nginxIngressServices: NGINX_CHART }), wireIngress: WIRE_INGRESS_CHART },
  });
}

const release = (json: Synth, path: string) => resourceAt(json, 'helm_release', path);
const withoutDependsOn = ({ depends_on: _ignored, ...rest }: Synth) => rest;
const aRecord = (json: Synth) => resourceAt(json, 'cloudflare_dns_record', 'Federation/Dns/A');
/** The JSON without the federator A record (to compare steps that only move the record). */
const withoutARecord = (json: Synth): Synth => {
  const copy = JSON.parse(JSON.stringify(json));
  for (const id of Object.keys(copy.resource.cloudflare_dns_record)) if (id.startsWith('Federation_Dns_A_')) delete copy.resource.cloudflare_dns_record[id];
  return copy;
};

describe.each([
  ['cert-manager', CERT_MANAGER],
  ['private-ca', { mode: 'private-ca' }],
] as const)('migration to wire-ingress with pki mode %s', (mode, pki) => {
  const json = new Map(STEPS.map((step) => [step, synthStack(stepInput(step, pki as never))]));
  const at = (step: Step) => json.get(step)!;

  test('every step is a valid config', () => {
    for (const step of STEPS) expect({ step, problems: problemsOf(stepInput(step, pki as never)) }).toEqual({ step, problems: [] });
  });

  test('step 1, side by side: wire-ingress is added, nothing is destroyed, nginx-ingress-services and the records are untouched', () => {
    const before = resourceAddresses(at('before'));
    const after = resourceAddresses(at('side-by-side'));
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.filter((a) => !before.includes(a)).map((a) => a.replace(/_[0-9A-F]{8}$/, ''))).toEqual(
      mode === 'cert-manager'
        ? ['helm_release.Federation_WireIngress']
        : ['helm_release.Federation_WireIngress', 'kubernetes_secret.Federation_FederatorTlsSecret'],
    );
    expect(release(at('side-by-side'), NGINX)).toEqual(release(at('before'), NGINX));
    expect(aRecord(at('side-by-side')).content).toBe(OLD_IP);
    expect(release(at('side-by-side'), INGRESS).depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^helm_release\.Federation_NginxIngressServices_/)]),
    );
  });

  test('step 1: wire-ingress makes no resource nginx-ingress-services has (no Certificate, no Service of the same name)', () => {
    const values = knownValues(at('side-by-side'), INGRESS);
    for (const host of ['webapp', 'teamSettings', 'accountPages']) expect(get(values, `${host}.enabled`)).toBe(false);
    if (mode === 'cert-manager') {
      // it serves the secrets nginx-ingress-services' Certificates write
      expect(get(values, 'federator.tls')).toEqual({ useCertManager: false, secretName: 'federator-certificate-secret' });
      expect(get(values, 'tls')).toEqual({
        useCertManager: false,
        secret: { create: false, nameOverride: 'nginx-ingress-services-nginx-ingress-services-managed-tls-certificate' },
      });
      expect(get(values, 'certManager')).toBeUndefined();
    } else {
      expect(get(values, 'tls')).toEqual({ useCertManager: false, secret: { create: false, nameOverride: FEDERATOR_TLS_SECRET } });
      expect(get(values, 'federator.tls')).toEqual({ useCertManager: false, secretName: FEDERATOR_TLS_SECRET });
      // the federator no longer needs nginx-ingress-services' federator-certificate-secret
      expect(get(knownValues(at('side-by-side'), WIRE), 'federator.tls.useSharedFederatorSecret')).toBe(false);
    }
  });

  test('step 2, records moved: only the A record changes', () => {
    expect(aRecord(at('records-moved')).content).toBe(NEW_IP);
    expect(withoutARecord(at('records-moved'))).toEqual(withoutARecord(at('side-by-side')));
  });

  test('step 3, old release removed: only nginx-ingress-services goes; wire-ingress and wire-server keep their values', () => {
    const removed = resourceAddresses(at('records-moved')).filter((a) => !resourceAddresses(at('old-removed')).includes(a));
    expect(removed.map((a) => a.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['helm_release.Federation_NginxIngressServices']);
    expect(resourceAddresses(at('old-removed'))).toEqual(resourceAddresses(at('records-moved')).filter((a) => !removed.includes(a)));
    for (const path of [INGRESS, WIRE])
      expect(withoutDependsOn(release(at('old-removed'), path))).toEqual(withoutDependsOn(release(at('records-moved'), path)));
  });

  test('step 4, done: no resource added or removed; wire-server unchanged', () => {
    expect(resourceAddresses(at('done'))).toEqual(resourceAddresses(at('old-removed')));
    expect(release(at('done'), WIRE)).toEqual(release(at('old-removed'), WIRE));
    if (mode === 'cert-manager') {
      // wire-ingress takes over the Certificates, now that nginx-ingress-services' are gone
      expect(get(knownValues(at('done'), INGRESS), 'federator.tls')).toMatchObject({
        useCertManager: true,
        secretName: 'federator-certificate-secret',
        issuer: { name: 'wire-federation-ca' },
      });
      expect(get(knownValues(at('done'), INGRESS), 'tls.useCertManager')).toBe(true);
    }
    // the public hosts whose Services both charts render come back
    for (const host of ['webapp', 'teamSettings', 'accountPages']) expect(get(knownValues(at('done'), INGRESS), host)).toBeUndefined();
    const changed = resourceAddresses(at('done')).filter(
      (a) =>
        JSON.stringify(at('done').resource[a.split('.')[0]][a.split('.')[1]]) !== JSON.stringify(at('old-removed').resource[a.split('.')[0]][a.split('.')[1]]),
    );
    expect(changed.map((a) => a.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['helm_release.Federation_WireIngress']);
  });

  test('the trust bundle and the federator certificate never change', () => {
    const bundle = (j: Synth) => /"remoteCAContents" = [^}]*/.exec(release(j, WIRE).values[1])?.[0];
    for (const step of STEPS.slice(1)) expect(bundle(at(step))).toBe(bundle(at('before')));
    if (mode === 'private-ca') {
      for (const step of STEPS)
        expect(Object.keys(at(step).resource.tls_locally_signed_cert)).toEqual(Object.keys(at('before').resource.tls_locally_signed_cert));
    }
    expect(bundle(at('before'))).toMatch(/^"remoteCAContents" = format/);
    expect(PEER_CA_PEM).toContain('BEGIN CERTIFICATE');
  });
});

describe('migration config problems', () => {
  test('side by side needs the old release settings', () => {
    const input = stepInput('side-by-side', CERT_MANAGER);
    const charts = { ...input.charts } as Record<string, unknown>;
    delete charts.nginxIngressServices;
    expect(problemsOf({ ...input, charts })).toEqual([
      { path: 'charts.nginxIngressServices', message: expect.stringMatching(/^is required: a map of settings while ingress.migration.phase is side-by-side/) },
    ]);
  });

  test('old-removed lets the old release settings go', () => {
    const input = stepInput('old-removed', CERT_MANAGER);
    const charts = { ...input.charts } as Record<string, unknown>;
    delete charts.nginxIngressServices;
    expect(problemsOf({ ...input, charts })).toEqual([]);
    expect(Object.keys(synthStack({ ...input, charts } as never).resource.helm_release).filter((id) => /Nginx/.test(id))).toEqual([]);
  });

  test('an unknown phase names the two phases', () => {
    const input = stepInput('side-by-side', CERT_MANAGER);
    expect(problemsOf({ ...input, ingress: { ...input.ingress, migration: { from: 'nginx-ingress-services', phase: 'cutover' } } })).toEqual([
      { path: 'ingress.migration.phase', message: expect.stringMatching(/^must be side-by-side or old-removed; received "cutover"/) },
    ]);
  });
});

/** Render both releases of the side-by-side step with the real charts: Helm refuses a resource two releases both own. */
describeWithCharts('side by side, rendered by the real charts', (helm) => {
  // Values that are only known at apply time (the trust bundle) or sensitive stand in as literals.
  const APPLY_TIME = `secrets:\n  tlsClientCA: |\n${PEER_CA_PEM.trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n  tlsWildcardKey: stand-in\n`;
  const renderRelease = (json: Synth, path: string, chart: string, extra: string[] = []): Manifest[] => {
    const r = release(json, path);
    return helmTemplate(helm, realChartArchive(chart)!, r.name, [...(r.values as string[]).filter((v) => !v.startsWith('${')), ...extra]);
  };

  test.each([
    ['cert-manager', CERT_MANAGER],
    ['private-ca', { mode: 'private-ca' }],
  ] as const)('%s: no resource of the same kind and name in both releases; wire-ingress serves what nginx-ingress-services makes', (mode, pki) => {
    const json = synthStack(stepInput('side-by-side', pki));
    const nginx = renderRelease(json, NGINX, 'nginx-ingress-services', [
      APPLY_TIME,
      ...(mode === 'private-ca' ? ['secrets:\n  tlsWildcardCert: stand-in\n'] : []),
    ]);
    const wireIngress = renderRelease(json, INGRESS, 'wire-ingress');
    const names = (ms: Manifest[]) => new Set(ms.map((m) => `${m.kind}/${m.metadata.name}`));
    const shared = [...names(nginx)].filter((n) => names(wireIngress).has(n));
    expect(shared).toEqual([]);
    expect(wireIngress.filter((m) => ['Certificate', 'Issuer', 'ClusterIssuer'].includes(m.kind))).toEqual([]);

    const listeners = only(wireIngress, 'Gateway').spec.listeners as any[];
    const served = (name: string) => listeners.find((l) => l.name === name).tls.certificateRefs[0].name;
    if (mode === 'cert-manager') {
      // the secrets wire-ingress serves are the ones nginx-ingress-services' Certificates write
      const certificates = nginx
        .filter((m) => m.kind === 'Certificate')
        .map((m) => m.spec.secretName)
        .sort();
      expect(certificates).toEqual([served('federator'), served('https')].sort());
    } else {
      expect(served('federator')).toBe(FEDERATOR_TLS_SECRET);
      expect(nginx.some((m) => m.kind === 'Secret' && m.metadata.name === FEDERATOR_TLS_SECRET)).toBe(false);
    }
  });
});

describe('the lock keeps an environment from skipping the migration', () => {
  const config = (step: Step) => parse(stepInput(step, CERT_MANAGER));
  const locked = (step: Step) => lockFor(config(step));

  test('noncompliant: a locked nginx-ingress-services environment switched straight to wire-ingress', () => {
    expect(lockProblems(config('done'), locked('before'), { lockFile: 'locks/test.json' })).toEqual([
      {
        path: 'ingress.chart',
        rule: 'locked-ingress-chart',
        message: expect.stringMatching(
          /^is wire-ingress, but environment test is locked to nginx-ingress-services \(locks\/test.json\)\. Switching in one step destroys .*federation stops\. Add ingress.migration: \{from: nginx-ingress-services, phase: side-by-side\}/,
        ),
      },
    ]);
    // a lock from before wire-ingress existed has no ingressChart: it means nginx-ingress-services
    const { ingressChart: _none, ...old } = locked('before');
    expect(lockProblems(config('done'), old).map((p) => p.rule)).toEqual(['locked-ingress-chart']);
  });

  test('compliant: every step of the migration against the lock of the step before, relocked after old-removed', () => {
    expect(locked('before').ingressChart).toBeUndefined(); // the default is not written: existing locks stay as they are
    expect(locked('side-by-side').ingressChart).toBeUndefined(); // nginx-ingress-services still serves
    expect(locked('old-removed').ingressChart).toBe('wire-ingress');
    for (const step of ['side-by-side', 'records-moved', 'old-removed'] as const) expect(lockProblems(config(step), locked('before'))).toEqual([]);
    expect(lockProblems(config('done'), locked('old-removed'))).toEqual([]);
  });
});
