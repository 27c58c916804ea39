/**
 * Field builders shared by the sections of the config schema: DNS names, whole numbers in a
 * range, non-empty strings, Kubernetes names.
 */
import { z } from 'zod';
import { isIP } from 'node:net';
import { normalizeDnsName, stripTrailingDot } from '../../core/names';

const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Checks a DNS name (without trailing dot). Returns a reason when invalid, else undefined.
 * Internationalized names must be given in their ASCII (punycode, `xn--`) form.
 */
export function domainProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (/[\u0080-\uffff]/.test(name)) {
    return 'must be ASCII: write an internationalized domain in its punycode form (xn--…)';
  }
  if (name !== name.toLowerCase()) return 'must be lowercase';
  if (name.length > 253) return 'must be at most 253 characters long';
  const labels = name.split('.');
  if (labels.length < 2) return 'must have at least two labels (e.g. example.com)';
  const bad = labels.find((l) => !DOMAIN_LABEL.test(l));
  if (bad !== undefined) {
    return `has an invalid label ${JSON.stringify(bad)}: labels are 1-63 characters of a-z, 0-9 and "-", not starting or ending with "-"`;
  }
  if (isIP(name) !== 0) return 'must be a domain name, not an IP address';
  // URL parsers and resolvers read a name whose last label is a number (decimal, 0x hex, octal)
  // as an IPv4 address: 127.1 is 127.0.0.1, 0x7f.1 too. No top-level domain is numeric.
  const last = labels[labels.length - 1];
  if (/^(\d+|0x[0-9a-f]*)$/.test(last)) {
    return `must be a domain name: its last label ${JSON.stringify(last)} is a number, so resolvers and URL parsers read the name as an IP address (127.1 is 127.0.0.1)`;
  }
  return undefined;
}

export { stripTrailingDot };

/**
 * DNS names are case-insensitive and may end in one dot (the FQDN form): both are normalized at
 * parse time (lowercase, no trailing dot), so `EXAMPLE.COM.` and `example.com` are the same name.
 * A name with a non-ASCII character is left as it is, so the ASCII check sees it before case
 * folding would turn e.g. U+212A (Kelvin sign) into an ASCII `k`.
 */
export const normalizedName = (name: string): string => (/[\u0080-\uffff]/.test(name) ? name : normalizeDnsName(name));

/** A DNS name field (normalized: lowercase, no trailing dot); `what` names it in messages. */
export const domainField = (what: string) =>
  z
    .string({ error: `must be a string: the ${what}` })
    .transform(normalizedName)
    .superRefine((value, ctx) => {
      const problem = domainProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `${what} ${problem}` });
    });
export const domain = domainField;

/** A DNS name that may start with a wildcard label (`*.example.com`), for certificate SANs. */
export const sanName = z
  .string({ error: 'must be a string: a DNS name for the certificate' })
  .transform(normalizedName)
  .superRefine((value, ctx) => {
    const problem = domainProblem(value.startsWith('*.') ? value.slice(2) : value);
    if (problem) ctx.addIssue({ code: 'custom', message: `DNS name ${problem}` });
  });

export const intIn = (min: number, max: number, what: string) =>
  z
    .number({ error: `must be a number: ${what}` })
    .int({ error: `must be a whole number: ${what}` })
    .min(min, { error: `must be between ${min} and ${max}: ${what}` })
    .max(max, { error: `must be between ${min} and ${max}: ${what}` });

export const nonEmpty = (what: string) => z.string({ error: `must be a string: ${what}` }).min(1, { error: `must not be empty: ${what}` });

export const K8S_NAME = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
