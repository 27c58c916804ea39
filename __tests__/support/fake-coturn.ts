/**
 * A fake coturn federation listener (DTLS 1.2, mutual authentication, coturn's whitelist) on
 * 127.0.0.1, started and stopped by the tests: `fake-coturn.py` beside this file, which models
 * wireapp/coturn's `federation.c` (see its header). Needs `openssl` (the probe's client) and a
 * Python 3 with pyOpenSSL (Debian: python3-openssl); tests skip visibly without them.
 *
 * The UDP port is chosen by the operating system (bind to port 0) and reported by the fake, so
 * two tests never race for a port.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { systemBinary } from './test-tools';

const SCRIPT = join(__dirname, 'fake-coturn.py');

/** One handshake outcome the fake reports. */
export interface FakeCoturnEvent {
  readonly event: 'accepted' | 'refused';
  /** The client's UDP port. */
  readonly client: number;
  /** Why a handshake was refused: `chain` (OpenSSL's verification), `whitelist`, `issuer`, `handshake` (e.g. no certificate). */
  readonly reason?: 'chain' | 'whitelist' | 'issuer' | 'handshake';
}

export interface FakeCoturnOptions {
  /** Server certificate chain (PEM) and key: also what this coturn would present to peers. */
  readonly cert: string;
  readonly key: string;
  /** CA bundle (PEM) of the peers (`CA-file`). Without it, coturn verifies no client certificate. */
  readonly ca?: string;
  /** `federation-remote-whitelist` entries: `host` or `host,issuer CN`. @default - none (any verified client) */
  readonly whitelist?: readonly string[];
  /** The fake exits by itself after this many seconds. @default 60 */
  readonly lifetimeSeconds?: number;
}

export interface FakeCoturn {
  readonly port: number;
  /** Handshake outcomes so far. */
  readonly events: readonly FakeCoturnEvent[];
  stop(): Promise<void>;
}

let python: string | null | undefined;

/** A Python 3 with pyOpenSSL (DTLS), or undefined. */
export function pythonWithPyOpenSsl(): string | undefined {
  if (python !== undefined) return python ?? undefined;
  python = null;
  for (const candidate of ['/usr/bin/python3', systemBinary('python3')]) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-c', 'from OpenSSL import SSL; SSL.DTLS_METHOD'], { stdio: 'ignore', timeout: 15_000 });
      python = candidate;
      break;
    } catch {
      // next candidate
    }
  }
  return python ?? undefined;
}

/** Why the fake cannot run here, or undefined when it can. */
export function fakeCoturnUnavailable(): string | undefined {
  if (!systemBinary('openssl')) return 'no openssl on PATH (Debian: apt-get install openssl)';
  if (!pythonWithPyOpenSsl()) return 'no Python 3 with pyOpenSSL (Debian: apt-get install python3-openssl)';
  return undefined;
}

/** Starts the fake; resolves when it listens. */
export async function startFakeCoturn(options: FakeCoturnOptions): Promise<FakeCoturn> {
  const interpreter = pythonWithPyOpenSsl();
  if (!interpreter) throw new Error('fake coturn: no Python 3 with pyOpenSSL');
  const dir = mkdtempSync(join(tmpdir(), 'fake-coturn-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  const args = [SCRIPT, '--cert', file('cert.pem', options.cert), '--key', file('key.pem', options.key), '--lifetime', String(options.lifetimeSeconds ?? 60)];
  if (options.ca) args.push('--ca', file('ca.pem', options.ca));
  for (const entry of options.whitelist ?? []) args.push('--whitelist', entry);
  const child: ChildProcess = spawn(interpreter, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: FakeCoturnEvent[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 16_384) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fake coturn did not start within 20 s: ${stderr}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fake coturn exited (${code}): ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let message: { port?: number } & Partial<FakeCoturnEvent>;
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      if (message.port !== undefined) {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.event) {
        events.push({ event: message.event, client: message.client ?? 0, ...(message.reason ? { reason: message.reason } : {}) });
      }
    });
  });
  return {
    port,
    events,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A UDP port on 127.0.0.1 where nothing listens (bound by the OS, then released). */
export async function closedUdpPort(): Promise<number> {
  const dgram = await import('node:dgram');
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
