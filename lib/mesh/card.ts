/**
 * What `card add` can tell about the mesh offline, from the partner's card alone: a card made
 * with `card export --with-peers` lists the backends its sender federates with (`federatesWith`),
 * so our peers it does not list are links that are certainly missing; whether our peers list
 * the new partner is not in the card, only `wire-federation mesh` can ask them. Pure.
 */

/** At most this many domains are named in one warning. */
const MAX_NAMED = 10;

function names(domains: readonly string[]): string {
  return domains.length <= MAX_NAMED ? domains.join(', ') : `${domains.slice(0, MAX_NAMED).join(', ')} and ${domains.length - MAX_NAMED} more`;
}

/** The warnings of `card add` about the mesh (one line each; none when we have no other peers). */
export function cardMeshWarnings(input: {
  /** The partner's backend domain (from its card). */
  readonly backendDomain: string;
  /** The day of the card. */
  readonly date: string;
  /** The card's `federatesWith`, when its sender shared it. */
  readonly federatesWith?: readonly string[];
  /** Our peers other than the partner. */
  readonly ourPeers: readonly string[];
  /** `wire-federation mesh <environment>`, as typed here. */
  readonly meshCommand: string;
}): string[] {
  const partner = input.backendDomain;
  const others = input.ourPeers.filter((p) => p !== partner);
  if (others.length === 0) return [];
  const warnings: string[] = [];
  const measure = `after deploying, ${input.meshCommand} --client-cert <our federator certificate> --client-key <its key> asks every peer and shows the links`;
  if (input.federatesWith === undefined) {
    warnings.push(
      `the card of ${partner} does not list the backends it federates with (its sender can add them with card export --with-peers): whether ${partner} and our peers ${names(others)} federate with each other is not known offline. Users of backends that do not federate with each other cannot be in one conversation (non-federating-backends)`,
    );
  } else {
    const listed = new Set(input.federatesWith);
    const lacking = others.filter((p) => !listed.has(p));
    for (const p of lacking.slice(0, MAX_NAMED)) {
      warnings.push(
        `${partner} does not federate with our peer ${p} (its card of ${input.date} lists its peers): users of ${partner} and ${p} cannot be in one conversation until ${partner} adds ${p} and ${p} adds ${partner}; send each the other's card`,
      );
    }
    if (lacking.length > MAX_NAMED) warnings.push(`${partner} does not federate with ${lacking.length - MAX_NAMED} more of our peers`);
  }
  warnings.push(`our peers ${names(others)} must each list ${partner} too (not visible in its card): ${measure}`);
  return warnings;
}
