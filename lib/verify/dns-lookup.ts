/**
 * DNS lookups for the verifier, on c-ares (`node:dns` `Resolver`): every query goes to the
 * configured servers (the system's, or `--dns-server`), never through /etc/hosts, and each one
 * is bounded by a timeout.
 */
import { promises as dnsPromises } from 'node:dns';
import { isIP } from 'node:net';

/** Where and how long to ask. */
export interface DnsLookupOptions {
  /** `ip`, `ip:port` or `[ipv6]:port`; undefined = the system's DNS servers. */
  readonly server?: string;
  readonly timeoutMs: number;
}

/** An SRV record as the resolver returns it. */
export interface SrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  /** As received; may carry a trailing dot depending on the resolver. */
  readonly name: string;
}

/**
 * Outcome of one lookup: records, a definite "nothing there" (`nxdomain`: the name does not
 * exist; `nodata`: it exists without records of the type), or an error (timeout, refused…).
 */
export type LookupResult<T> =
  | { readonly kind: 'records'; readonly records: readonly T[] }
  | { readonly kind: 'none'; readonly reason: 'nxdomain' | 'nodata' }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/**
 * Checks a `--dns-server` value: an IP address with an optional port (`127.0.0.1:5353`,
 * `[::1]:53`, `::1`).
 * @returns the value for `Resolver#setServers`, or a reason when invalid
 */
export function parseDnsServer(text: string): { server: string } | { error: string } {
  const value = text.trim();
  let host = value;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) {
    host = bracketed[1];
    port = bracketed[2];
  } else if (isIP(value) === 0 && value.includes(':') && value.indexOf(':') === value.lastIndexOf(':')) {
    [host, port] = value.split(':');
  }
  const family = isIP(host);
  if (family === 0) return { error: 'must be an IP address with an optional port, e.g. 127.0.0.1:5353 or [::1]:53' };
  if (port !== undefined) {
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65535) return { error: 'has an invalid port: it must be between 1 and 65535' };
  }
  const server = port === undefined ? host : family === 6 ? `[${host}]:${port}` : `${host}:${port}`;
  return { server };
}

const NONE_CODES: Readonly<Record<string, 'nxdomain' | 'nodata'>> = {
  ENOTFOUND: 'nxdomain',
  ENODATA: 'nodata',
};

const ERROR_TEXT: Readonly<Record<string, string>> = {
  ETIMEOUT: 'no answer from the DNS server',
  ECONNREFUSED: 'the DNS server refused the connection',
  ESERVFAIL: 'the DNS server answered SERVFAIL (server failure)',
  EREFUSED: 'the DNS server refused the query',
  EFORMERR: 'the DNS server reported a malformed query',
  EBADRESP: 'the DNS server sent a malformed answer',
  ECANCELLED: 'the query was cancelled',
};

async function lookup<T>(options: DnsLookupOptions, run: (r: dnsPromises.Resolver) => Promise<T[]>): Promise<LookupResult<T>> {
  // One resolver per query, so a timeout cancels this query only. Two tries (a lost UDP packet
  // is retried), each with half of the time; the timer below bounds the whole lookup.
  const resolver = new dnsPromises.Resolver({ timeout: Math.max(50, Math.floor(options.timeoutMs / 2)), tries: 2 });
  if (options.server) resolver.setServers([options.server]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LookupResult<T>>((resolve) => {
    timer = setTimeout(() => {
      resolver.cancel();
      resolve({ kind: 'error', code: 'ETIMEOUT', message: `${ERROR_TEXT.ETIMEOUT} within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
  });
  const query = run(resolver).then(
    (records): LookupResult<T> => (records.length === 0 ? { kind: 'none', reason: 'nodata' } : { kind: 'records', records }),
    (e: NodeJS.ErrnoException): LookupResult<T> => {
      const code = e.code ?? 'ERROR';
      const none = NONE_CODES[code];
      if (none) return { kind: 'none', reason: none };
      const text = ERROR_TEXT[code] ?? e.message;
      return { kind: 'error', code, message: code === 'ETIMEOUT' ? `${text} within ${options.timeoutMs} ms` : text };
    },
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** SRV records of `name`. */
export function lookupSrv(name: string, options: DnsLookupOptions): Promise<LookupResult<SrvRecord>> {
  return lookup(options, (r) => r.resolveSrv(name));
}

/** A (family 4) or AAAA (family 6) records of `name`, as address strings. */
export function lookupAddresses(name: string, family: 4 | 6, options: DnsLookupOptions): Promise<LookupResult<string>> {
  return lookup(options, (r) => (family === 4 ? r.resolve4(name) : r.resolve6(name)));
}

/** Describes a lookup that found nothing, e.g. `no such name (NXDOMAIN)`. */
export function describeNone(reason: 'nxdomain' | 'nodata', type: string): string {
  return reason === 'nxdomain' ? 'no such name (NXDOMAIN)' : `the name exists but has no ${type} record`;
}
