import type { WireFederationInput } from '../../lib/config';
import { WIRE_SERVER_SECRETS } from './secrets';

/**
 * Production: cert-manager (Let's Encrypt for the public hosts, a private CA issuer for the
 * federator certificate; cert-manager installed by this stack), backend domain and
 * infrastructure domain in different Cloudflare zones, IPv4 and IPv6 ingress, state in S3,
 * continuous verification (the federation exporter, its ServiceMonitor and alert rules for a
 * kube-prometheus-stack Prometheus).
 * Zone ids and the bucket are placeholders.
 */
export const production: WireFederationInput = {
  environment: 'production',
  // A new backend: nothing runs in its namespace yet (wire-federation preflight checks it before the first deploy).
  greenfield: true,
  backendDomain: 'example.com',
  federatorDomain: 'federator.wire.example.org',
  ingress: { ipv4: '203.0.113.10', ipv6: '2001:db8::10' },
  dns: {
    backendZoneId: '00000000000000000000000000000002',
    infrastructureZoneId: '00000000000000000000000000000003',
    ttl: 3600,
  },
  kubernetes: { context: 'production', namespace: 'wire' },
  charts: {
    wireServer: { version: '5.34.0', valuesFiles: ['stacks/environments/values/production/wire-server.yaml'], sensitiveValues: [...WIRE_SERVER_SECRETS] },
    nginxIngressServices: {
      version: '5.34.0',
      valuesFiles: ['stacks/environments/values/production/nginx-ingress-services.yaml'],
    },
  },
  federation: { strategy: 'allowDynamic', protocols: ['mls'], useSystemCaStore: true },
  peers: [
    {
      domain: 'partner.example.net',
      searchPolicy: 'full_search',
      caCertificates: [{ file: 'stacks/environments/peers/partner-example-net-ca.pem' }],
    },
    {
      domain: 'wire.acme.test',
      searchPolicy: 'no_search',
      caCertificates: [{ file: 'stacks/environments/peers/wire-acme-test-ca.pem' }],
    },
  ],
  pki: {
    mode: 'cert-manager',
    organization: 'Example Org',
    certmasterEmail: 'ops@example.com',
    installCertManagerVersion: 'v1.19.1',
  },
  monitoring: {
    enabled: true,
    serviceMonitor: { labels: { release: 'kube-prometheus-stack' } },
    prometheusRule: { labels: { release: 'kube-prometheus-stack' } },
  },
  backend: {
    type: 's3',
    bucket: 'example-terraform-state',
    key: 'wire-federation/production.tfstate',
    region: 'eu-west-1',
  },
};
