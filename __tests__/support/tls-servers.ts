/**
 * TLS servers on 127.0.0.1 that behave like a federator ingress, for tests: they serve a given
 * certificate, optionally require a client certificate, and answer every HTTP request with 404.
 * Also a "black hole" (accepts TCP, never speaks TLS) and a closed port.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';

export interface FederatorServerOptions {
  /** Server certificate (with intermediates) and key, PEM. */
  readonly cert: string;
  readonly key: string;
  /**
   * How client certificates are handled:
   * - `tls`: required and verified in the handshake (TLS alert on failure), like a strict TLS server;
   * - `http`: requested, checked after the handshake, refusal as HTTP 400 (what nginx does);
   * - `none`: not requested.
   * @default 'tls'
   */
  readonly clientAuth?: 'tls' | 'http' | 'none';
  /** CAs trusted for client certificates. */
  readonly clientCa?: readonly string[];
  /** @default 'TLSv1.3' */
  readonly maxVersion?: tls.SecureVersion;
}

export interface TestServer {
  readonly port: number;
  close(): Promise<void>;
}

const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnot found\n';

function nginxRefusal(text: string): string {
  const body = `<html>\r\n<head><title>400 ${text}</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>${text}</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return `HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

async function listen(server: net.Server, sockets: Set<net.Socket>): Promise<TestServer> {
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Starts a TLS server that answers HTTP requests with 404 (after its client certificate policy). */
export function startFederatorServer(options: FederatorServerOptions): Promise<TestServer> {
  const mode = options.clientAuth ?? 'tls';
  const server = tls.createServer(
    {
      cert: options.cert,
      key: options.key,
      requestCert: mode !== 'none',
      rejectUnauthorized: mode === 'tls',
      ca: options.clientCa ? [...options.clientCa] : undefined,
      maxVersion: options.maxVersion ?? 'TLSv1.3',
    },
    (socket) => {
      socket.on('error', () => socket.destroy());
      let request = '';
      socket.on('data', (data: Buffer) => {
        request += data.toString('latin1');
        if (!request.includes('\r\n\r\n')) return;
        if (mode === 'http' && !socket.authorized) {
          const sent = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
          socket.end(nginxRefusal(sent ? 'The SSL certificate error' : 'No required SSL certificate was sent'));
        } else {
          socket.end(NOT_FOUND);
        }
      });
    },
  );
  server.on('tlsClientError', () => undefined);
  return listen(server, new Set());
}

/** Accepts TCP connections and never answers: a handshake against it times out. */
export function startBlackHole(): Promise<TestServer> {
  const server = net.createServer((socket) => socket.on('error', () => undefined));
  return listen(server, new Set());
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = await startBlackHole();
  const port = server.port;
  await server.close();
  return port;
}
