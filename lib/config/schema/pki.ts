/** `pki`: how the federator certificate is made, and the CA generations for rotation. */
import { z } from 'zod';
import { caSourceSchema } from './ca-source';
import { intIn, K8S_NAME, nonEmpty, sanName } from './fields';

const hours = (what: string) =>
  z
    .number({ error: `must be a number: ${what}` })
    .int({ error: `must be a whole number: ${what}` })
    .positive({ error: `must be positive: ${what}` });

/** CA generations for zero-downtime rotation (see docs/certificates.md, "Rotating our CA"). */
const caRotationFields = {
  /**
   * Generations of our private CA that exist and are published to peers. Add the next one,
   * let peers pick it up, switch `signingCaGeneration`, then drop the old one.
   */
  caGenerations: z
    .array(intIn(1, 99, 'CA generation'), { error: 'must be a list of CA generation numbers' })
    .min(1, { error: 'must list at least one CA generation' })
    .default([1]),
  /** The generation that signs the federator certificate. @default - the first of caGenerations */
  signingCaGeneration: intIn(1, 99, 'CA generation').optional(),
  /** Subject organization of the CA and certificate. @default - the backend domain */
  organization: nonEmpty('certificate organization').optional(),
  /** Lifetime of our CA certificate in hours (10 years). */
  caValidityHours: hours('CA validity in hours').default(87600),
};

/**
 * Our CA certificates from before a rotation, kept in the bundle we publish (output
 * `ca_certificate_pem`) until every peer trusts the new one.
 */
const previousCaCertificates = z.array(caSourceSchema, { error: 'must be a list of CA sources' }).default([]);

const privateCaSchema = z.strictObject({
  mode: z.literal('private-ca'),
  ...caRotationFields,
  /** Lifetime of the federator certificate in hours; Terraform re-issues it. */
  certificateValidityHours: hours('certificate validity in hours').default(8760),
  /** Re-issue the federator certificate this many hours before it expires (at the next deploy). */
  earlyRenewalHours: hours('hours before expiry when the certificate is renewed').default(720),
  /**
   * Extra SANs of the one certificate nginx-ingress-services serves on every ingress (public
   * hosts such as nginz-https.example.com or a wildcard). The federator domain is always in it.
   */
  extraSans: z.array(sanName, { error: 'must be a list of DNS names' }).default([]),
  /** Our CA certificates from before a rotation, published to peers until every peer trusts the new CA. */
  previousCaCertificates,
});

const GO_DURATION = /^(\d+h)?(\d+m)?(\d+s)?$/;
const goDuration = (what: string) =>
  z
    .string({ error: `must be a duration such as 2160h: ${what}` })
    .regex(GO_DURATION, { error: `must be a duration such as 2160h or 90m: ${what}` })
    .refine((v) => v !== '', { error: `must not be empty: ${what}` });

const certManagerSchema = z.strictObject({
  mode: z.literal('cert-manager'),
  ...caRotationFields,
  /** Email for the Let's Encrypt account of the public hosts (chart's issuer). */
  certmasterEmail: z.email({ error: "must be an email address for the Let's Encrypt account" }),
  /** Let's Encrypt staging (untrusted certificates) for the public hosts. */
  inTestMode: z.boolean({ error: 'must be true or false' }).default(false),
  /** Name of the cert-manager CA ClusterIssuer that signs the federator certificate. */
  issuerName: z.string().regex(K8S_NAME, { error: 'must be a Kubernetes name' }).default('wire-federation-ca'),
  /** cert-manager's cluster resource namespace: where the ClusterIssuer reads the CA secret. */
  certManagerNamespace: z.string().regex(K8S_NAME, { error: 'must be a Kubernetes namespace name' }).default('cert-manager'),
  /** Install cert-manager (jetstack chart, CRDs included) at this exact version. @default - already installed */
  installCertManagerVersion: z
    .string()
    .regex(/^v\d+\.\d+\.\d+$/, { error: 'must be an exact cert-manager chart version such as v1.19.1' })
    .optional(),
  /** Federator certificate lifetime (`federator.tls.duration`). */
  duration: goDuration('federator certificate lifetime').default('2160h'),
  /** Renew this long before expiry (`federator.tls.renewBefore`). */
  renewBefore: goDuration('renewal before expiry').default('360h'),
  /** `federator.tls.privateKey.rotationPolicy`. */
  rotationPolicy: z.enum(['Always', 'Never'], { error: 'must be Always or Never' }).default('Always'),
  /** Our CA certificates from before a rotation, published to peers until every peer trusts the new CA. */
  previousCaCertificates,
});

const providedSchema = z.strictObject({
  mode: z.literal('provided'),
  /** PEM file: the federator certificate, then intermediates. Checked at synth. */
  certificateFile: nonEmpty('path of the certificate chain PEM file'),
  /**
   * PEM file of the private key: checked at synth, read by Terraform at apply (`file()`), never
   * copied into the synthesized JSON. @default - the sensitive variable `federator_private_key`
   */
  keyFile: nonEmpty('path of the private key PEM file').optional(),
  /** PEM file of the CA that signed the chain (published to peers). */
  caFile: nonEmpty('path of the CA certificate PEM file'),
  /** Our CA certificates from before a rotation, published to peers until every peer trusts the new CA. */
  previousCaCertificates,
});

const letsEncryptOnlySchema = z
  .strictObject({
    mode: z.literal('letsencrypt-only'),
  })
  .passthrough();

export const pkiSchema = z
  .discriminatedUnion('mode', [privateCaSchema, certManagerSchema, providedSchema, letsEncryptOnlySchema], {
    error: 'mode must be one of private-ca, cert-manager, provided',
  })
  .superRefine((pki, ctx) => {
    if (pki.mode === 'letsencrypt-only') {
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message:
          "letsencrypt-only cannot federate: Let's Encrypt (like most public CAs) stopped issuing certificates with the TLS client authentication usage in 2026, and the federator presents its certificate as client certificate too. Use mode cert-manager (Let's Encrypt for public hosts, a private CA for the federator) or private-ca",
      });
      return;
    }
    if ('caGenerations' in pki) {
      if (new Set(pki.caGenerations).size !== pki.caGenerations.length) {
        ctx.addIssue({ code: 'custom', path: ['caGenerations'], message: 'must not list a generation twice' });
      }
      if (pki.signingCaGeneration !== undefined && !pki.caGenerations.includes(pki.signingCaGeneration)) {
        ctx.addIssue({ code: 'custom', path: ['signingCaGeneration'], message: `must be one of caGenerations (${pki.caGenerations.join(', ')})` });
      }
    }
  })
  .default({
    mode: 'private-ca',
    caGenerations: [1],
    caValidityHours: 87600,
    certificateValidityHours: 8760,
    earlyRenewalHours: 720,
    extraSans: [],
    previousCaCertificates: [],
  });
