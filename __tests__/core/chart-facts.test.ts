/**
 * The chart-facts table, one test per version rule, and the config pipeline refusing the
 * releases to skip (validate and synth give the same answer: both run the one pipeline).
 */
import {
  BACKEND_DOMAIN_PLACES,
  backendDomainPlaces,
  compareVersions,
  describeRange,
  featureMinimum,
  hasFeature,
  ignoredValuePaths,
  isOciRepository,
  knownBadRelease,
  ociChartReference,
  valuesNotReadIn,
  wireIngressLayout,
} from '../../lib/core/chart-facts';
import { FederationConfigError } from '../../lib/config/errors';
import { nginxIngressServicesValues } from '../../lib/helm/values/nginx-ingress-services';
import { wireServerValues } from '../../lib/helm/values/wire-server';
import { baseInput, parse } from '../support/config';

describe('versions', () => {
  test('compareVersions orders x.y.z numerically and ignores pre-release labels', () => {
    expect(compareVersions('5.9.0', '5.10.0')).toBeLessThan(0);
    expect(compareVersions('5.30.0-develop.20260411', '5.30.0')).toBe(0);
    expect(compareVersions('5.34.1', '5.34.0')).toBeGreaterThan(0);
  });
  test('ranges in words', () => {
    expect(describeRange({ from: '5.26.0', before: '5.27.0' })).toBe('5.26.x');
    expect(describeRange({ from: '5.24.0', before: '5.30.0' })).toBe('5.24.0 – 5.29.x');
    expect(describeRange({ from: '5.35.0' })).toBe('5.35.0 and later');
  });
});

describe('releases to skip', () => {
  test.each([
    ['5.26.0', '5.27.0'],
    ['5.26.3', '5.27.0'],
    ['5.29.0', '5.30.0'],
    ['5.29.1', '5.30.0'],
    ['5.31.0', '5.32.0'],
  ])('%s is refused, use %s', (version, instead) => {
    expect(knownBadRelease('wire-server', version)?.useInstead).toBe(instead);
    expect(knownBadRelease('nginx-ingress-services', version)?.useInstead).toBe(instead);
  });
  test.each(['5.25.0', '5.27.0', '5.28.0', '5.30.0', '5.32.0', '5.34.0', '5.36.0'])('%s is fine', (version) => {
    expect(knownBadRelease('wire-server', version)).toBeUndefined();
  });
  test('5.26.x is bad only for federated backends', () => {
    expect(knownBadRelease('wire-server', '5.26.0', false)).toBeUndefined();
    expect(knownBadRelease('wire-server', '5.29.0', false)?.useInstead).toBe('5.30.0');
  });
});

describe('features by version', () => {
  test('federator.tls.issuer: the first release a federated backend may run is 5.27.0 (added in 5.26.0, a release to skip)', () => {
    expect(featureMinimum('federatorIssuer')).toBe('5.27.0');
    expect(hasFeature('federatorIssuer', '5.26.0')).toBe(false);
    expect(hasFeature('federatorIssuer', '5.27.0')).toBe(true);
    expect(valuesNotReadIn('nginx-ingress-services', '5.26.0')).not.toContain('federator.tls.issuer.name'); // read there, but refused
    expect(valuesNotReadIn('nginx-ingress-services', '5.25.0')).toContain('federator.tls.issuer.name');
  });
  test('federator certificate duration/renewBefore/issuer.group from 5.28.0', () => {
    expect(hasFeature('federatorTlsSettings', '5.27.0')).toBe(false);
    expect(hasFeature('federatorTlsSettings', '5.28.0')).toBe(true);
    expect(valuesNotReadIn('nginx-ingress-services', '5.27.0')).toEqual(['federator.tls.duration', 'federator.tls.renewBefore', 'federator.tls.issuer.group']);
  });
  test('background-worker.config.federationDomain is read 5.24.0 – 5.29.x only', () => {
    expect(hasFeature('backgroundWorkerDomain', '5.23.0')).toBe(false);
    expect(hasFeature('backgroundWorkerDomain', '5.24.0')).toBe(true);
    expect(hasFeature('backgroundWorkerDomain', '5.29.9')).toBe(true);
    expect(hasFeature('backgroundWorkerDomain', '5.30.0')).toBe(false);
    expect(backendDomainPlaces('5.28.0').map((p) => p.service)).toEqual(['brig', 'galley', 'cargohold', 'background-worker']);
    expect(backendDomainPlaces('5.34.0').map((p) => p.service)).toEqual(['brig', 'galley', 'cargohold']);
    expect(backendDomainPlaces(undefined)).toEqual(BACKEND_DOMAIN_PLACES);
    expect(valuesNotReadIn('wire-server', '5.34.0')).toEqual(['background-worker.config.federationDomain']);
  });
  test('wire-ingress exists from 5.32.0; the ListenerSet layout from 5.35.0', () => {
    expect(hasFeature('wireIngress', '5.30.0')).toBe(false);
    expect(hasFeature('wireIngress', '5.32.0')).toBe(true);
    expect(wireIngressLayout('5.32.0')).toBe('gateway-listener');
    expect(wireIngressLayout('5.34.0')).toBe('gateway-listener');
    expect(wireIngressLayout('5.35.0')).toBe('listener-set');
    expect(wireIngressLayout('5.36.0')).toBe('listener-set');
    expect(valuesNotReadIn('wire-ingress', '5.34.0')).toEqual(['gateway.listeners.federator.sectionName']);
    expect(valuesNotReadIn('wire-ingress', '5.36.0')).toEqual([]);
  });
  test('the wildcard certificate and key are ignored under cert-manager', () => {
    const values: Record<string, unknown> = { 'tls.useCertManager': true, 'secrets.tlsWildcardCert': 'C', 'secrets.tlsWildcardKey': 'K' };
    expect(ignoredValuePaths('nginx-ingress-services', (p) => values[p]).map((x) => x.path)).toEqual(['secrets.tlsWildcardCert', 'secrets.tlsWildcardKey']);
    expect(ignoredValuePaths('nginx-ingress-services', (p) => ({ ...values, 'tls.useCertManager': false })[p])).toEqual([]);
  });
  test('OCI repositories', () => {
    expect(isOciRepository('oci://quay.io/wire/charts/stable')).toBe(true);
    expect(isOciRepository('https://s3-eu-west-1.amazonaws.com/public.wire.com/charts')).toBe(false);
    expect(ociChartReference('oci://quay.io/wire/charts/stable/', 'wire-server')).toBe('oci://quay.io/wire/charts/stable/wire-server');
  });
});

