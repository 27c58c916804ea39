import { nginxIngressServicesValues } from '../lib/helm/values/nginx-ingress-services';
import { findConflicts, mergeValues, sortKeys } from '../lib/core/values';
import { splitApplyTime } from '../lib/helm/values/split';
import { RABBITMQ_SERVICES, wireServerValues } from '../lib/helm/values/wire-server';
import { baseInput, parse } from './support/config';

const get = (obj: any, path: string) => path.split('.').reduce((o, k) => (o === undefined ? undefined : o[k]), obj);

describe('wireServerValues', () => {
  const config = parse(
    baseInput({
      federation: { strategy: 'allowAll', protocols: ['mls'], useSystemCaStore: false },
      peers: [
        { domain: 'z.example', searchPolicy: 'full_search' },
        { domain: 'a.example', searchPolicy: 'exact_handle_search' },
      ],
    }),
  );
  const { values, sensitive } = wireServerValues({ config, trustBundle: 'BUNDLE', rabbitmqUsername: 'U', rabbitmqPassword: 'P' });

  test.each(['brig.config.optSettings.setFederationDomain', 'galley.config.settings.federationDomain', 'cargohold.config.settings.federationDomain'])(
    'backend domain at %s',
    (path) => {
      expect(get(values, path)).toBe('example.com');
    },
  );

  test("background-worker reads galley's domain from 5.30.0 (chart facts): no copy of its own for 5.32.0", () => {
    expect(get(values, 'background-worker.config.federationDomain')).toBeUndefined();
  });

  test.each([
    'tags.federation',
    'brig.config.enableFederation',
    'galley.config.enableFederation',
    'cargohold.config.enableFederation',
    'background-worker.config.enableFederation',
  ])('federation switched on at %s', (path) => {
    expect(get(values, path)).toBe(true);
  });

  test('strategy, protocols, remote list sorted by domain', () => {
    expect(get(values, 'brig.config.optSettings.setFederationStrategy')).toBe('allowAll');
    expect(get(values, 'galley.config.settings.federationProtocols')).toEqual(['mls']);
    expect(get(values, 'brig.config.optSettings.setFederationDomainConfigs')).toEqual([
      { domain: 'a.example', search_policy: 'exact_handle_search' },
      { domain: 'z.example', search_policy: 'full_search' },
    ]);
  });

  test('federator: shared certificate, trust bundle, system store flag; no removed allow list', () => {
    expect(get(values, 'federator.tls.useSharedFederatorSecret')).toBe(true);
    expect(get(values, 'federator.remoteCAContents')).toBe('BUNDLE');
    expect(get(values, 'federator.config.optSettings.useSystemCAStore')).toBe(false);
    expect(get(values, 'federator.config.optSettings.federationStrategy')).toBeUndefined();
    expect(get(values, 'tags.federator')).toBeUndefined();
  });

  test('no protocols key when none configured; no remoteCAContents for an empty bundle', () => {
    const v = wireServerValues({ config: parse(baseInput()), trustBundle: '', rabbitmqUsername: 'U', rabbitmqPassword: 'P' }).values;
    expect(get(v, 'galley.config.settings.federationProtocols')).toBeUndefined();
    expect(get(v, 'federator.remoteCAContents')).toBeUndefined();
  });

  test('RabbitMQ credentials only as sensitive entries, for every service that needs them', () => {
    expect(JSON.stringify(values)).not.toMatch(/"U"|"P"|rabbitmq/);
    expect(sensitive).toHaveLength(RABBITMQ_SERVICES.length * 2);
    for (const svc of ['brig', 'galley', 'cannon', 'gundeck', 'background-worker']) {
      expect(sensitive).toContainEqual({ path: `${svc}.secrets.rabbitmq.username`, value: 'U' });
      expect(sensitive).toContainEqual({ path: `${svc}.secrets.rabbitmq.password`, value: 'P' });
    }
  });
});

