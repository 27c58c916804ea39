/**
 * A partial federation mesh of fake peers on 127.0.0.1 (`fake-federation.ts`, whose brig answers
 * `get-not-fully-connected-backends` as wire-server's does): the scenario of the mesh tests, the
 * exporter's mesh tests and the sample in docs/monitoring.md.
 *
 * Our backend wire.alpha.test lists all five peers. Between them:
 * - beta lists every other peer;
 * - gamma lists all but delta                 → gamma → delta missing;
 * - zeta (chart 4.38: `connected_backends`) lists all but gamma → zeta → gamma missing;
 * - delta runs a brig older than 4.36.0 (no endpoint: 404)   → delta → peers unknown;
 * - epsilon does not list us (`federation-denied`)          → epsilon → alpha missing, epsilon → peers unknown.
 */
import { BACKEND } from '../verify/harness';
import type { FakePeerSpec } from './fake-federation';

export const MESH_US = BACKEND;
export const BETA = 'wire.beta.test';
export const GAMMA = 'wire.gamma.test';
export const DELTA = 'wire.delta.test';
export const EPSILON = 'wire.epsilon.test';
export const ZETA = 'wire.zeta.test';

export const PARTIAL_MESH: readonly FakePeerSpec[] = [
  { domain: BETA, kind: 'healthy', federatesWith: [GAMMA, DELTA, EPSILON, ZETA] },
  { domain: GAMMA, kind: 'healthy', federatesWith: [BETA, EPSILON, ZETA] },
  { domain: DELTA, kind: 'healthy', mesh: 'no-endpoint', federatesWith: [BETA, GAMMA, EPSILON, ZETA] },
  { domain: EPSILON, kind: 'denies-federation', federatesWith: [BETA, GAMMA, DELTA, ZETA] },
  { domain: ZETA, kind: 'healthy', mesh: 'legacy-field', federatesWith: [BETA, DELTA, EPSILON] },
];

/** The missing links of {@link PARTIAL_MESH}, as `from → to`. */
export const PARTIAL_MESH_MISSING = [`${GAMMA} → ${DELTA}`, `${EPSILON} → ${MESH_US}`, `${ZETA} → ${GAMMA}`];
/** The unknown links of {@link PARTIAL_MESH}. */
export const PARTIAL_MESH_UNKNOWN = [
  ...[BETA, GAMMA, EPSILON, ZETA].map((to) => `${DELTA} → ${to}`),
  ...[BETA, GAMMA, DELTA, ZETA].map((to) => `${EPSILON} → ${to}`),
];
