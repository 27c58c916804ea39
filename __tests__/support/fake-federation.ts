/**
 * A whole federation on 127.0.0.1 for the exporter's tests and benchmark: our own federator
 * ingress (a TLS server that requires our CA's client certificates), any number of fake peers
 * (`fake-federator.ts`: ingress, federator and brig as wire-server behaves) or broken ones (a
 * black hole that never speaks TLS), and one DNS server with the SRV and A records of all of
 * them. Built from the verify harness (`__tests__/verify/harness.ts`).
 */
import { parseFederationConfig } from '../../lib/config';
import type { WireFederationInput } from '../../lib/config';
import { BACKEND, FEDERATOR, configInput, goodZone, srv } from '../verify/harness';
import { CertificateAndKey, days, makeCa, makeLeaf } from './certificates';
import { TestZone, startDnsServer } from './dns-server';
import type { TestDnsServer } from './dns-server';
import { FakeFederator, FakeFederatorOptions, startFakeFederator } from './fake-federator';
import { TestServer, startBlackHole, startFederatorServer } from './tls-servers';

/** How one peer behaves. */
export type FakePeerKind =
  /** Accepts us and answers the version call. */
  | 'healthy'
  /** Its ingress does not trust our CA (HTTP 400 "The SSL certificate error"). */
  | 'refuses-certificate'
  /** Its federator does not list us (`federation-denied`). */
  | 'denies-federation'
  /** Healthy, with a federator certificate that expires in `expiresInDays`. */
  | 'expiring'
  /** Accepts TCP connections and never answers. */
  | 'silent';

export interface FakePeerSpec {
  readonly domain: string;
  readonly kind: FakePeerKind;
  /** For `expiring`. @default 5 */
  readonly expiresInDays?: number;
  /** The other peers it lists in its remotes (the mesh). @default - every other peer of the federation */
  readonly federatesWith?: readonly string[];
  /** How its brig answers the mesh query (`FakeFederatorOptions.mesh`). @default 'current' */
  readonly mesh?: FakeFederatorOptions['mesh'];
  /** Its federation strategy. @default 'allowDynamic' */
  readonly strategy?: FakeFederatorOptions['strategy'];
}

export interface FakeFederation {
  readonly dns: TestDnsServer;
  readonly ca: CertificateAndKey;
  /** Our federator certificate (server and client). */
  readonly federator: CertificateAndKey;
  readonly peerCa: CertificateAndKey;
  /** The config input of our backend with every peer (their CA configured). */
  readonly config: WireFederationInput;
  /** Our ingress's port. */
  readonly port: number;
  /** Port of each peer's ingress, by domain. */
  readonly peerPorts: ReadonlyMap<string, number>;
  /** The mesh queries a fake peer's brig received (none for a silent peer). */
  meshRequestsOf(domain: string): FakeFederator['meshRequests'];
  /** Replaces a peer by one of another kind (same domain, new port, DNS updated). */
  replacePeer(spec: FakePeerSpec): Promise<void>;
  close(): Promise<void>;
}

/** The PKI of a fake federation (made once per test file: key generation is the slow part). */
export interface FakeFederationPki {
  readonly ca: CertificateAndKey;
  readonly federator: CertificateAndKey;
  readonly peerCa: CertificateAndKey;
  readonly strangerCa: CertificateAndKey;
}

export async function makeFederationPki(): Promise<FakeFederationPki> {
  const [ca, peerCa, strangerCa] = await Promise.all([
    makeCa({ commonName: 'Alpha Federation CA' }),
    makeCa({ commonName: 'Peers Federation CA' }),
    makeCa({ commonName: 'Stranger CA' }),
  ]);
  const federator = await makeLeaf({ issuer: ca, dnsNames: [FEDERATOR] });
  return { ca, federator, peerCa, strangerCa };
}

export const peerFederatorOf = (domain: string): string => `federator.${domain}`;

