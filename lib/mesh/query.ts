/**
 * Asks one peer the mesh question, the way our federator (and galley behind it) asks: find the
 * peer's federator through its SRV record, then `POST /federation/brig/get-not-fully-connected-backends`
 * with our federator certificate, `Wire-Origin-Domain: <our domain>` and `{"domains": [...]}`
 * (the same call code as verify's federation call, `lib/verify/federation-call.ts`).
 *
 * The peer's federator checks us as for any federated call (services/federator
 * ExternalServer.hs `callInward`: POST only, no query string, our domain in its remotes, our SRV
 * target covered by our certificate) and passes the body to its brig, whose answer comes back
 * unchanged. Everything but a validated answer makes the peer's links "unknown", never
 * "connected".
 */
import { federatorSrvName, normalizeDnsName } from '../core/names';
import { preferredSrv } from '../verify/dns-checks';
import { DnsLookupOptions, describeNone, lookupAddresses, lookupSrv } from '../verify/dns-lookup';
import { FederationCallResult, callFederator } from '../verify/federation-call';
import { judgeFederationCall, sanitize } from '../verify/federation-call-check';
import { ClientCertificate, leafOf } from '../verify/verify';
import { MESH_ENDPOINT_SINCE, MESH_PATH, MESH_RPC, MeshAnswerKind, maxAnswerBytes, meshRequestBody, parseMeshAnswer } from './protocol';

/** One peer's answer, judged. */
export interface PeerMeshAnswer {
  /** The peer asked. */
  readonly peer: string;
  readonly kind: MeshAnswerKind;
  /** The domains asked about. */
  readonly asked: readonly string[];
  /** With `answered`: the asked domains the peer does not federate with (the others it does). */
  readonly notConnected?: readonly string[];
  /**
   * Whether the peer accepted our call, i.e. lists our domain in its remotes: true when it
   * answered, false when its federator said `federation-denied`, undefined when we cannot tell.
   */
  readonly acceptsUs?: boolean;
  /** One line: what happened (the peer's text sanitized and shortened). */
  readonly message: string;
  /** What to do about it, for anything but `answered`. */
  readonly hint?: string;
  /** HTTP status of the answer, when there was one. */
  readonly httpStatus?: number;
  /** The federator's refusal label (sanitized), with `refused`. */
  readonly label?: string;
  /** The answer used the pre-4.39 field name `connected_backends`. */
  readonly legacyField?: boolean;
  /** Milliseconds the query took. */
  readonly durationMs: number;
}

/** How one peer is asked. */
export interface MeshQueryContext {
  /** Our backend domain: the call's origin. */
  readonly originDomain: string;
  /** Our federator certificate and key. */
  readonly clientCertificate: ClientCertificate;
  /**
   * The CAs the peer's server certificate must verify against (what our federator trusts for
   * it); an answer over a connection that does not verify is not taken.
   */
  readonly trust: readonly string[];
  readonly dns: DnsLookupOptions;
  /** For the whole query: DNS lookups and the call. */
  readonly timeoutMs: number;
}

/** Asks `peer` which of `others` it does not federate with. Never rejects. */
export async function queryPeerMesh(peer: string, others: readonly string[], context: MeshQueryContext): Promise<PeerMeshAnswer> {
  const began = Date.now();
  const asked = [...others];
  const answer = (kind: MeshAnswerKind, message: string, extra: Partial<PeerMeshAnswer> = {}): PeerMeshAnswer => ({
    peer,
    kind,
    asked,
    message,
    ...extra,
    durationMs: Date.now() - began,
  });
  const srvName = federatorSrvName(peer);
  const srv = await lookupSrv(srvName, context.dns);
  if (srv.kind !== 'records') {
    return answer(
      'unreachable',
      srv.kind === 'none' ? `no SRV record ${srvName}: ${describeNone(srv.reason, 'SRV')}` : `SRV lookup of ${srvName} failed: ${srv.message} (${srv.code})`,
      {
        hint: `see the srv check of wire-federation verify --peers for ${peer}`,
      },
    );
  }
  const record = preferredSrv(srv.records);
  if (!record) return answer('unreachable', `${srvName} has no usable target: ${peer} does not offer federation`);
  const target = normalizeDnsName(record.name);
  const [a, aaaa] = await Promise.all([lookupAddresses(target, 4, context.dns), lookupAddresses(target, 6, context.dns)]);
  const address = [...(a.kind === 'records' ? a.records : []), ...(aaaa.kind === 'records' ? aaaa.records : [])][0];
  if (!address)
    return answer('unreachable', `${target} (the SRV target of ${peer}) has no address`, {
      hint: `see the srv check of wire-federation verify --peers for ${peer}`,
    });
  const remaining = Math.max(1, context.timeoutMs - (Date.now() - began));
  const result = await callFederator({
    address,
    port: record.port,
    host: target,
    originDomain: context.originDomain,
    clientCertificate: context.clientCertificate,
    ca: context.trust,
    timeoutMs: remaining,
    path: MESH_PATH,
    body: meshRequestBody(asked),
    maxBody: maxAnswerBytes(asked.length),
  });
  return { ...judgeMeshCall(peer, asked, result, context), durationMs: Date.now() - began };
}

