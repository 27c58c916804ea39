/**
 * Federation values of the `sftd` chart (conference calls across backends). Pure.
 *
 * Value paths as the chart reads them (its values.yaml, `statefulset.yaml`, `secret.yaml`):
 * `multiSFT.enabled` with `multiSFT.discoveryRequired: false` (sftd 3.1.10 and later) starts sftd
 * with `-t <multiSFT.turnServerURI> -s /secrets/zrest_secret.txt`, the file rendered from
 * `multiSFT.secret` into the Secret `sftd-secret`.
 */
import type { WireFederationConfig } from '../../config';
import type { ReleaseValues } from './types';

export interface SftdValuesInput {
  /** The parsed environment config (calling on, coturn set). */
  readonly config: Pick<WireFederationConfig, 'calling'>;
  /** The TURN authentication secret coturn checks (`multiSFT.secret`), a sensitive input. */
  readonly turnSecret: string;
}

/** sftd's TURN server: `calling.sftd.turnServerUri`, else `turn:<coturn host>:<TURN port>`. */
export function sftdTurnServerUri(config: Pick<WireFederationConfig, 'calling'>): string {
  const { coturn, sftd } = config.calling;
  if (sftd.turnServerUri !== undefined) return sftd.turnServerUri;
  if (coturn === undefined) throw new Error('sftdTurnServerUri: calling.coturn is required');
  return `turn:${coturn.host}:${coturn.turnPort}`;
}

/** The federation values of sftd: multiSFT without discovery, our coturn as TURN server; the secret only as a sensitive entry. */
export function sftdValues(input: SftdValuesInput): ReleaseValues {
  return {
    values: { multiSFT: { enabled: true, discoveryRequired: false, turnServerURI: sftdTurnServerUri(input.config) } },
    sensitive: [{ path: 'multiSFT.secret', value: input.turnSecret }],
  };
}
