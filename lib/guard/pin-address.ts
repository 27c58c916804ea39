/**
 * Terraform state addresses of the pin, for messages the operator pastes (`terraform state rm
 * …`). Pure: no cdktf loaded.
 */
import { createHash } from 'node:crypto';

/** Construct id of the pin inside a WireFederation. */
export const DOMAIN_PIN_ID = 'DomainPin';

/**
 * The Terraform logical id cdktf gives an element at `components` (its construct path below
 * the stack), as cdktf's default HashedAddressingScheme computes it (`makeUniqueId` in cdktf's
 * `lib/private/unique.js`): `Default` ids left out; one component kept as is; else the path
 * without `Resource` ids and repeated suffixes, joined by `_`, and the first 8 hex digits of the
 * MD5 of the whole path.
 */
export function logicalIdOf(components: readonly string[]): string {
  const path = components.filter((c) => c !== 'Default');
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '');
  if (path.length === 1 && clean(path[0]).length <= 255) return clean(path[0]);
  const hash = createHash('md5').update(path.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const c of path) if (human.length === 0 || !human[human.length - 1].endsWith(c)) human.push(c);
  return `${human
    .filter((c) => c !== 'Resource')
    .map(clean)
    .join('_')
    .slice(0, 240)}_${hash}`;
}

/**
 * The state address of the domain pin of a WireFederation with construct id `federationId`
 * directly in its stack (as `FederationStack` makes it): what `terraform state rm` takes, e.g.
 * `terraform_data.Federation_DomainPin_238574C0`.
 */
export function domainPinAddress(federationId = 'Federation'): string {
  return `terraform_data.${logicalIdOf([federationId, DOMAIN_PIN_ID, 'Resource'])}`;
}
