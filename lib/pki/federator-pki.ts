/**
 * The certificate-mode choice: from `pki` in the config to our CA generations, the federator
 * certificate (private CA), the cert-manager issuer, or the provided certificate; plus the CA
 * bundle we publish and the trust bundle of peer CAs.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import type { WireFederationConfig } from '../config';
import { CertManagerCaIssuer } from './cert-manager-ca-issuer';
import type { FederatorCertificateSource } from './certificate-source';
import { FederatorCertificate } from './federator-certificate';
import { splitPemCertificates } from '../core/pem';
import { PrivateCa } from './private-ca';
import { caCommonName } from './ca-name';
import { ApplyTimeCa, trustBundle } from './trust-bundle';

/** Construct id of CA generation `g`: generation 1 keeps the original id (a state address). */
export function caConstructId(generation: number): string {
  return generation === 1 ? 'Ca' : `Ca${generation}`;
}

export interface FederatorPkiProps {
  /** The parsed environment config. */
  readonly config: WireFederationConfig;
  /**
   * Private key of a provided certificate without `keyFile`: a sensitive input such as a
   * Terraform variable token. @default - required in that case
   */
  readonly providedPrivateKey?: string;
}

/** What {@link addFederatorPki} made. */
export interface FederatorPki {
  /** Our CA generations (private-ca and cert-manager modes), by generation. */
  readonly cas: ReadonlyMap<number, PrivateCa>;
  /** The federator certificate made by Terraform (private-ca mode only). */
  readonly certificate?: FederatorCertificate;
  /** The cert-manager issuer (cert-manager mode only). */
  readonly issuer?: CertManagerCaIssuer;
  /** Where the federator certificate comes from, for the ingress chart. */
  readonly source: FederatorCertificateSource;
  /** Our CA that admits our own federator (first entry of the trust bundle). */
  readonly ownCaPem: string;
  /** What peers must trust: our CA generations and previous CAs (PEM bundle, maybe a token). */
  readonly publishedCaBundle: string;
}

/**
 * Adds the PKI of the configured mode to `scope`. The constructs are direct children of
 * `scope` (`Ca`, `Ca<g>`, `FederatorCertificate`, `Issuer`, local `published_cas`): their ids
 * are Terraform state addresses.
 */
export function addFederatorPki(scope: Construct, props: FederatorPkiProps): FederatorPki {
  const { config } = props;
  const pki = config.pki;
  if (pki.mode === 'provided') {
    const key = pki.keyFile !== undefined ? keyFileExpression(pki.keyFile) : props.providedPrivateKey;
    if (key === undefined) throw new Error('WireFederation: pki.mode provided without keyFile needs providedPrivateKey (a sensitive input)');
    return {
      cas: new Map(),
      source: { kind: 'secret', certificatePem: pki.certificateChainPem, privateKeyPem: key },
      ownCaPem: pki.caPem,
      publishedCaBundle: trustBundle(scope, 'published_cas', [pki.caPem, ...pki.previousCaCertificates]),
    };
  }
  const cas = new Map<number, PrivateCa>();
  const organization = pki.organization ?? config.backendDomain;
  for (const generation of [...pki.caGenerations].sort((a, b) => a - b)) {
    cas.set(
      generation,
      new PrivateCa(scope, caConstructId(generation), {
        commonName: caCommonName(config.backendDomain, generation),
        organization,
        validityHours: pki.caValidityHours,
      }),
    );
  }
  const signing = cas.get(pki.signingCaGeneration)!;
  const publishedCaBundle = trustBundle(
    scope,
    'published_cas',
    pki.previousCaCertificates,
    [...cas.entries()].map(([g, ca]) => ({ key: String(g).padStart(2, '0'), pem: ca.certificatePem })),
  );
  if (pki.mode === 'private-ca') {
    const certificate = new FederatorCertificate(scope, 'FederatorCertificate', {
      ca: signing,
      federatorDomain: config.federatorDomain,
      extraSans: pki.extraSans,
      organization,
      validityHours: pki.certificateValidityHours,
      earlyRenewalHours: pki.earlyRenewalHours,
    });
    return {
      cas,
      certificate,
      source: { kind: 'secret', certificatePem: certificate.certificatePem, privateKeyPem: certificate.privateKeyPem },
      ownCaPem: signing.certificatePem,
      publishedCaBundle,
    };
  }
  const issuer = new CertManagerCaIssuer(scope, 'Issuer', {
    ca: signing,
    issuerName: pki.issuerName,
    namespace: pki.certManagerNamespace,
    installVersion: pki.installCertManagerVersion,
  });
  return {
    cas,
    issuer,
    source: {
      kind: 'cert-manager',
      issuerName: issuer.issuerName,
      certmasterEmail: pki.certmasterEmail,
      inTestMode: pki.inTestMode,
      duration: pki.duration,
      renewBefore: pki.renewBefore,
      rotationPolicy: pki.rotationPolicy,
    },
    ownCaPem: signing.certificatePem,
    publishedCaBundle,
  };
}

/**
 * Terraform reads a provided key file at apply time: its content never enters the synthesized
 * JSON. Paths inside the project are written relative to it (Terraform runs in
 * cdktf.out/stacks/<env>/), so nothing machine-specific is synthesized.
 */
export function keyFileExpression(keyFile: string): string {
  const abs = resolve(keyFile);
  const rel = relative(process.cwd(), abs);
  const path = rel.startsWith('..') || isAbsolute(rel) ? abs : `\${path.root}/../../../${rel.split(sep).join('/')}`;
  return `\${file("${path}")}`;
}

/**
 * The one trust bundle of our own CA and every peer's CAs: `remoteCAContents` of wire-server
 * and, for nginx-ingress-services, `tlsClientCA`. Our own CA keeps it non-empty and admits only
 * our own federator. Peers given as `{environment}` resolve through `environmentCa`.
 */
export function peerTrustBundle(scope: Construct, config: WireFederationConfig, ownCaPem: string, environmentCa?: (environment: string) => string): string {
  const known: string[] = [];
  const applyTime = new Map<string, ApplyTimeCa>();
  if (Token.isUnresolved(ownCaPem)) applyTime.set('', { key: '', pem: ownCaPem });
  else known.push(...splitPemCertificates(ownCaPem));
  for (const peer of config.peers) {
    for (const ca of peer.caCertificates) {
      if (ca.kind === 'pem') {
        known.push(ca.pem);
      } else if (!applyTime.has(ca.environment)) {
        if (!environmentCa) {
          throw new Error(
            `peers[${peer.domain}]: the CA comes from environment "${ca.environment}", but this WireFederation was given no environmentCa resolver; use FederationStack or pass environmentCa`,
          );
        }
        applyTime.set(ca.environment, { key: ca.environment, pem: environmentCa(ca.environment) });
      }
    }
  }
  // The id is a Terraform address (local.<id>): keep it stable.
  return trustBundle(scope, 'trusted_peer_cas', known, [...applyTime.values()]);
}
