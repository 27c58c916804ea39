import type { WireFederationInput } from '../../lib/config';
import { WIRE_SERVER_SECRETS } from './secrets';

/**
 * Staging: the operator brings the federator certificate (`pki.mode: provided`, see
 * certs/staging/README.md); federates with one partner backend whose CA certificate is committed.
 * The ingress is wire-ingress (Gateway API): this stack installs Envoy Gateway and its
 * GatewayClass first, and creates the federator TLS secret from the provided certificate.
 * Zone ids are placeholders: replace them with the ids of your Cloudflare zones.
 */
export const staging: WireFederationInput = {
  environment: 'staging',
  // A new backend: nothing runs in its namespace yet (wire-federation preflight checks it before the first deploy).
  greenfield: true,
  backendDomain: 'staging.wire.example.com',
  federatorDomain: 'federator.staging.wire.example.com',
  ingress: {
    ipv4: '203.0.113.20',
    chart: 'wire-ingress',
    gateway: { className: 'envoy', installEnvoyGatewayVersion: 'v1.7.0', createGatewayClass: true },
  },
  dns: {
    backendZoneId: '00000000000000000000000000000001',
    infrastructureZoneId: '00000000000000000000000000000001',
  },
  kubernetes: { context: 'staging', namespace: 'wire' },
  charts: {
    wireServer: { version: '5.34.0', valuesFiles: ['stacks/environments/values/staging/wire-server.yaml'], sensitiveValues: [...WIRE_SERVER_SECRETS] },
    wireIngress: {
      version: '5.34.0',
      valuesFiles: ['stacks/environments/values/staging/wire-ingress.yaml'],
    },
  },
  federation: { strategy: 'allowDynamic' },
  peers: [
    {
      domain: 'wire.acme.test',
      searchPolicy: 'exact_handle_search',
      caCertificates: [{ file: 'stacks/environments/peers/wire-acme-test-ca.pem' }],
    },
  ],
  pki: {
    mode: 'provided',
    certificateFile: 'stacks/environments/certs/staging/federator-chain.pem',
    caFile: 'stacks/environments/certs/staging/ca.pem',
  },
};
