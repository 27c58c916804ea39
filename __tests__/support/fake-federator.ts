/**
 * A fake of a peer backend's federation entry point, on 127.0.0.1, built from wire-server's code:
 *
 * - the INGRESS, as nginx-ingress-services renders it (charts/nginx-ingress-services/templates/
 *   ingress_federator.yaml): TLS with the federator certificate for one host, client
 *   certificates requested and checked against `tlsClientCA` AFTER the handshake
 *   (`auth-tls-verify-client: on`: nginx answers its HTML 400 pages "No required SSL certificate
 *   was sent" / "The SSL certificate error"), the verified certificate passed on URL-encoded in
 *   the header `X-SSL-Certificate` (`proxy_set_header "X-SSL-Certificate"
 *   $ssl_client_escaped_cert`, overwriting what the client sent), other hosts answered by the
 *   default backend (HTML 404), an unreachable federator answered with HTML 502;
 * - the FEDERATOR's external server (services/federator/src/Federator/ExternalServer.hs):
 *   route `/federation/<component>/<rpc>` and nothing after it (else 404 without body), headers
 *   `Wire-Origin-Domain` and `X-SSL-Certificate` required (plain-text 400 from servant when
 *   missing or unparsable), POST only and no query string (403 `invalid-endpoint`,
 *   Federator/Error/ServerError.hs), then `ensureCanFederateWith` and `validateDomain`
 *   (Federator/Validation.hs): strategy and remote list (400 `federation-denied`), SRV discovery
 *   of the origin domain through the test DNS server (Federator/Discovery.hs: no record → 422
 *   `invalid-domain`, DNS error → 400 `discovery-failure`), every SRV target compared with the
 *   certificate's DNS names, SAN or else CN, wildcards for one label (x509-validation's
 *   `validateCertificateName`; no match → 403 `authentication-failure` with the `NameMismatch`
 *   list in its message). Errors are JSON `{"code","label","message"}` (wai-utilities' Error);
 * - BRIG behind it (services/brig/src/Brig/API/Federation.hs `api-version`, and
 *   libs/wire-api-federation Wire/API/Federation/Version.hs `VersionInfo`): answers
 *   `{"supported":[0,1],"supported_versions":[...]}`; unknown brig RPCs are a 404 without body
 *   (services/federator/test/integration/Test/Federator/InwardSpec.hs);
 * - brig's `get-not-fully-connected-backends` (services/brig/src/Brig/API/Federation.hs
 *   `getFederationStatus`; types `DomainSet`/`NonConnectedBackends` in
 *   libs/wire-api-federation/src/Wire/API/Federation/API/Brig.hs, aeson `camelTo2 '_'` field
 *   names): `{"domains":[...]}` in, `{"non_connected_backends":[...]}` out = the asked domains
 *   that are not among its remotes, empty with strategy allowAll; a body that does not parse is
 *   servant's plain-text 400. Releases 4.36.0–4.38.0 named the field `connected_backends`
 *   (PR #3518); before 4.36.0 the RPC is unknown (404 without body).
 */
import { X509Certificate } from 'node:crypto';
import { promises as dns } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface FakeFederatorOptions {
  /** The federator infrastructure domain the ingress serves (config.dns.federator). */
  readonly host: string;
  /** Server certificate (with intermediates) and key of the ingress, PEM. */
  readonly cert: string;
  readonly key: string;
  /** CAs the ingress trusts for client certificates (`secrets.tlsClientCA`). */
  readonly clientCa: readonly string[];
  /** `ip:port` of the DNS server the federator discovers origin domains with. */
  readonly dnsServer: string;
  /** brig's federation strategy. @default 'allowDynamic' */
  readonly strategy?: 'allowNone' | 'allowDynamic' | 'allowAll';
  /** brig's remote domains. @default none */
  readonly remotes?: readonly string[];
  /** Federation API versions brig answers. @default [0, 1, 2, 3] */
  readonly versions?: readonly number[];
  /** The ingress passes the client certificate on (the configuration snippet works). @default true */
  readonly passCertificate?: boolean;
  /** The federator is down: the ingress answers its 502 page. @default false */
  readonly federatorDown?: boolean;
  /** Federation requests are never answered (a hanging federator). @default false */
  readonly hang?: boolean;
  /**
   * How brig answers `get-not-fully-connected-backends`: `current` (4.39.0 and later),
   * `legacy-field` (4.36.0–4.38.0: `connected_backends`), `no-endpoint` (before 4.36.0: 404
   * without body), or a hostile answer in brig's place (any status, body and type).
   * @default 'current'
   */
  readonly mesh?:
    | 'current'
    | 'legacy-field'
    | 'no-endpoint'
    | { readonly status: number; readonly body: string | Buffer; readonly contentType?: string; readonly delayMs?: number };
}