/** Judges the call's outcome. Pure. */
export function judgeMeshCall(
  peer: string,
  asked: readonly string[],
  result: FederationCallResult,
  context: Pick<MeshQueryContext, 'originDomain' | 'clientCertificate'>,
): PeerMeshAnswer {
  const base = { peer, asked, durationMs: 0 };
  const r = result.response;
  if (r && r.status >= 200 && r.status < 300 && result.authorized === false) {
    return {
      ...base,
      kind: 'untrusted',
      acceptsUs: true,
      httpStatus: r.status,
      message: `${peer} answered, but its server certificate does not verify against the CAs we trust for it (${sanitize(result.authorizationError ?? 'unknown reason', 80)}): the answer is not taken`,
      hint: `add the CA that signed ${peer}'s federator certificate to its caCertificates (see the chain check of wire-federation verify --peers)`,
    };
  }
  if (r && r.status >= 200 && r.status < 300) {
    if (r.truncated) {
      return {
        ...base,
        kind: 'malformed',
        acceptsUs: true,
        httpStatus: r.status,
        message: `${peer} answered more than ${maxAnswerBytes(asked.length)} bytes: not a real brig's answer, not taken`,
        hint: `ask ${peer}'s operator what answers ${MESH_PATH} in place of brig`,
      };
    }
    const parsed = parseMeshAnswer(r.body, asked);
    if (!parsed.ok) {
      return {
        ...base,
        kind: 'malformed',
        acceptsUs: true,
        httpStatus: r.status,
        message: `${peer} answered HTTP ${r.status}, but ${parsed.problem}: not taken`,
        hint: `ask ${peer}'s operator what answers ${MESH_PATH} in place of brig`,
      };
    }
    const n = parsed.notConnected.length;
    return {
      ...base,
      kind: 'answered',
      acceptsUs: true,
      httpStatus: r.status,
      notConnected: parsed.notConnected,
      ...(parsed.field === 'connected_backends' ? { legacyField: true } : {}),
      message: `${peer} federates with ${asked.length - n} of the ${asked.length} other backend${asked.length === 1 ? '' : 's'}${n > 0 ? `; not with ${parsed.notConnected.join(', ')}` : ''}`,
    };
  }
  // brig before 4.36.0: the RPC is unknown, its 404 has no body (the federator passes it on).
  if (r && r.status === 404 && r.body.trim() === '' && r.contentType !== 'text/html') {
    return {
      ...base,
      kind: 'no-endpoint',
      acceptsUs: true,
      httpStatus: 404,
      message: `${peer}'s federator accepted us, but its brig does not know ${MESH_RPC} (HTTP 404 without body): wire-server before chart ${MESH_ENDPOINT_SINCE}`,
      hint: `ask ${peer}'s operator to upgrade wire-server (galley's full-mesh check cannot ask it either); until then its links are unknown`,
    };
  }
  // Everything else in the words of verify's federation call (refusal labels, TLS, ingress pages).
  const verdict = judgeFederationCall(result, {
    id: `peer[${peer}].federation.call`,
    caller: { name: context.originDomain, domain: context.originDomain },
    callee: { name: peer, domain: peer },
    callerCertificate: leafOf(context.clientCertificate.cert),
    callerCertificateOrigin: context.clientCertificate.origin,
  });
  const details = (verdict.details ?? {}) as { label?: string; httpStatus?: number; component?: string };
  const label = details.label;
  const message = verdict.message.replace(/api-version/g, MESH_RPC);
  if (label !== undefined) {
    return {
      ...base,
      kind: 'refused',
      acceptsUs: label === 'federation-denied' ? false : undefined,
      httpStatus: details.httpStatus,
      label,
      message,
      hint: verdict.hint,
    };
  }
  // No answer, or one from the network, TLS or the ingress in front of the federator: unreachable.
  const kind = r && (details.component === 'federator' || details.component === 'brig') ? 'malformed' : 'unreachable';
  return { ...base, kind, ...(r ? { httpStatus: r.status } : {}), message, hint: verdict.hint };
}
