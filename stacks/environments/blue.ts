import type { WireFederationInput } from '../../lib/config';
import { WIRE_SERVER_SECRETS } from './secrets';

/**
 * `red` and `blue`: two backends that federate with each other. Each trusts the CA of the other,
 * read from the other environment's Terraform state output (`ca_certificate_pem`).
 */
export const blue: WireFederationInput = {
  environment: 'blue',
  // A new backend: nothing runs in its namespace yet (wire-federation preflight checks it before the first deploy).
  greenfield: true,
  backendDomain: 'blue.wire.example.dev',
  federatorDomain: 'federator.blue.wire.example.dev',
  ingress: { ipv4: '198.51.100.12' },
  // Self-hosted DNS (BIND, PowerDNS, Knot) updated through RFC 2136, signed with a TSIG key whose
  // secret comes from TF_VAR_dns_update_key_secret or DNS_UPDATE_KEYSECRET.
  dns: {
    provider: 'rfc2136',
    server: 'ns1.example.dev',
    backendZone: 'blue.wire.example.dev',
    keyName: 'blue-federation-update',
    keyAlgorithm: 'hmac-sha256',
  },
  kubernetes: { context: 'blue', namespace: 'wire' },
  charts: {
    wireServer: { version: '5.34.0', valuesFiles: ['stacks/environments/values/blue/wire-server.yaml'], sensitiveValues: [...WIRE_SERVER_SECRETS] },
    nginxIngressServices: { version: '5.34.0', valuesFiles: ['stacks/environments/values/blue/nginx-ingress-services.yaml'] },
    coturn: { version: '0.0.43', valuesFiles: ['stacks/environments/values/blue/coturn.yaml'] },
    sftd: { version: '0.0.43', valuesFiles: ['stacks/environments/values/blue/sftd.yaml'] },
  },
  federation: { strategy: 'allowDynamic', useSystemCaStore: false },
  // Federated calls with red: coturn federates over DTLS on 9191 with a certificate from the
  // same PKI as the federator; sftd runs with multiSFT; brig announces every SFT server.
  calling: {
    enabled: true,
    coturn: { host: 'coturn.blue.wire.example.dev', publicIps: ['198.51.100.22'] },
    sftd: { publicIps: ['198.51.100.32'] },
  },
  peers: [
    {
      domain: 'red.wire.example.dev',
      searchPolicy: 'full_search',
      caCertificates: [{ environment: 'red' }],
      // Teams OF RED whose users may find ours: only members of red's team "red-ops" (declared
      // in red's teams) can find blue's users and send them connection requests (brig
      // restrict_by_team; needs remotes.mode api).
      allowedTeams: ['6f2a4b1c-9d3e-4f5a-8b7c-1d2e3f4a5b6c'],
      // red's calling endpoints: its coturn host, public IPs and the CA that issues its coturn
      // certificate (red's private CA).
      calling: { coturnHost: 'coturn.red.wire.example.dev', publicIps: ['198.51.100.21'], issuerCommonName: 'red.wire.example.dev federation CA' },
    },
  ],
  // brig's remotes are written through its internal API by a Job on every change.
  remotes: { mode: 'api' },
  // blue runs cert-manager, red the plain private CA: each trusts the CA the other publishes.
  pki: { mode: 'cert-manager', certmasterEmail: 'ops@example.dev', inTestMode: true },
};
