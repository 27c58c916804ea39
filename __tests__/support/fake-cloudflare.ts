/**
 * A small fake of the Cloudflare API v4 on 127.0.0.1: `GET /zones/{zone_id}/dns_records` with
 * `type`, `page` and `per_page` (Cloudflare's response envelope: `success`, `errors`, `result`,
 * `result_info`), bearer-token authentication. Pages are small so that paging is exercised.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeDnsRecord {
  readonly zoneId: string;
  readonly id: string;
  readonly name: string;
  readonly type: 'SRV' | 'A' | 'AAAA' | 'CNAME' | 'TXT';
  readonly content?: string;
  readonly proxied?: boolean;
  readonly data?: { priority: number; weight: number; port: number; target: string };
}

export interface FakeCloudflare {
  /** API base URL (like https://api.cloudflare.com/client/v4). */
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startFakeCloudflare(token: string, records: readonly FakeDnsRecord[], pageSize = 2): Promise<FakeCloudflare> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(403, { success: false, errors: [{ code: 9109, message: 'Invalid access token' }], messages: [], result: null });
      return;
    }
    const m = /^\/client\/v4\/zones\/([0-9a-f]{32})\/dns_records$/.exec(url.pathname);
    if (req.method !== 'GET' || !m) {
      send(404, { success: false, errors: [{ code: 7003, message: 'Could not route to /' }], messages: [], result: null });
      return;
    }
    const type = url.searchParams.get('type');
    const page = Number(url.searchParams.get('page') ?? '1');
    const all = records.filter((r) => r.zoneId === m[1] && (type === null || r.type === type));
    const slice = all.slice((page - 1) * pageSize, page * pageSize);
    send(200, {
      success: true,
      errors: [],
      messages: [],
      result: slice.map((r) => ({
        id: r.id,
        zone_id: r.zoneId,
        name: r.name,
        type: r.type,
        content: r.content,
        proxied: r.proxied ?? false,
        ttl: 600,
        data: r.data,
      })),
      result_info: { page, per_page: pageSize, count: slice.length, total_count: all.length, total_pages: Math.max(1, Math.ceil(all.length / pageSize)) },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
