/**
 * A small authoritative DNS server for tests, on 127.0.0.1: answers A, AAAA and SRV queries from
 * an in-memory record table over UDP and TCP. UDP answers larger than 512 bytes (or every UDP
 * answer with `truncateUdp`) are sent truncated (TC bit), so resolvers retry over TCP, as they do
 * with real servers. Names without records answer NXDOMAIN; names with records of other types
 * answer NOERROR with no answer (NODATA).
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';

export type TestDnsRecord =
  | { readonly type: 'A'; readonly address: string; readonly ttl?: number }
  | { readonly type: 'AAAA'; readonly address: string; readonly ttl?: number }
  | { readonly type: 'SRV'; readonly priority: number; readonly weight: number; readonly port: number; readonly target: string; readonly ttl?: number };

/** Records by owner name (case-insensitive, trailing dot optional). */
export type TestZone = Readonly<Record<string, readonly TestDnsRecord[]>>;

export interface DnsServerOptions {
  /** Truncate every UDP answer that has records, forcing TCP. @default false */
  readonly truncateUdp?: boolean;
  /** Never answer (for timeout tests). @default false */
  readonly silent?: boolean;
  /** Names it never answers (any type), while it answers the others: a DNS outage for one name. @default - none */
  readonly silentFor?: readonly string[];
}

/** One query the server received. */
export interface LoggedQuery {
  readonly name: string;
  readonly type: string;
  readonly transport: 'udp' | 'tcp';
}

export interface TestDnsServer {
  readonly port: number;
  /** `127.0.0.1:<port>`, for `--dns-server`. */
  readonly address: string;
  /** Replaces the records served. */
  setZone(zone: TestZone): void;
  readonly queries: LoggedQuery[];
  close(): Promise<void>;
}

const TYPE_CODES = { A: 1, AAAA: 28, SRV: 33 } as const;
const TYPE_NAMES: Record<number, string> = { 1: 'A', 28: 'AAAA', 33: 'SRV', 41: 'OPT', 5: 'CNAME', 255: 'ANY' };
const UDP_LIMIT = 512;

const key = (name: string): string => (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();

function encodeName(name: string): Buffer {
  const labels = key(name).split('.').filter(Boolean);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let pos = offset;
  let end = -1;
  for (let hops = 0; hops < 64; hops++) {
    const len = msg[pos];
    if (len === undefined) throw new Error('name runs past the message');
    if ((len & 0xc0) === 0xc0) {
      if (end < 0) end = pos + 2;
      pos = ((len & 0x3f) << 8) | msg[pos + 1];
      continue;
    }
    if (len === 0) return { name: labels.join('.'), end: end < 0 ? pos + 1 : end };
    labels.push(msg.toString('ascii', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  throw new Error('too many compression pointers');
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

function rdata(record: TestDnsRecord): Buffer {
  switch (record.type) {
    case 'A':
      return Buffer.from(record.address.split('.').map(Number));
    case 'AAAA':
      return ipv6Bytes(record.address);
    case 'SRV': {
      const head = Buffer.alloc(6);
      head.writeUInt16BE(record.priority, 0);
      head.writeUInt16BE(record.weight, 2);
      head.writeUInt16BE(record.port, 4);
      return Buffer.concat([head, encodeName(record.target)]);
    }
  }
}

/** Builds the answer to one query message, or undefined for messages that are not queries. */
export function answer(
  query: Buffer,
  zone: ReadonlyMap<string, readonly TestDnsRecord[]>,
  maxSize: number,
  forceTruncate: boolean,
): { response: Buffer; name: string; type: string } | undefined {
  if (query.length < 12 || (query[2] & 0x80) !== 0) return undefined;
  const qdcount = query.readUInt16BE(4);
  if (qdcount !== 1) return undefined;
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const owned = zone.get(key(name));
  const matching = (owned ?? []).filter((r) => TYPE_CODES[r.type] === qtype);
  const answers = matching.map((r) => {
    const data = rdata(r);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // pointer to the question name
    fixed.writeUInt16BE(TYPE_CODES[r.type], 2);
    fixed.writeUInt16BE(1, 4); // IN
    fixed.writeUInt32BE(r.ttl ?? 600, 6);
    fixed.writeUInt16BE(data.length, 10);
    return Buffer.concat([fixed, data]);
  });
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  const rcode = owned === undefined ? 3 : 0;
  let flags = 0x8000 | (query.readUInt16BE(2) & 0x7900) | 0x0400 | 0x0080 | rcode; // QR, opcode+RD, AA, RA
  let full = Buffer.concat([header, question, ...answers]);
  const truncate = answers.length > 0 && (forceTruncate || full.length > maxSize);
  if (truncate) flags |= 0x0200;
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(truncate ? 0 : answers.length, 6);
  full = Buffer.concat([header, question, ...(truncate ? [] : answers)]);
  return { response: full, name, type: TYPE_NAMES[qtype] ?? String(qtype) };
}

/** Starts the server on 127.0.0.1 (UDP and TCP on the same free port). */
export async function startDnsServer(zone: TestZone, options: DnsServerOptions = {}): Promise<TestDnsServer> {
  let records = toMap(zone);
  const ignored = new Set((options.silentFor ?? []).map(key));
  const queries: LoggedQuery[] = [];
  const tcp = net.createServer();
  const sockets = new Set<net.Socket>();
  tcp.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (data) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + message.length);
        if (options.silent) continue;
        const result = safeAnswer(message, records, 65535, false);
        if (!result) continue;
        queries.push({ name: result.name, type: result.type, transport: 'tcp' });
        if (ignored.has(key(result.name))) continue;
        const length = Buffer.alloc(2);
        length.writeUInt16BE(result.response.length, 0);
        socket.write(Buffer.concat([length, result.response]));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (tcp.address() as net.AddressInfo).port;
  const udp = dgram.createSocket('udp4');
  udp.on('message', (message, remote) => {
    if (options.silent) return;
    const result = safeAnswer(message, records, UDP_LIMIT, options.truncateUdp ?? false);
    if (!result) return;
    queries.push({ name: result.name, type: result.type, transport: 'udp' });
    if (ignored.has(key(result.name))) return;
    udp.send(result.response, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    address: `127.0.0.1:${port}`,
    queries,
    setZone(next) {
      records = toMap(next);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise<void>((r) => tcp.close(() => r())), new Promise<void>((r) => udp.close(() => r()))]);
    },
  };
}

function safeAnswer(message: Buffer, records: ReadonlyMap<string, readonly TestDnsRecord[]>, max: number, truncate: boolean): ReturnType<typeof answer> {
  try {
    return answer(message, records, max, truncate);
  } catch {
    return undefined;
  }
}

function toMap(zone: TestZone): Map<string, readonly TestDnsRecord[]> {
  return new Map(Object.entries(zone).map(([name, recs]) => [key(name), recs]));
}
