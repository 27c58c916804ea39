import type { WireFederationInput } from '../../lib/config';
import { WIRE_SERVER_SECRETS } from './secrets';

/**
 * `red` and `blue`: two backends that federate with each other. Each trusts the CA of the other,
 * read from the other environment's Terraform state output (`ca_certificate_pem`).
 */
export const red: WireFederationInput = {
  environment: 'red',
  // A new backend: nothing runs in its namespace yet (wire-federation preflight checks it before the first deploy).
  greenfield: true,
  backendDomain: 'red.wire.example.dev',
  federatorDomain: 'federator.red.wire.example.dev',
  ingress: { ipv4: '198.51.100.11' },
  // DNS in Amazon Route 53 (one hosted zone for both names; the id is a placeholder). AWS
  // credentials come from the environment (AWS_PROFILE or AWS_ACCESS_KEY_ID/…).
  dns: {
    provider: 'route53',
    backendZoneId: 'Z04RED00EXAMPLE0ZONE0ID',
  },
  kubernetes: { context: 'red', namespace: 'wire' },
  charts: {
    wireServer: { version: '5.34.0', valuesFiles: ['stacks/environments/values/red/wire-server.yaml'], sensitiveValues: [...WIRE_SERVER_SECRETS] },
    nginxIngressServices: { version: '5.34.0', valuesFiles: ['stacks/environments/values/red/nginx-ingress-services.yaml'] },
    coturn: { version: '0.0.43', valuesFiles: ['stacks/environments/values/red/coturn.yaml'] },
    sftd: { version: '0.0.43', valuesFiles: ['stacks/environments/values/red/sftd.yaml'] },
  },
  federation: { strategy: 'allowDynamic', useSystemCaStore: false },
  // Federated calls with blue: coturn federates over DTLS on 9191 with a certificate from the
  // same PKI as the federator; sftd runs with multiSFT; brig announces every SFT server.
  calling: {
    enabled: true,
    coturn: { host: 'coturn.red.wire.example.dev', publicIps: ['198.51.100.21'] },
    sftd: { publicIps: ['198.51.100.31'] },
  },
  // red's own teams: blue allows only users of red-ops to find blue's users (blue's
  // peers[].allowedTeams), and synth checks that blue names a team red declares.
  teams: [{ name: 'red-ops', id: '6f2a4b1c-9d3e-4f5a-8b7c-1d2e3f4a5b6c' }],
  peers: [
    {
      domain: 'blue.wire.example.dev',
      searchPolicy: 'full_search',
      caCertificates: [{ environment: 'blue' }],
      // blue's calling endpoints (its federation card carries them): its coturn host, public IPs
      // and the CA that issues its coturn certificate (blue's cert-manager CA issuer).
      calling: { coturnHost: 'coturn.blue.wire.example.dev', publicIps: ['198.51.100.22'], issuerCommonName: 'blue.wire.example.dev federation CA' },
    },
  ],
  pki: { mode: 'private-ca', extraSans: ['*.red.wire.example.dev'] },
};
