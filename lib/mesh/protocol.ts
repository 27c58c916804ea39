/**
 * The federation mesh query as wire-server speaks it. Pure: no network.
 *
 * brig's federation endpoint `get-not-fully-connected-backends`
 * (libs/wire-api-federation/src/Wire/API/Federation/API/Brig.hs:
 * `FedEndpoint "get-not-fully-connected-backends" DomainSet NonConnectedBackends`, served by
 * `getFederationStatus` in services/brig/src/Brig/API/Federation.hs) takes the set of domains
 * the caller asks about and answers the subset its backend does NOT federate with:
 * - request `DomainSet`: `{"domains": ["b.example", ...]}`;
 * - answer `NonConnectedBackends`: `{"non_connected_backends": ["c.example", ...]}`. Both are
 *   aeson generic encodings with `camelTo2 '_'` field names (Wire.API.Util.Aeson
 *   `CustomEncoded`). Releases 4.36.0–4.38.0 dropped the lowercase prefix of field names, so the
 *   same field went over the wire as `connected_backends` (wire-server PR #3518 renamed it in
 *   chart release 4.39.0; its meaning was always "NOT connected"); both are read here.
 * - brig answers from its remotes (`getFederationConfigs`: database rows and
 *   `setFederationDomainConfigs`): a domain is "connected" when it is one of its remotes; with
 *   strategy `allowAll` every domain is (the answer is empty).
 * - The endpoint appeared in chart release 4.36.0 (PR #3290, 2023-08). It is not versioned
 *   (no `From`/`Until`), so every federation API version has it. An older brig does not know
 *   the RPC: the federator forwards it and passes on brig's 404, which has no body
 *   (services/federator/test/integration/Test/Federator/InwardSpec.hs, "should return 404
 *   'no-endpoint' response from Brig": status 404, empty body).
 *
 * galley itself uses it the same way before it puts users of several backends into one
 * conversation (libs/wire-subsystems/src/Wire/FederationSubsystem/Interpreter.hs
 * `getFederationStatusImpl`: each remote domain is asked about all the others; the first
 * domain a remote names makes the pair refused with `non-federating-backends`).
 */
import { defineCatalogue } from '../core/catalogue';

/** The federation RPC (brig component). */
export const MESH_RPC = 'get-not-fully-connected-backends';
/** Its path at a peer's federator ingress. */
export const MESH_PATH = `/federation/brig/${MESH_RPC}`;
/** The chart release that brought the endpoint (a peer answering 404 runs an older one). */
export const MESH_ENDPOINT_SINCE = '4.36.0';

/** The most domains we ask one peer about (brig stores at most 10 000 remotes). */
export const MAX_MESH_DOMAINS = 10_000;
/** Longest DNS name. */
const MAX_DOMAIN_LENGTH = 253;
/**
 * The largest answer read from a peer: every domain we asked about, quoted, with commas, and
 * room for the field name and whitespace. Anything longer is not a real brig's answer.
 */
export function maxAnswerBytes(asked: number): number {
  return 1024 + asked * (MAX_DOMAIN_LENGTH + 4);
}

/** The request body for the domains we ask about. */
export function meshRequestBody(domains: readonly string[]): string {
  return JSON.stringify({ domains: [...domains] });
}

/** What a peer's answer to the mesh query means. */
export const MESH_ANSWERS = defineCatalogue({
  answered: {
    level: 'info',
    description: "the peer's brig answered which of the domains asked about it does not federate with; the others it does",
    fix: 'the missing links name who must add whom',
  },
  'no-endpoint': {
    level: 'warning',
    description: `the peer's brig does not know ${MESH_RPC} (HTTP 404 without body): a wire-server before chart ${MESH_ENDPOINT_SINCE}; its links are unknown`,
    fix: "ask the peer's operator to upgrade wire-server; until then, ask which backends it federates with",
  },
  refused: {
    level: 'warning',
    description: "the peer's federator refused our call (e.g. `federation-denied`: it does not list us); its links to the others are unknown",
    fix: 'the side the message names acts (docs/troubleshooting.md lists the labels)',
  },
  unreachable: {
    level: 'warning',
    description: 'the peer could not be asked: no SRV record, no TLS connection, no answer in time; its links are unknown',
    fix: 'see the peer checks of `wire-federation verify --peers`',
  },
  untrusted: {
    level: 'warning',
    description: "the peer's server certificate does not verify against the CAs we trust for it, so its answer is not taken; its links are unknown",
    fix: "the peer's `caCertificates` (see the chain check of `verify --peers`)",
  },
  malformed: {
    level: 'warning',
    description: 'the answer is not the NonConnectedBackends JSON (wrong type, too large, a name that is not a domain); its links are unknown',
    fix: "something in front of the peer's federator answers in its place, or the peer runs a modified brig",
  },
});

/** The kinds of answer. */
export type MeshAnswerKind = keyof typeof MESH_ANSWERS;

/** A DNS name as wire-server's `Domain` accepts it, lowercase without trailing dot; undefined otherwise. */
export function parseDomain(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_DOMAIN_LENGTH + 1) return undefined;
  const name = value.replace(/\.$/, '').toLowerCase();
  if (name.length === 0 || name.length > MAX_DOMAIN_LENGTH) return undefined;
  const labels = name.split('.');
  if (labels.length < 2) return undefined;
  return labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) ? name : undefined;
}

/** The validated answer: the asked domains the peer does not federate with. */
export type ParsedMeshAnswer =
  | { readonly ok: true; readonly notConnected: readonly string[]; readonly field: 'non_connected_backends' | 'connected_backends' }
  | { readonly ok: false; readonly problem: string };

/**
 * Reads brig's answer. Hostile input: the peer chooses every byte. Only a JSON object with a
 * list of domains in `non_connected_backends` (or the pre-4.39 `connected_backends`) is taken;
 * each element must be a domain, and only domains we asked about count (the others are
 * reported as a problem, never used: metric labels and output name configured peers only).
 * Problems never quote the answer.
 */
export function parseMeshAnswer(body: string, asked: readonly string[]): ParsedMeshAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'the answer is not JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, problem: 'the answer is not a JSON object' };
  const object = json as Record<string, unknown>;
  const field = Object.hasOwn(object, 'non_connected_backends')
    ? 'non_connected_backends'
    : Object.hasOwn(object, 'connected_backends')
      ? 'connected_backends'
      : undefined;
  if (!field) return { ok: false, problem: 'the answer has no field non_connected_backends' };
  const list = object[field];
  if (!Array.isArray(list)) return { ok: false, problem: `${field} is not a list` };
  if (list.length > asked.length) return { ok: false, problem: `${field} names ${list.length} domains, more than the ${asked.length} asked about` };
  const askedSet = new Set(asked);
  const notConnected = new Set<string>();
  let strangers = 0;
  for (const item of list) {
    const domain = parseDomain(item);
    if (domain === undefined) return { ok: false, problem: `${field} holds an element that is not a domain name` };
    if (askedSet.has(domain)) notConnected.add(domain);
    else strangers++;
  }
  if (strangers > 0) return { ok: false, problem: `${field} names ${strangers} domain${strangers === 1 ? '' : 's'} we did not ask about` };
  return { ok: true, notConnected: asked.filter((d) => notConnected.has(d)), field };
}
