import type { FederationRule } from '../finding';

/** Curves of the Terraform tls provider (`ecdsa_curve`) that the federator accepts. */
const ACCEPTED_CURVES = ['P256', 'P384', 'P521'];

/**
 * Keys the federator can use: ECDSA on P-256, P-384 or P-521 (it talks TLS through OpenSSL
 * since wire-server 4.34.0, #3051), or RSA of at least 2048 bits. P-224 (the provider's default
 * curve) and Ed25519 are refused. P-256 stays our default.
 */
export const keyAlgorithm: FederationRule = {
  id: 'key-algorithm',
  description: 'keys are ECDSA P-256, P-384 or P-521, or RSA of at least 2048 bits (no other curve, no Ed25519)',
  configOnly: false,
  check: ({ resources }) =>
    resources
      .filter((r) => r.type === 'tls_private_key')
      .flatMap((r) => {
        const { algorithm, ecdsa_curve: curve, rsa_bits: bits } = r.attributes;
        if (algorithm === 'ECDSA' && !ACCEPTED_CURVES.includes(String(curve))) {
          return [
            {
              level: 'error' as const,
              rule: 'key-algorithm',
              message: `${r.path}: ECDSA curve ${curve === undefined ? 'P224 (provider default)' : String(curve)}: the federator accepts ECDSA keys on P-256, P-384 or P-521 only. Use ecdsa_curve P256 (the default here).`,
            },
          ];
        }
        if (algorithm === 'RSA' && typeof bits === 'number' && bits < 2048) {
          return [
            {
              level: 'error' as const,
              rule: 'key-algorithm',
              message: `${r.path}: RSA key of ${bits} bits; use at least 2048 (3072 recommended) or ECDSA P-256.`,
            },
          ];
        }
        if (algorithm === 'ED25519') {
          return [
            {
              level: 'error' as const,
              rule: 'key-algorithm',
              message: `${r.path}: Ed25519 keys are not accepted by the federator (it supports ECDSA and RSA certificates only); use ECDSA P-256.`,
            },
          ];
        }
        return [];
      }),
};