/** Starts our ingress, the peers and DNS. Peer certificates are made here (one per peer, P-256). */
export async function startFakeFederation(pki: FakeFederationPki, peers: readonly FakePeerSpec[]): Promise<FakeFederation> {
  const dns = await startDnsServer({});
  const ours = await startFederatorServer({ cert: pki.federator.chainPem, key: pki.federator.keyPem, clientCa: [pki.ca.certPem] });
  const servers = new Map<string, TestServer>();
  const ports = new Map<string, number>();

  const startPeer = async (spec: FakePeerSpec): Promise<TestServer> => {
    if (spec.kind === 'silent') return startBlackHole();
    const host = peerFederatorOf(spec.domain);
    const leaf = await makeLeaf({
      issuer: pki.peerCa,
      dnsNames: [host],
      ...(spec.kind === 'expiring' ? { notBefore: new Date(Date.now() - days(80)), notAfter: new Date(Date.now() + days(spec.expiresInDays ?? 5)) } : {}),
    });
    const options: FakeFederatorOptions = {
      host,
      cert: leaf.chainPem,
      key: leaf.keyPem,
      clientCa: [spec.kind === 'refuses-certificate' ? pki.strangerCa.certPem : pki.ca.certPem],
      dnsServer: dns.address,
      remotes: [
        ...(spec.kind === 'denies-federation' ? [] : [BACKEND]),
        ...(spec.federatesWith ?? peers.map((p) => p.domain).filter((d) => d !== spec.domain)),
      ],
      ...(spec.mesh !== undefined ? { mesh: spec.mesh } : {}),
      ...(spec.strategy !== undefined ? { strategy: spec.strategy } : {}),
    };
    return startFakeFederator(options);
  };
  const zone = (): TestZone => {
    const records: Record<string, TestZone[string]> = { ...goodZone(ours.port) };
    for (const [domain, port] of ports) {
      records[`_wire-server-federator._tcp.${domain}`] = [srv(peerFederatorOf(domain), port)];
      records[peerFederatorOf(domain)] = [{ type: 'A', address: '127.0.0.1' }];
    }
    return records;
  };
  // Started a few at a time: 200 peers are 400 listening sockets and as many key pairs.
  for (let i = 0; i < peers.length; i += 20) {
    const batch = peers.slice(i, i + 20);
    const started = await Promise.all(batch.map(startPeer));
    batch.forEach((spec, j) => {
      servers.set(spec.domain, started[j]);
      ports.set(spec.domain, started[j].port);
    });
  }
  dns.setZone(zone());

  const config = configInput(ours.port, {
    peers: peers.map((p) => ({ domain: p.domain, caCertificates: [{ pem: pki.peerCa.certPem }] })),
  });

  return {
    dns,
    ca: pki.ca,
    federator: pki.federator,
    peerCa: pki.peerCa,
    config,
    port: ours.port,
    peerPorts: ports,
    meshRequestsOf(domain) {
      const server = servers.get(domain) as Partial<FakeFederator> | undefined;
      return server?.meshRequests ?? [];
    },
    async replacePeer(spec) {
      await servers.get(spec.domain)?.close();
      const server = await startPeer(spec);
      servers.set(spec.domain, server);
      ports.set(spec.domain, server.port);
      dns.setZone(zone());
    },
    async close() {
      await Promise.all([...servers.values()].map((s) => s.close()));
      await ours.close();
      await dns.close();
    },
  };
}

/** Options of `startExporter` for this federation: its config, DNS server, our CA and federator certificate, every peer, any free port. */
export function exporterOptionsFor(federation: FakeFederation, pki: FakeFederationPki, timeoutMs: number, intervalMs: number) {
  return {
    config: parseFederationConfig(federation.config),
    dnsServer: federation.dns.address,
    timeoutMs,
    ca: { pems: [pki.ca.certPem], origin: 'ca.pem' },
    clientCertificate: { cert: pki.federator.chainPem, key: pki.federator.keyPem, origin: 'tls.crt' },
    peers: true,
    port: 0,
    intervalMs,
  };
}
