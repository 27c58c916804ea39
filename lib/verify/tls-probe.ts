/**
 * One TLS connection to a federator endpoint, the way a peer makes it: connect to an address,
 * send SNI, optionally present a client certificate, then send one HTTP/1.1 request and read the
 * answer. Records what happened; judging it is up to `tls-checks.ts`.
 *
 * The certificate is not rejected during the handshake (`rejectUnauthorized: false`): the
 * result carries OpenSSL's verdict (`authorized`, `authorizationError`) and the certificates, so
 * every problem can be reported, not just the first.
 */
import { X509Certificate } from 'node:crypto';
import type * as tls from 'node:tls';
import { TlsConnectOptions, TlsError, connectWithDeadline } from './tls-connect';

/** Where to connect and with what (`servername` is also the HTTP Host). */
export type TlsProbeOptions = TlsConnectOptions;

/** The HTTP answer to the probe's request. */
export interface ProbeResponse {
  readonly status: number;
  readonly statusText: string;
  /** First bytes of the body (at most 4 KiB). */
  readonly body: string;
}

/** What one probe saw. */
export interface TlsProbeResult {
  /** The TLS handshake completed (from the client's point of view). */
  readonly handshake: boolean;
  readonly protocol?: string;
  readonly peerCertificate?: X509Certificate;
  /** Further certificates the server sent (or OpenSSL found), leaf excluded. */
  readonly chain: readonly X509Certificate[];
  /** OpenSSL verified the chain against `ca`. */
  readonly authorized?: boolean;
  /** OpenSSL's reason when not authorized, e.g. `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`. */
  readonly authorizationError?: string;
  readonly response?: ProbeResponse;
  /** A socket or TLS error, and whether it came after the handshake. */
  readonly error?: TlsError;
  /** The probe hit its timeout in this phase. */
  readonly timedOut?: 'handshake' | 'response';
  /** The connection ended without any answer. */
  readonly closedWithoutAnswer?: boolean;
}

const MAX_BODY = 4096;

/** Connects, handshakes, sends `GET /` and reads the answer. Never rejects. */
export function probeTls(options: TlsProbeOptions): Promise<TlsProbeResult> {
  let peerCertificate: X509Certificate | undefined;
  let chain: X509Certificate[] = [];
  let received = Buffer.alloc(0);
  return connectWithDeadline<TlsProbeResult>(options, {
    setup: ({ socket, finish }) => {
      socket.on('data', (data: Buffer) => {
        received = Buffer.concat([received, data]);
        if (responseComplete(received)) finish();
      });
      socket.on('end', finish);
      socket.on('close', finish);
    },
    onSecure: ({ socket }) => {
      // One read of the chain; the leaf is parsed from its DER. Not getPeerX509Certificate():
      // every call keeps native memory that is never freed (about 5 KiB a probe, measured by
      // scripts/bench-tls-probe.ts), which an exporter probing peers for months cannot afford.
      const detailed = socket.getPeerCertificate(true);
      chain = issuerChain(detailed);
      peerCertificate = parseDer(detailed?.raw);
      socket.write(`GET / HTTP/1.1\r\nHost: ${options.servername}\r\nUser-Agent: wire-federation-verify\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
    },
    result: ({ handshake, protocol, authorized, authorizationError, error, timedOut }) => ({
      handshake,
      protocol,
      peerCertificate,
      chain,
      authorized,
      authorizationError,
      response: parseResponse(received),
      error,
      timedOut,
      closedWithoutAnswer: handshake && !error && !timedOut && received.length === 0,
    }),
  });
}

function parseDer(raw: Buffer | undefined): X509Certificate | undefined {
  if (!raw || raw.length === 0) return undefined;
  try {
    return new X509Certificate(raw);
  } catch {
    return undefined;
  }
}

function issuerChain(leaf: tls.DetailedPeerCertificate | undefined): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current = leaf;
  if (current?.fingerprint256) seen.add(current.fingerprint256);
  while (current?.issuerCertificate && !seen.has(current.issuerCertificate.fingerprint256)) {
    current = current.issuerCertificate;
    seen.add(current.fingerprint256);
    try {
      chain.push(new X509Certificate(current.raw));
    } catch {
      break;
    }
  }
  return chain;
}

function headEnd(buffer: Buffer): number {
  return buffer.indexOf('\r\n\r\n');
}

function responseComplete(buffer: Buffer): boolean {
  const end = headEnd(buffer);
  if (end < 0) return buffer.length > 64 * 1024;
  const head = buffer.subarray(0, end).toString('latin1');
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const body = buffer.length - end - 4;
  return body >= MAX_BODY || (length !== null && body >= Number(length[1]));
}

/** Parses the status line and the start of the body; undefined when nothing HTTP-like arrived. */
export function parseResponse(buffer: Buffer): ProbeResponse | undefined {
  const text = buffer.toString('latin1');
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})(?: ([^\r\n]*))?/.exec(text);
  if (!status) return undefined;
  const end = headEnd(buffer);
  const body = end < 0 ? '' : buffer.subarray(end + 4, end + 4 + MAX_BODY).toString('utf8');
  return { status: Number(status[1]), statusText: status[2] ?? '', body };
}
