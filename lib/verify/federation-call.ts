/**
 * One real federation request, made the way a backend's federator makes it to a peer:
 * `POST https://<peer federator host>/federation/brig/api-version` with the header
 * `Wire-Origin-Domain: <our backend domain>`, the JSON body `[]` and our federator certificate
 * as client certificate. The peer's ingress checks the certificate against its client CAs and
 * passes it on to its federator, which checks that our domain is one of its remotes, looks up
 * our SRV record and compares the target with the names of the certificate, then forwards the
 * call to its brig, which answers the federation API versions it speaks.
 *
 * This module only records what happened (handshake, answer, error); judging it is up to
 * `federation-call-check.ts`. Plain Node (`node:tls`, `node:http`), HTTP/1.1: the federator itself speaks
 * HTTP/2, the ingress accepts both and answers the same.
 */
import * as http from 'node:http';
import { TlsError, connectWithDeadline } from './tls-connect';

/** The path of the version negotiation call (brig component, `api-version` RPC). */
export const API_VERSION_PATH = '/federation/brig/api-version';

/** Header that names the calling backend. */
export const ORIGIN_DOMAIN_HEADER = 'Wire-Origin-Domain';

export interface FederationCallOptions {
  /** IP address to connect to (what DNS gave for the SRV target). */
  readonly address: string;
  readonly port: number;
  /** The SRV target: SNI and HTTP Host, as the federator sends them. */
  readonly host: string;
  /** Our backend domain, sent in `Wire-Origin-Domain`. */
  readonly originDomain: string;
  /** Our federator certificate (PEM, may include intermediates) and its key. */
  readonly clientCertificate: { readonly cert: string; readonly key: string };
  /** CAs to judge the server certificate with (recorded, never enforced); undefined = Node's store. */
  readonly ca?: readonly string[];
  /** Whole call: connect, handshake, answer. */
  readonly timeoutMs: number;
  /** @default API_VERSION_PATH */
  readonly path?: string;
  /** The JSON request body. @default '[]' (the api-version call's empty argument) */
  readonly body?: string;
  /** Longest answer body kept; a longer one is cut and marked `truncated`. @default MAX_BODY */
  readonly maxBody?: number;
}

/** The HTTP answer. */
export interface CallResponse {
  readonly status: number;
  readonly statusText: string;
  /** `Content-Type` without parameters, lowercased; undefined when absent. */
  readonly contentType?: string;
  /** The `Server` header (e.g. `nginx`), when present. */
  readonly server?: string;
  /** The body (at most {@link MAX_BODY} bytes, UTF-8). */
  readonly body: string;
  /** The body was longer than the limit and was cut. */
  readonly truncated?: boolean;
}

/** What the call saw. */
export interface FederationCallResult {
  /** `host:port at address`, for messages. */
  readonly endpoint: string;
  readonly handshake: boolean;
  readonly protocol?: string;
  /** OpenSSL's verdict on the server certificate against `ca`. */
  readonly authorized?: boolean;
  readonly authorizationError?: string;
  readonly response?: CallResponse;
  /** A socket or TLS error, and whether it came after the handshake. */
  readonly error?: TlsError;
  /** The call hit its timeout in this phase. */
  readonly timedOut?: 'handshake' | 'response';
  readonly timeoutMs: number;
}

/** Longest body kept. Version lists and error objects are far smaller. */
export const MAX_BODY = 64 * 1024;

/**
 * How long to wait after a TLS 1.3 handshake for the server's verdict on our certificate before
 * sending the request. In TLS 1.3 the server checks the client certificate after the client
 * considers the handshake done: it answers a session ticket when it accepts it, an alert when
 * not. Waiting for either reports the alert itself instead of a reset connection.
 */
const TLS13_VERDICT_WAIT_MS = 200;

/** Makes the call. Never rejects. */
export function callFederator(options: FederationCallOptions): Promise<FederationCallResult> {
  const endpoint = `${options.host}:${options.port} at ${options.address}`;
  let response: CallResponse | undefined;
  let request: http.ClientRequest | undefined;
  return connectWithDeadline<FederationCallResult>(
    {
      address: options.address,
      port: options.port,
      servername: options.host,
      ca: options.ca,
      clientCertificate: options.clientCertificate,
      timeoutMs: options.timeoutMs,
    },
    {
      setup: ({ socket, state, finish }) => {
        // A server that refuses our certificate may just close the connection (no alert, no answer).
        socket.on('close', () =>
          setImmediate(() => {
            state.error ??= { code: 'ECLOSED', message: 'the connection was closed without an answer', afterHandshake: state.handshake };
            finish();
          }),
        );
      },
      onSecure: (connection) => {
        const { socket, state, finish, fail } = connection;
        let sent = false;
        const send = (): void => {
          if (sent || state.timedOut || state.error) return;
          sent = true;
          const body = options.body ?? '[]';
          request = http.request({
            createConnection: () => socket,
            method: 'POST',
            path: options.path ?? API_VERSION_PATH,
            headers: {
              Host: options.port === 443 ? options.host : `${options.host}:${options.port}`,
              [ORIGIN_DOMAIN_HEADER]: options.originDomain,
              'Content-Type': 'application/json',
              Accept: 'application/json',
              'Content-Length': String(Buffer.byteLength(body)),
              'User-Agent': 'wire-federation-verify',
              Connection: 'close',
            },
          });
          request.on('response', (res) => {
            const chunks: Buffer[] = [];
            let length = 0;
            const max = options.maxBody ?? MAX_BODY;
            res.on('data', (chunk: Buffer) => {
              if (length < max) chunks.push(chunk.subarray(0, max - length));
              length += chunk.length;
              // Nothing more is read from a peer that sends more than the limit.
              if (length > max) complete();
            });
            const complete = (): void => {
              const type = res.headers['content-type'];
              response = {
                status: res.statusCode ?? 0,
                statusText: res.statusMessage ?? '',
                contentType: type ? type.split(';')[0].trim().toLowerCase() : undefined,
                server: typeof res.headers.server === 'string' ? res.headers.server : undefined,
                body: Buffer.concat(chunks).toString('utf8'),
                ...(length > max ? { truncated: true } : {}),
              };
              finish();
            };
            res.on('end', complete);
            res.on('error', complete);
            res.on('aborted', complete);
          });
          request.on('error', fail);
          request.end(body);
        };
        if (state.protocol !== 'TLSv1.3') return send();
        socket.once('session', () => setImmediate(send));
        setTimeout(send, Math.min(TLS13_VERDICT_WAIT_MS, options.timeoutMs / 4)).unref();
      },
      beforeClose: () => request?.destroy(),
      result: ({ handshake, protocol, authorized, authorizationError, error, timedOut }) => ({
        endpoint,
        handshake,
        protocol,
        authorized,
        authorizationError,
        response,
        error,
        timedOut,
        timeoutMs: options.timeoutMs,
      }),
    },
  );
}
