/**
 * One DTLS 1.2 handshake with a coturn federation listener, the way a peer's coturn makes it:
 * UDP to an address and port, optionally presenting a client certificate. Records what happened;
 * judging it is up to `dtls-checks.ts`.
 *
 * Node has no DTLS in its standard library. The handshake is made by the `openssl s_client`
 * program (`-dtls1_2`), the same OpenSSL library coturn links for its federation listener, so the
 * handshake, the certificate verification and the alerts are OpenSSL's own (docs/verify-calling.md
 * says why no npm library was chosen). The program is started without a shell (arguments as an
 * array), killed at the deadline, and its output is read up to a bound and never logged: it
 * contains the session's master key. Our key and the certificates go to it as files in a private
 * temporary folder (mode 0700, files 0600), removed when the program ends: Node's child pipes
 * are sockets, which the program cannot open by path.
 *
 * Like the TLS probe, the server's certificate is not rejected during the handshake: the result
 * carries OpenSSL's verdict (`verifyCode`) and the certificates, so every problem can be reported.
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where to connect and with what. */
export interface DtlsProbeOptions {
  /** IP address to send to (no name resolution: peers give their coturn addresses). */
  readonly address: string;
  /** UDP port of the federation listener (coturn `federation-listening-port`, 9191). */
  readonly port: number;
  /** SNI: the coturn host (coturn ignores it; sent as a client library would). */
  readonly servername: string;
  /** Trusted CA PEMs for OpenSSL's verdict on the server's chain; undefined or empty: none (the verdict then fails). */
  readonly ca?: readonly string[];
  /** Client certificate (PEM, may include intermediates) and its key. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  /** The whole probe: start, handshake, exit. */
  readonly timeoutMs: number;
  /** The openssl program. @default - $WIRE_FEDERATION_OPENSSL, else `openssl` on the PATH */
  readonly openssl?: string;
}

/** A TLS alert: number and name (RFC 5246 section 7.2). */
export interface TlsAlert {
  readonly number: number;
  /** e.g. `certificate unknown`. */
  readonly description: string;
}

/** What one probe saw. */
export interface DtlsProbeResult {
  /** The handshake completed: the server accepted us (and our certificate, when presented). */
  readonly handshake: boolean;
  /** The server answered with its certificate: a DTLS server listens there. */
  readonly reachedServer: boolean;
  /** e.g. `DTLSv1.2`. */
  readonly protocol?: string;
  /** The negotiated cipher suite (OpenSSL name), when the handshake got that far. */
  readonly cipher?: string;
  readonly peerCertificate?: X509Certificate;
  /** Further certificates the server sent, leaf excluded. */
  readonly chain: readonly X509Certificate[];
  /** OpenSSL's verdict on the server's chain against `ca`: 0 is OK (X509_V_OK). */
  readonly verifyCode?: number;
  /** OpenSSL's text for a non-zero {@link verifyCode}, e.g. `unable to get local issuer certificate`. */
  readonly verifyError?: string;
  /** The server asked for a client certificate (a CertificateRequest). */
  readonly clientCertificateRequested: boolean;
  /** A fatal alert the server sent (it refused the handshake). */
  readonly alert?: TlsAlert;
  /** A socket or program error, e.g. `ECONNREFUSED` (an ICMP port unreachable), `OPENSSL_MISSING`. */
  readonly error?: { readonly code: string; readonly message: string };
  /** No verdict within the timeout (a UDP port that drops packets looks like this). */
  readonly timedOut: boolean;
}

/** The bound on what is read of the program's output (per stream). */
export const MAX_OUTPUT_BYTES = 256 * 1024;

/** Alert names by number (RFC 5246 section 7.2, RFC 8446 section 6). */
export const TLS_ALERTS: Readonly<Record<number, string>> = {
  0: 'close notify',
  10: 'unexpected message',
  20: 'bad record mac',
  22: 'record overflow',
  40: 'handshake failure',
  42: 'bad certificate',
  43: 'unsupported certificate',
  44: 'certificate revoked',
  45: 'certificate expired',
  46: 'certificate unknown',
  47: 'illegal parameter',
  48: 'unknown ca',
  49: 'access denied',
  50: 'decode error',
  51: 'decrypt error',
  70: 'protocol version',
  71: 'insufficient security',
  80: 'internal error',
  86: 'inappropriate fallback',
  90: 'user canceled',
  109: 'missing extension',
  110: 'unsupported extension',
  112: 'unrecognized name',
  116: 'certificate required',
};

const ERRNO_CODES: Readonly<Record<number, string>> = {
  101: 'ENETUNREACH',
  104: 'ECONNRESET',
  110: 'ETIMEDOUT',
  111: 'ECONNREFUSED',
  113: 'EHOSTUNREACH',
};

/** The openssl program the probes run. */
export function opensslProgram(given?: string): string {
  return given ?? process.env.WIRE_FEDERATION_OPENSSL ?? 'openssl';
}

/** Paths of the files a probe hands to the program. */
export interface ProbeFiles {
  readonly key: string;
  readonly cert: string;
  readonly ca: string;
}

