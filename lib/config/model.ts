/**
 * The parsed config: what {@link parseFederationConfig} returns, every default applied and the
 * files it names read and checked. Types only.
 */
import type { z } from 'zod';
import type { ConfigProblem } from './errors';
import type { wireFederationConfigSchema } from './schema';
import type { AdoptionImports, AdoptionRecord } from './adoption/record';
import type { Values as HelmValues } from '../core/values';

/** What the schema makes of the input (defaults applied, names normalized). */
export type SchemaOutput = z.output<typeof wireFederationConfigSchema>;
export type SchemaPeer = SchemaOutput['peers'][number];
export type SchemaRelease = SchemaOutput['charts']['wireServer'];

/** A CA certificate trusted for a peer: PEM known at synth, or another environment's CA output. */
export type TrustedCa =
  | { readonly kind: 'pem'; readonly pem: string; /** file path or "inline" */ readonly origin: string }
  | { readonly kind: 'environment'; readonly environment: string };

export interface PeerConfig extends Omit<SchemaPeer, 'caCertificates' | 'restrictToTeams'> {
  readonly caCertificates: readonly TrustedCa[];
  /**
   * Teams of this peer whose users may find ours (brig `restrict_by_team`), from `allowedTeams`
   * or its deprecated name `restrictToTeams`. @default - all users of the peer
   */
  readonly allowedTeams?: string[];
}

export interface ReleaseConfig extends SchemaRelease {
  /** The operator's values files merged in order (later files win), as one object. */
  readonly operatorValues: HelmValues;
  /** Each values file that parsed, in order: checks name the file that sets a value. */
  readonly valuesDocuments: readonly ValuesDocument[];
}

/** One of the operator's values files, read and parsed. */
export interface ValuesDocument {
  /** The file as the config names it (relative to the config's base directory). */
  readonly file: string;
  /** Its config path, e.g. `charts.wireServer.valuesFiles[0]`. */
  readonly path: string;
  readonly values: HelmValues;
}

export type SchemaPki = Exclude<SchemaOutput['pki'], { mode: 'letsencrypt-only' }>;
type WithResolvedCas<T> = Omit<T, 'previousCaCertificates' | 'signingCaGeneration'> & {
  /** Our CA certificates from before a rotation, still published to peers. */
  readonly previousCaCertificates: readonly string[];
};

/** PKI settings after parsing: files read and checked, defaults applied. */
export type PkiConfig =
  | (WithResolvedCas<Extract<SchemaPki, { mode: 'private-ca' }>> & { readonly signingCaGeneration: number })
  | (WithResolvedCas<Extract<SchemaPki, { mode: 'cert-manager' }>> & { readonly signingCaGeneration: number })
  | (WithResolvedCas<Extract<SchemaPki, { mode: 'provided' }>> & {
      /** The certificate chain (leaf first), checked at synth. */
      readonly certificateChainPem: string;
      /** The CA certificate(s) that signed the chain. */
      readonly caPem: string;
      /** Certificates between the leaf and the CA, plus one (what nginx `verify_depth` must allow). */
      readonly chainDepth: number;
    });

/** A parsed config: every default applied, files read and checked. */
export interface WireFederationConfig extends Omit<SchemaOutput, 'peers' | 'charts' | 'pki'> {
  readonly peers: readonly PeerConfig[];
  readonly pki: PkiConfig;
  /** Not wrong, but worth a look (e.g. a provided certificate expiring soon). */
  readonly warnings: readonly ConfigProblem[];
  /**
   * What `wire-federation adopt` recorded (`adoptionFile`): the stacks import these instead of
   * creating them. @default - nothing is imported
   */
  readonly adoption?: { readonly record: AdoptionRecord; readonly imports: AdoptionImports };
  readonly charts: Omit<SchemaOutput['charts'], 'wireServer' | 'nginxIngressServices' | 'wireIngress'> & {
    readonly wireServer: ReleaseConfig;
    /** Present with ingress.chart nginx-ingress-services and during a migration from it. */
    readonly nginxIngressServices?: ReleaseConfig;
    /** Present with ingress.chart wire-ingress. */
    readonly wireIngress?: ReleaseConfig;
  };
}
