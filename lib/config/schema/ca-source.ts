/** `caCertificates` and `previousCaCertificates`: where a CA certificate comes from. */
import { z } from 'zod';
import { K8S_NAME, nonEmpty } from './fields';

/** Where a CA certificate comes from. Exactly one of the keys. */
export const caSourceSchema = z.union(
  [
    z.strictObject({
      /** Path of a PEM file with the CA certificate(s), relative to the config's base directory. */
      file: nonEmpty('path of a PEM file with a CA certificate'),
    }),
    z.strictObject({
      /** The PEM text of the CA certificate(s). */
      pem: nonEmpty('PEM text of a CA certificate'),
    }),
    z.strictObject({
      /** Another environment of this repository: its CA is read from that environment's Terraform state (output `ca_certificate_pem`). */
      environment: z.string().regex(K8S_NAME, {
        error: 'must name another environment of this repository (lowercase letters, digits, "-")',
      }),
    }),
  ],
  { error: 'must be one of {file: <path>}, {pem: <PEM text>} or {environment: <name>}' },
);