describe('the values builders ask the table', () => {
  const rabbit = { trustBundle: '', rabbitmqUsername: 'U', rabbitmqPassword: 'P' };
  test("wire-server: background-worker's domain only for the versions that read it", () => {
    const at = (version: string) =>
      wireServerValues({ config: parse(baseInput({ charts: { wireServer: { version }, nginxIngressServices: { version } } })), ...rabbit }).values as any;
    expect(at('5.28.0')['background-worker'].config).toEqual({ enableFederation: true, federationDomain: 'example.com' });
    expect(at('5.34.0')['background-worker'].config).toEqual({ enableFederation: true });
  });
  test('nginx-ingress-services: certificate lifetime only from 5.28.0', () => {
    const cert = {
      kind: 'cert-manager' as const,
      issuerName: 'ca',
      certmasterEmail: 'a@b.c',
      inTestMode: false,
      duration: '2160h',
      renewBefore: '360h',
      rotationPolicy: 'Always' as const,
    };
    const at = (chartVersion: string) =>
      (nginxIngressServicesValues({ config: parse(baseInput()), certificate: cert, trustBundle: '', chartVersion }).values as any).federator.tls;
    expect(at('5.27.0').duration).toBeUndefined();
    expect(at('5.28.0').duration).toBe('2160h');
  });
});

describe('the config refuses releases to skip', () => {
  const problems = (charts: object, extra: object = {}) => {
    try {
      parse({ ...baseInput(), charts, ...extra });
      return [];
    } catch (e) {
      if (!(e instanceof FederationConfigError)) throw e;
      return e.problems;
    }
  };
  test('a federated config on 5.26.x is refused and names 5.27.0', () => {
    const p = problems({ wireServer: { version: '5.26.0' }, nginxIngressServices: { version: '5.26.1' } });
    expect(p.map((x) => [x.path, x.rule])).toEqual([
      ['charts.wireServer.version', 'chart-known-bad'],
      ['charts.nginxIngressServices.version', 'chart-known-bad'],
    ]);
    expect(p[0].message).toContain('Pin 5.27.0');
    expect(p[0].message).toContain('in federated environments');
  });
  test.each([
    ['5.29.0', '5.30.0'],
    ['5.31.0', '5.32.0'],
  ])('%s is refused with %s', (version, instead) => {
    const p = problems({ wireServer: { version }, nginxIngressServices: { version: '5.34.0' } });
    expect(p).toEqual([
      expect.objectContaining({ path: 'charts.wireServer.version', rule: 'chart-known-bad', message: expect.stringContaining(`Pin ${instead}`) }),
    ]);
  });
  test('cert-manager mode needs nginx-ingress-services 5.27.0 (5.26.x is refused as a release to skip, once)', () => {
    const pki = { pki: { mode: 'cert-manager', certmasterEmail: 'ops@example.com' } };
    expect(problems({ wireServer: { version: '5.34.0' }, nginxIngressServices: { version: '5.25.0' } }, pki)).toEqual([
      expect.objectContaining({ path: 'charts.nginxIngressServices.version', rule: 'chart-version', message: expect.stringContaining('>= 5.27.0') }),
    ]);
    expect(problems({ wireServer: { version: '5.34.0' }, nginxIngressServices: { version: '5.26.0' } }, pki).map((x) => x.rule)).toEqual(['chart-known-bad']);
    expect(problems({ wireServer: { version: '5.34.0' }, nginxIngressServices: { version: '5.27.0' } }, pki)).toEqual([]);
  });
  test('5.34.0 and 5.36.0 are fine', () => {
    expect(problems({ wireServer: { version: '5.34.0' }, nginxIngressServices: { version: '5.36.0' } })).toEqual([]);
  });
});
