/**
 * The name of our private CA. Pure (the verifier and the card read it).
 */

/** The common name of our private CA generation `generation` (also the issuer CN peers whitelist for our coturn). */
export function caCommonName(backendDomain: string, generation: number): string {
  return `${backendDomain} federation CA${generation === 1 ? '' : ` ${generation}`}`;
}
