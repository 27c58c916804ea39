import type { WireFederationInput } from '../../lib/config';

/**
 * An ADOPTED backend: `chat.example.net` ran for years without federation (installed with helm,
 * one public wildcard certificate without client usage). `wire-federation adopt onprem` read
 * its running releases and wrote `adopted/onprem.json` (what the first deploy imports: both
 * releases and the existing SRV and A records), the running values without secrets
 * (`adopted/onprem/*.yaml`) and the lock. Its recorded values come from the fixture
 * `__tests__/fixtures/adopt/onprem/`; a test re-runs adopt on it and expects these files.
 * cert-manager mode replaces the wildcard certificate: Let's Encrypt for the public hosts, the
 * private CA for the federator.
 */
export const onprem: WireFederationInput = {
  environment: 'onprem',
  backendDomain: 'chat.example.net',
  federatorDomain: 'federator.chat.example.net',
  ingress: { ipv4: '198.51.100.20' },
  dns: {
    backendZoneId: '00000000000000000000000000000007',
    infrastructureZoneId: '00000000000000000000000000000007',
  },
  kubernetes: { context: 'onprem', namespace: 'wire' },
  charts: {
    wireServer: { version: '5.34.0', valuesFiles: ['stacks/environments/values/onprem/wire-server.yaml'] },
    nginxIngressServices: { version: '5.34.0' },
  },
  federation: { strategy: 'allowDynamic' },
  peers: [
    {
      domain: 'partner.example.net',
      searchPolicy: 'exact_handle_search',
      caCertificates: [{ file: 'stacks/environments/peers/partner-example-net-ca.pem' }],
    },
  ],
  pki: { mode: 'cert-manager', certmasterEmail: 'ops@chat.example.net' },
  adoptionFile: 'stacks/environments/adopted/onprem.json',
};
