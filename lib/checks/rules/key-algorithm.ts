import type { FederationRule } from '../finding';

/** The federator's TLS library accepts ECDSA keys on P-256 only; RSA below 2048 bits is weak. */
export const keyAlgorithm: FederationRule = {
  id: 'key-algorithm',
  description: 'keys are ECDSA P-256 or RSA of at least 2048 bits',
  configOnly: false,
  check: ({ resources }) =>
    resources
      .filter((r) => r.type === 'tls_private_key')
      .flatMap((r) => {
        const { algorithm, ecdsa_curve: curve, rsa_bits: bits } = r.attributes;
        if (algorithm === 'ECDSA' && curve !== 'P256') {
          return [{ level: 'error' as const, rule: 'key-algorithm', message: `${r.path}: ECDSA curve ${curve ?? 'P224 (provider default)'}: the federator accepts ECDSA keys on P-256 only. Use ecdsa_curve P256.` }];
        }
        if (algorithm === 'RSA' && typeof bits === 'number' && bits < 2048) {
          return [{ level: 'error' as const, rule: 'key-algorithm', message: `${r.path}: RSA key of ${bits} bits; use at least 2048 (3072 recommended) or ECDSA P-256.` }];
        }
        if (algorithm === 'ED25519') {
          return [{ level: 'error' as const, rule: 'key-algorithm', message: `${r.path}: Ed25519 keys are not accepted by the federator; use ECDSA P-256.` }];
        }
        return [];
      }),
};