/** The arguments of `openssl s_client` for a probe. */
export function sClientArguments(options: Pick<DtlsProbeOptions, 'address' | 'port' | 'servername' | 'ca' | 'clientCertificate'>, files: ProbeFiles): string[] {
  const host = options.address.includes(':') ? `[${options.address}]` : options.address;
  return [
    's_client',
    '-dtls1_2',
    // DTLS retransmission timers (without them, one lost datagram stalls the handshake).
    '-timeout',
    '-connect',
    `${host}:${options.port}`,
    '-servername',
    options.servername,
    '-showcerts',
    ...(options.ca && options.ca.length > 0 ? ['-CAfile', files.ca] : []),
    ...(options.clientCertificate ? ['-cert', files.cert, '-key', files.key] : []),
  ];
}

/** Runs one handshake. Never rejects. */
export function probeDtls(options: DtlsProbeOptions): Promise<DtlsProbeResult> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let spawnError: DtlsProbeResult['error'];
    let done = false;

    const dir = mkdtempSync(join(tmpdir(), 'wire-federation-dtls-'));
    const files: ProbeFiles = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem'), ca: join(dir, 'ca.pem') };
    const write = (path: string, text: string | undefined): void => {
      if (text !== undefined) writeFileSync(path, text, { mode: 0o600 });
    };
    write(files.key, options.clientCertificate?.key);
    write(files.cert, options.clientCertificate?.cert);
    write(files.ca, options.ca && options.ca.length > 0 ? options.ca.join('\n') : undefined);

    const child = spawn(opensslProgram(options.openssl), sClientArguments(options, files), {
      // stdin: nothing (s_client closes the connection when its input ends), stdout/stderr read.
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
      // Only PATH: the program needs nothing else of our environment (which may hold a key).
      env: { PATH: process.env.PATH ?? '' },
    });

    const finish = (exitCode: number | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      const parsed = parseSClientOutput(Buffer.concat(out).toString('latin1'), Buffer.concat(err).toString('latin1'), exitCode);
      resolve({ ...parsed, timedOut: timedOut && !parsed.handshake && !parsed.alert, ...(spawnError ? { error: spawnError } : {}) });
    };

    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);

    const collect = (into: Buffer[], which: 'out' | 'err') => (chunk: Buffer) => {
      const size = which === 'out' ? (outBytes += chunk.length) : (errBytes += chunk.length);
      if (size > MAX_OUTPUT_BYTES) {
        spawnError ??= { code: 'OUTPUT_TOO_LARGE', message: `openssl printed more than ${MAX_OUTPUT_BYTES} bytes` };
        child.kill('SIGKILL');
        return;
      }
      into.push(chunk);
    };
    child.stdout?.on('data', collect(out, 'out'));
    child.stderr?.on('data', collect(err, 'err'));
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError =
        e.code === 'ENOENT'
          ? { code: 'OPENSSL_MISSING', message: `the openssl program was not found (${opensslProgram(options.openssl)})` }
          : { code: e.code ?? 'SPAWN_ERROR', message: e.message };
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads the output of `openssl s_client -showcerts` (OpenSSL 1.1 and 3.x): the certificate chain,
 * whether a client certificate was requested, the verify result, the alert the server sent and
 * socket errors. The master key it also prints is never kept.
 */
export function parseSClientOutput(stdout: string, stderr: string, exitCode: number | null): Omit<DtlsProbeResult, 'timedOut'> {
  const chainSection = /Certificate chain\n([\s\S]*?)\n---\n/.exec(stdout)?.[1] ?? '';
  const certificates: X509Certificate[] = [];
  for (const pem of chainSection.match(PEM) ?? []) {
    try {
      certificates.push(new X509Certificate(pem));
    } catch {
      // an unreadable certificate is left out; the chain check reports what is missing
    }
  }
  const alertMatch = /alert ([a-z ]+?):[^\n]*SSL alert number (\d+)/i.exec(stderr) ?? /SSL alert number (\d+)/.exec(stderr);
  const alertNumber = alertMatch ? Number(alertMatch[alertMatch.length - 1]) : undefined;
  const alert =
    alertNumber !== undefined
      ? { number: alertNumber, description: TLS_ALERTS[alertNumber] ?? (alertMatch && alertMatch.length > 2 ? alertMatch[1].trim() : `alert ${alertNumber}`) }
      : undefined;
  const errno = /(?:write|read|connect):errno=(\d+)/.exec(stderr) ?? /(?:write|read|connect):errno=(\d+)/.exec(stdout);
  const error = errno ? { code: ERRNO_CODES[Number(errno[1])] ?? `ERRNO_${errno[1]}`, message: `errno ${errno[1]}` } : undefined;
  const verify = /Verify return code: (\d+) \(([^)]*)\)/.exec(stdout);
  const cipher = /Cipher is ([A-Za-z0-9_-]+)/.exec(stdout)?.[1];
  const protocol = /Protocol\s*: (\S+)/.exec(stdout)?.[1];
  const peerCertificate = certificates[0];
  const handshake = exitCode === 0 && alert === undefined && error === undefined && peerCertificate !== undefined;
  return {
    handshake,
    reachedServer: peerCertificate !== undefined || alert !== undefined,
    ...(protocol && protocol !== '' ? { protocol } : {}),
    ...(cipher && cipher !== '(NONE)' && cipher !== '0000' ? { cipher } : {}),
    ...(peerCertificate ? { peerCertificate } : {}),
    chain: certificates.slice(1),
    ...(verify && peerCertificate ? { verifyCode: Number(verify[1]), ...(verify[1] !== '0' ? { verifyError: verify[2] } : {}) } : {}),
    clientCertificateRequested: /^Client Certificate Types:/m.test(stdout),
    ...(alert ? { alert } : {}),
    ...(error ? { error } : {}),
  };
}
