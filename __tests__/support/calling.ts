import type { WireFederationInput } from '../../lib/config';
import { PEER_CA_PEM, baseInput } from './config';

/** A config with calling on and one peer with its endpoints. */
export function callingInput(overrides: Partial<WireFederationInput> = {}): WireFederationInput {
  return baseInput({
    charts: { wireServer: { version: '5.34.0' }, nginxIngressServices: { version: '5.34.0' }, coturn: { version: '4.6.2' }, sftd: { version: '0.0.43' } },
    calling: { enabled: true, coturn: { host: 'coturn.wire.example.org', publicIps: ['203.0.113.20'] }, sftd: { publicIps: ['203.0.113.30'] } },
    peers: [
      {
        domain: 'wire.acme.test',
        caCertificates: [{ pem: PEER_CA_PEM }],
        calling: { coturnHost: 'coturn.wire.acme.test', publicIps: ['198.51.100.40'], issuerCommonName: 'wire.acme.test federation CA' },
      },
    ],
    ...overrides,
  });
}
