import { Fn, TerraformLocal, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { normalizePem, pemFingerprint } from '../core/pem';
import { compareStrings } from '../order';

/** A CA certificate only known at apply time (e.g. another environment's state output). */
export interface ApplyTimeCa {
  /** Orders the entries, e.g. the environment name. */
  readonly key: string;
  /** Token of the PEM. */
  readonly pem: string;
}

/**
 * Certificates known at synth, deduplicated and ordered by SHA-256 fingerprint, so the order
 * of peers does not matter. Pure.
 */
export function orderedCertificates(pems: readonly string[]): string[] {
  const byFingerprint = new Map<string, string>();
  for (const pem of pems) byFingerprint.set(pemFingerprint(pem), normalizePem(pem));
  return [...byFingerprint.keys()].sort().map((fp) => byFingerprint.get(fp)!);
}

/**
 * The trust bundle (CA certificates, PEM, one after another): deduplicated, in a stable order.
 * Certificates known at synth come first (see {@link orderedCertificates}); apply-time ones
 * follow, ordered by key and deduplicated by Terraform.
 *
 * With apply-time certificates the known ones go into a Terraform local (`id`) that the
 * expression references: embedding thousands of PEMs in the expression itself makes cdktf's
 * token resolution seconds slower.
 * @returns a literal PEM bundle ending in a newline (`""` when there is nothing to trust), or a
 * Terraform expression when apply-time certificates are part of it
 */
export function trustBundle(scope: Construct, id: string, knownPems: readonly string[], applyTime: readonly ApplyTimeCa[] = []): string {
  const known = orderedCertificates(knownPems);
  if (applyTime.length === 0) return known.length === 0 ? '' : `${known.join('\n')}\n`;
  const dynamic = [...applyTime].sort((a, b) => compareStrings(a.key, b.key)).map((ca) => Fn.trimspace(ca.pem));
  const all = (known.length === 0 ? dynamic : Fn.concat([Token.asList(new TerraformLocal(scope, id, known).expression), dynamic])) as string[];
  return Fn.format('%s\n', [Fn.join('\n', Fn.distinct(Fn.compact(all)))]) as string;
}
