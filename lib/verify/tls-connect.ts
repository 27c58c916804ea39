/**
 * One TLS connection to a federator endpoint with a deadline, as both the probe (`tls-probe.ts`)
 * and the federation call (`federation-call.ts`) make it: connect to an address with SNI,
 * optionally present a client certificate, record the handshake, OpenSSL's verdict on the server
 * certificate, the first socket error and the phase a timeout hit. The certificate is never
 * rejected during the handshake (`rejectUnauthorized: false`): every problem is reported, not
 * just the first. Plain Node.
 */
import * as tls from 'node:tls';
import { secureContextFor } from './secure-context';

/** Where to connect and with what. */
export interface TlsConnectOptions {
  /** IP address (or host name) to connect to. */
  readonly address: string;
  readonly port: number;
  /** SNI. */
  readonly servername: string;
  /** Trusted CA PEMs (recorded verdict, never enforced); undefined = Node's default store. */
  readonly ca?: readonly string[];
  /** Client certificate (PEM, may include intermediates) and its key. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  /** The whole exchange: connect, handshake and answer. */
  readonly timeoutMs: number;
}

/** A socket or TLS error, and whether it came after the handshake. */
export interface TlsError {
  readonly code: string;
  readonly message: string;
  readonly afterHandshake: boolean;
}

/** What the connection saw so far. */
export interface TlsConnectState {
  /** The TLS handshake completed (from the client's point of view). */
  handshake: boolean;
  protocol?: string;
  /** OpenSSL verified the chain against `ca`. */
  authorized?: boolean;
  /** OpenSSL's reason when not authorized, e.g. `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`. */
  authorizationError?: string;
  error?: TlsError;
  /** The deadline passed in this phase. */
  timedOut?: 'handshake' | 'response';
}

/** The open connection, for the exchange on top of it. */
export interface TlsConnection {
  readonly socket: tls.TLSSocket;
  readonly state: TlsConnectState;
  /** Records `e` (unless an error was recorded before) and finishes. */
  readonly fail: (e: NodeJS.ErrnoException) => void;
  /** Ends the exchange (once): closes the socket and resolves. */
  readonly finish: () => void;
}

/** What the exchange on top of the connection does. */
export interface TlsExchange<R> {
  /** Sets up listeners right after connecting (data, end, close). @default - none */
  readonly setup?: (connection: TlsConnection) => void;
  /** After the handshake (the state has the protocol and OpenSSL's verdict). */
  readonly onSecure: (connection: TlsConnection) => void;
  /** Before the socket is destroyed at the end (e.g. destroy a request on it). @default - nothing */
  readonly beforeClose?: () => void;
  /** The result, from the final state. */
  readonly result: (state: Readonly<TlsConnectState>) => R;
}

/**
 * A TLS alert from the server (OpenSSL's `ERR_SSL_…` codes): the connection reached a TLS server,
 * which refused the handshake (e.g. our client certificate).
 */
export function isTlsAlert(code: string | undefined): boolean {
  return code !== undefined && /^ERR_SSL_/.test(code);
}

/** The connection reached a TLS server: it completed the handshake, or the server answered with a TLS alert. */
export function reachedTlsServer(result: Pick<TlsConnectState, 'handshake' | 'error'>): boolean {
  return result.handshake || isTlsAlert(result.error?.code);
}

/** Connects with the deadline and runs `exchange` on the connection. Never rejects. */
export function connectWithDeadline<R>(options: TlsConnectOptions, exchange: TlsExchange<R>): Promise<R> {
  return new Promise((resolve) => {
    const state: TlsConnectState = { handshake: false };
    let done = false;
    const socket = tls.connect({
      host: options.address,
      port: options.port,
      servername: options.servername,
      secureContext: secureContextFor(options.ca, options.clientCertificate),
      rejectUnauthorized: false,
      // Host names are checked separately (tls.san); OpenSSL judges the chain only.
      checkServerIdentity: () => undefined,
    });
    const connection: TlsConnection = {
      socket,
      state,
      fail: (e) => {
        state.error ??= { code: e.code ?? 'ERROR', message: e.message.split('\n')[0], afterHandshake: state.handshake };
        connection.finish();
      },
      finish: () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        exchange.beforeClose?.();
        socket.destroy();
        resolve(exchange.result(state));
      },
    };
    const timer = setTimeout(() => {
      state.timedOut = state.handshake ? 'response' : 'handshake';
      connection.finish();
    }, options.timeoutMs);
    socket.once('secureConnect', () => {
      state.handshake = true;
      state.protocol = socket.getProtocol() ?? undefined;
      state.authorized = socket.authorized;
      state.authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
      exchange.onSecure(connection);
    });
    socket.on('error', connection.fail);
    exchange.setup?.(connection);
  });
}