describe('nginxIngressServicesValues', () => {
  const config = parse(baseInput({ federation: { verifyDepth: 3 } }));
  const { values, sensitive } = nginxIngressServicesValues({
    config,
    certificate: { kind: 'secret', certificatePem: 'CERT', privateKeyPem: 'KEY' },
    trustBundle: 'BUNDLE',
  });

  test('federator ingress with mutual TLS and the one trust bundle', () => {
    expect(get(values, 'federator.enabled')).toBe(true);
    expect(get(values, 'tls.enabled')).toBe(true);
    expect(get(values, 'tls.useCertManager')).toBe(false);
    expect(get(values, 'tls.verify_depth')).toBe(3);
    expect(get(values, 'config.dns.federator')).toBe('federator.wire.example.org');
    expect(get(values, 'secrets.tlsWildcardCert')).toBe('CERT');
    expect(get(values, 'secrets.tlsClientCA')).toBe('BUNDLE');
  });

  test('the private key only as a sensitive entry', () => {
    expect(JSON.stringify(values)).not.toContain('KEY"');
    expect(sensitive).toEqual([{ path: 'secrets.tlsWildcardKey', value: 'KEY' }]);
  });
});

describe('nginxIngressServicesValues with cert-manager', () => {
  const { values, sensitive } = nginxIngressServicesValues({
    config: parse(baseInput()),
    certificate: {
      kind: 'cert-manager',
      issuerName: 'wire-federation-ca',
      certmasterEmail: 'ops@example.com',
      inTestMode: false,
      duration: '720h',
      renewBefore: '240h',
      rotationPolicy: 'Never',
    },
    trustBundle: 'BUNDLE',
  });

  test('public hosts through the chart issuer; the federator certificate from the private CA issuer', () => {
    expect(get(values, 'tls.useCertManager')).toBe(true);
    expect(get(values, 'certManager')).toEqual({ certmasterEmail: 'ops@example.com', inTestMode: false });
    expect(get(values, 'federator.tls')).toEqual({
      issuer: { name: 'wire-federation-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      duration: '720h',
      renewBefore: '240h',
      privateKey: { rotationPolicy: 'Never' },
    });
    expect(get(values, 'federator.enabled')).toBe(true);
  });

  test('charts before 5.28.0 get no federator.tls.{duration,renewBefore,issuer.group}: they would be ignored', () => {
    const old = nginxIngressServicesValues({
      config: parse(baseInput()),
      certificate: {
        kind: 'cert-manager',
        issuerName: 'wire-federation-ca',
        certmasterEmail: 'ops@example.com',
        inTestMode: false,
        duration: '2160h',
        renewBefore: '360h',
        rotationPolicy: 'Always',
      },
      trustBundle: 'BUNDLE',
      chartVersion: '5.27.3',
    });
    expect(get(old.values, 'federator.tls')).toEqual({
      issuer: { name: 'wire-federation-ca', kind: 'ClusterIssuer' },
      privateKey: { rotationPolicy: 'Always' },
    });
  });

  test('the client CA bundle is still required; no wildcard certificate or key', () => {
    expect(get(values, 'secrets')).toEqual({ tlsClientCA: 'BUNDLE' });
    expect(sensitive).toEqual([]);
  });
});

describe('merge helpers', () => {
  test('mergeValues merges maps deeply and replaces lists and scalars', () => {
    expect(mergeValues({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 1, e: 2 });
  });

  test('findConflicts lists paths set on both sides with different content', () => {
    expect(findConflicts({ a: { b: 1, c: 2 }, x: 'same' }, { a: { b: 2, d: 3 }, x: 'same', y: 1 })).toEqual([
      { path: 'a.b', operatorValue: 1, federationValue: 2 },
    ]);
    expect(findConflicts({ a: 'scalar' }, { a: { b: 1 } })).toEqual([{ path: 'a', operatorValue: 'scalar', federationValue: { b: 1 } }]);
  });

  test('sortKeys sorts maps recursively, keeps list order', () => {
    expect(JSON.stringify(sortKeys({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 1 } }))).toBe('{"a":{"c":1,"d":[{"x":2,"y":1}]},"b":1}');
  });

  test('splitApplyTime separates apply-time leaves and keeps the rest', () => {
    const isToken = (v: unknown) => typeof v === 'string' && v.startsWith('${');
    expect(splitApplyTime({ a: { b: '${x}', c: 1 }, d: [1], e: '${y}' }, isToken)).toEqual({
      known: { a: { c: 1 }, d: [1] },
      applyTime: { a: { b: '${x}' }, e: '${y}' },
    });
  });
});