export interface FakeFederator {
  /** Port of the ingress (TLS). */
  readonly port: number;
  /** Requests the federator received: method, path, origin domain. */
  readonly requests: Array<{ method: string; path: string; originDomain?: string }>;
  /** The mesh queries brig received (past the federator's checks): origin domain and body. */
  readonly meshRequests: Array<{ originDomain?: string; body: string }>;
  close(): Promise<void>;
}

function nginxPage(status: number, title: string, extra?: string): { status: number; body: string } {
  const reason = http.STATUS_CODES[status] ?? '';
  const body = `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n${extra ? `<center>${extra}</center>\r\n` : ''}<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { status, body };
}

function sendHtml(res: http.ServerResponse, page: { status: number; body: string }): void {
  res.writeHead(page.status, { Server: 'nginx', 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page.body), Connection: 'close' });
  res.end(page.body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body);
}

/** wai-utilities' Error as JSON. */
function sendError(res: http.ServerResponse, status: number, label: string, message: string): void {
  sendJson(res, status, { code: status, label, message });
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain;charset=utf-8' });
  res.end(text);
}

/** x509-validation's `validateCertificateName`: the errors for one host name ([] = match). */
export function validateCertificateName(hostname: string, cert: X509Certificate): string[] {
  const fqhn = hostname.replace(/\.$/, '');
  const split = (n: string): string[] => n.toLowerCase().split('.');
  const san = [...(cert.subjectAltName ?? '').matchAll(/(?:^|,\s*)DNS:([^,]*)/g)].map((m) => m[1].trim());
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
  const candidates = san.length > 0 ? san : cn ? [cn] : [];
  if (candidates.length === 0) return ['NoCommonName'];
  const matchDomain = (l: string[]): string[] => {
    if (l.some((x) => x === '')) return [`InvalidName "${l.join('.')}"`];
    if (l[0] === '*') {
      const rest = l.slice(1);
      if (rest.length < 2) return ['InvalidWildcard'];
      return rest.join('.') === split(fqhn).slice(1).join('.') ? [] : [`NameMismatch "${fqhn}"`];
    }
    return l.join('.') === split(fqhn).join('.') ? [] : [`NameMismatch "${fqhn}"`];
  };
  return candidates.map((c) => matchDomain(split(c))).some((e) => e.length === 0) ? [] : [`NameMismatch "${fqhn}"`];
}

const RPC_CHARS = /^[A-Za-z0-9_-]+$/;
const COMPONENTS = new Set(['brig', 'galley', 'cargohold']);

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the federator (plain HTTP, internal) and the ingress in front of it (TLS). */
export async function startFakeFederator(options: FakeFederatorOptions): Promise<FakeFederator> {
  const requests: FakeFederator['requests'] = [];
  const meshRequests: FakeFederator['meshRequests'] = [];
  const strategy = options.strategy ?? 'allowDynamic';
  const remotes = (options.remotes ?? []).map((d) => d.toLowerCase());

  const federator = http.createServer((req, res) => {
    void handleFederator(req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Something went wrong');
      res.end();
    });
  });

  async function handleFederator(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://federator');
    const originDomain = req.headers['wire-origin-domain'] as string | undefined;
    requests.push({ method: req.method ?? '', path: url.pathname, originDomain });
    const body = await readBody(req);
    if (options.hang) return; // never answers
    // Route: /federation/<component>/<rpc> and nothing after it (servant Endpath); else 404.
    const m = /^\/federation\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!m) return sendText(res, 404, '');
    const [, component, rpc] = m;
    if (!COMPONENTS.has(component)) return sendText(res, 400, `Error parsing path parameter component failed: Invalid component: ${component}`);
    if (!RPC_CHARS.test(rpc)) return sendText(res, 400, 'Error parsing path parameter rpc failed: invalid-endpoint');
    if (originDomain === undefined) return sendText(res, 400, 'Header Wire-Origin-Domain is required');
    const certHeader = req.headers['x-ssl-certificate'] as string | undefined;
    if (certHeader === undefined) return sendText(res, 400, 'Header X-SSL-Certificate is required');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(decodeURIComponent(certHeader.replace(/\+/g, ' ')));
    } catch {
      return sendText(res, 400, 'Error parsing header X-SSL-Certificate failed: no certificate found');
    }
    if (req.method !== 'POST' || url.search !== '') return sendError(res, 403, 'invalid-endpoint', 'The requested endpoint does not exist');
    const origin = originDomain.toLowerCase();
    // ensureCanFederateWith
    const denied = (): void => sendError(res, 400, 'federation-denied', `origin domain [${origin}] not in the federation allow list`);
    if (strategy === 'allowNone' || (strategy === 'allowDynamic' && !remotes.includes(origin))) return denied();
    // validateDomain: discovery of every federator of the origin domain, then the names.
    const srvName = `_wire-server-federator._tcp.${origin}`;
    const resolver = new dns.Resolver({ timeout: 300, tries: 1 });
    resolver.setServers([options.dnsServer]);
    let targets: string[];
    try {
      targets = (await resolver.resolveSrv(srvName)).map((r) => r.name).filter((n) => n !== '' && n !== '.');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') return sendError(res, 422, 'invalid-domain', `srv record not found: ${srvName}`);
      return sendError(res, 400, 'discovery-failure', `DNS error: ${srvName}`);
    }
    if (targets.length === 0) return sendError(res, 422, 'invalid-domain', `srv record not found: ${srvName}`);
    const errors = targets.map((t) => validateCertificateName(t, cert));
    if (!errors.some((e) => e.length === 0)) {
      return sendError(
        res,
        403,
        'authentication-failure',
        `none of the domain names match the certificate, errors: [${errors.map((e) => `[${e.join(',')}]`).join(',')}]`,
      );
    }
    // Forwarded to the component.
    if (component === 'brig' && rpc === 'api-version') {
      if (body.trim() !== '[]') return sendText(res, 400, 'Error in $: parsing () failed');
      // The federator streams the component's answer (Federator/Response.hs, Wai.responseStream):
      // no Content-Length, chunked transfer encoding.
      const answer = JSON.stringify({ supported: [0, 1], supported_versions: options.versions ?? [0, 1, 2, 3] });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(answer.slice(0, 10));
      res.end(answer.slice(10));
      return;
    }
    if (component === 'brig' && rpc === 'get-not-fully-connected-backends') {
      meshRequests.push({ originDomain: origin, body: body.slice(0, 4096) });
      return notFullyConnected(res, body);
    }
    return sendText(res, 404, '');
  }

  /** brig's getFederationStatus (services/brig/src/Brig/API/Federation.hs). */
  function notFullyConnected(res: http.ServerResponse, body: string): void {
    const mode = options.mesh ?? 'current';
    if (mode === 'no-endpoint') return sendText(res, 404, '');
    if (typeof mode === 'object') {
      const send = (): void => {
        res.writeHead(mode.status, mode.contentType ? { 'Content-Type': mode.contentType } : {});
        res.end(mode.body);
      };
      if (mode.delayMs) setTimeout(send, mode.delayMs).unref();
      else send();
      return;
    }
    let domains: string[];
    try {
      const parsed = JSON.parse(body) as { domains?: unknown };
      if (!Array.isArray(parsed.domains) || !parsed.domains.every((d) => typeof d === 'string' && /^[a-z0-9.-]+$/i.test(d))) throw new Error('domains');
      domains = [...new Set((parsed.domains as string[]).map((d) => d.toLowerCase()))];
    } catch {
      return sendText(res, 400, 'Error in $: parsing Wire.API.Federation.API.Brig.DomainSet failed');
    }
    const notConnected = strategy === 'allowAll' ? [] : domains.filter((d) => !remotes.includes(d));
    sendJson(res, 200, { [mode === 'legacy-field' ? 'connected_backends' : 'non_connected_backends']: notConnected });
  }

  const federatorSockets = new Set<net.Socket>();
  federator.on('connection', (s) => {
    federatorSockets.add(s);
    s.on('close', () => federatorSockets.delete(s));
  });
  await new Promise<void>((resolve) => federator.listen(0, '127.0.0.1', () => resolve()));
  const federatorPort = (federator.address() as net.AddressInfo).port;

  const ingress = https.createServer(
    { cert: options.cert, key: options.key, ca: [...options.clientCa], requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      if (host !== options.host.toLowerCase()) return sendHtml(res, nginxPage(404, 'Not Found'));
      const peer = socket.getPeerX509Certificate();
      if (!peer) return sendHtml(res, nginxPage(400, 'No required SSL certificate was sent', 'No required SSL certificate was sent'));
      if (!socket.authorized) return sendHtml(res, nginxPage(400, 'The SSL certificate error', 'The SSL certificate error'));
      if (options.federatorDown) return sendHtml(res, nginxPage(502, 'Bad Gateway'));
      const headers: http.OutgoingHttpHeaders = { ...req.headers };
      delete headers['x-ssl-certificate'];
      if (options.passCertificate ?? true) headers['x-ssl-certificate'] = encodeURIComponent(peer.toString());
      const upstream = http.request({ host: '127.0.0.1', port: federatorPort, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => sendHtml(res, nginxPage(502, 'Bad Gateway')));
      req.pipe(upstream);
    },
  );
  ingress.on('tlsClientError', () => undefined);
  const ingressSockets = new Set<net.Socket>();
  ingress.on('connection', (s: net.Socket) => {
    ingressSockets.add(s);
    s.on('close', () => ingressSockets.delete(s));
  });
  await new Promise<void>((resolve) => ingress.listen(0, '127.0.0.1', () => resolve()));
  const port = (ingress.address() as net.AddressInfo).port;

  return {
    port,
    requests,
    meshRequests,
    close: async () => {
      for (const s of [...ingressSockets, ...federatorSockets]) s.destroy();
      await Promise.all([new Promise<void>((r) => ingress.close(() => r())), new Promise<void>((r) => federator.close(() => r()))]);
    },
  };
}
