/**
 * From inside the cluster: our galley's own answer to the mesh question, through its internal
 * API (port 8080, not exposed through nginz). libs/wire-api/src/Wire/API/Routes/Internal/Galley.hs
 * `get-federation-status`: `GET /i/federation-status` with a `Z-User` header (any local user id:
 * services/galley/src/Galley/API/Internal.hs ignores it, `const getFederationStatus`) and the
 * JSON body `RemoteDomains` `{"domains": [...]}`; the answer is `FederationStatus`
 * (libs/wire-api/src/Wire/API/FederationStatus.hs): `{"status": "fully-connected"}` or
 * `{"status": "non-fully-connected", "not_connected": [a, b]}` with the FIRST pair found only;
 * a remote galley cannot reach is HTTP 533 `{"unreachable_backends": [...]}`
 * (libs/wire-api/src/Wire/API/Error/Galley.hs `UnreachableBackends`). galley asks each remote
 * domain through our federator, the same query as ./query.ts.
 */
import * as http from 'node:http';
import { sanitize } from '../verify/federation-call-check';
import { parseDomain } from './protocol';

/** The path of galley's internal federation status. */
export const GALLEY_FEDERATION_STATUS_PATH = '/i/federation-status';
/** The user id sent in `Z-User` (galley does not look at it). */
export const GALLEY_Z_USER = '00000000-0000-0000-0000-000000000000';
const MAX_GALLEY_BODY = 64 * 1024;

/** galley's verdict. */
export type GalleyFederationStatus =
  | { readonly kind: 'fully-connected' }
  | { readonly kind: 'non-fully-connected'; readonly pair: readonly [string, string] }
  | { readonly kind: 'unreachable-backends'; readonly backends: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

/** Reads galley's answer (bounded, validated; domains outside `asked` are not reported by name). */
export function parseGalleyAnswer(status: number, body: string, asked: readonly string[]): GalleyFederationStatus {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'error', message: `galley answered HTTP ${status}, not JSON (${sanitize(body, 80)})` };
  }
  const o = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const known = (v: unknown): string | undefined => {
    const d = parseDomain(v);
    return d !== undefined && asked.includes(d) ? d : undefined;
  };
  if (status === 533 && Array.isArray(o.unreachable_backends)) {
    const backends = o.unreachable_backends.map(known).filter((d): d is string => d !== undefined);
    return { kind: 'unreachable-backends', backends };
  }
  if (status === 200 && o.status === 'fully-connected') return { kind: 'fully-connected' };
  if (status === 200 && o.status === 'non-fully-connected' && Array.isArray(o.not_connected) && o.not_connected.length === 2) {
    const [a, b] = o.not_connected.map(known);
    if (a && b) return { kind: 'non-fully-connected', pair: [a, b] };
  }
  const label = typeof o.label === 'string' ? ` ${sanitize(o.label, 60)}` : '';
  return { kind: 'error', message: `galley answered HTTP ${status}${label}, not a federation status` };
}

/** Asks our galley. Never rejects. */
export function askGalleyFederationStatus(options: {
  readonly url: string;
  readonly domains: readonly string[];
  readonly timeoutMs: number;
}): Promise<GalleyFederationStatus> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(GALLEY_FEDERATION_STATUS_PATH, options.url);
    } catch {
      resolve({ kind: 'error', message: `not a URL: ${sanitize(options.url, 80)}` });
      return;
    }
    if (url.protocol !== 'http:') {
      resolve({ kind: 'error', message: `galley's internal API speaks http, not ${sanitize(url.protocol, 20)}` });
      return;
    }
    const body = JSON.stringify({ domains: options.domains });
    const request = http.request(url, {
      method: 'GET',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'Z-User': GALLEY_Z_USER, Accept: 'application/json' },
      timeout: options.timeoutMs,
    });
    const timer = setTimeout(() => {
      request.destroy();
      resolve({ kind: 'error', message: `galley did not answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > MAX_GALLEY_BODY) {
          clearTimeout(timer);
          request.destroy();
          resolve({ kind: 'error', message: `galley answered more than ${MAX_GALLEY_BODY} bytes` });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve(parseGalleyAnswer(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), options.domains));
      });
    });
    request.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ kind: 'error', message: `cannot reach galley at ${url.origin}: ${e.code ?? sanitize(e.message, 80)}` });
    });
    request.end(body);
  });
}

/** One line for the mesh report. */
export function describeGalleyStatus(status: GalleyFederationStatus): string {
  switch (status.kind) {
    case 'fully-connected':
      return 'galley (inside the cluster) says: fully connected';
    case 'non-fully-connected':
      return `galley (inside the cluster) says: NOT fully connected, the first pair it found: ${status.pair[0]} does not federate with ${status.pair[1]}`;
    case 'unreachable-backends':
      return `galley (inside the cluster) could not reach: ${status.backends.join(', ') || 'backends it did not name'}`;
    case 'error':
      return `galley (inside the cluster): ${status.message}`;
  }
}
