#!/usr/bin/env node
/**
 * The server of `fake-oci-registry.ts`, in its own process (helm runs synchronously in the test
 * process, which could not answer it): a read-only OCI registry on 127.0.0.1 serving Helm chart
 * archives the way `helm pull oci://…` reads them (OCI distribution API: `/v2/`, manifests by tag
 * or digest, blobs, tag list). The manifest follows Helm's OCI layout (helm
 * `pkg/registry/constants.go`: config media type `application/vnd.cncf.helm.config.v1+json`
 * holding Chart.yaml as JSON, one layer `application/vnd.cncf.helm.chart.content.v1.tar+gzip`).
 * Usage: node fake-oci-registry-server.js <prefix> <chart.tgz>… ; prints `listening <port>`,
 * then one `request <METHOD> <path>` line per request.
 */
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { parse } = require('yaml');

const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const CONFIG_TYPE = 'application/vnd.cncf.helm.config.v1+json';
const LAYER_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const digestOf = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function chartYaml(archive) {
  const entry = execFileSync('tar', ['tzf', archive], { encoding: 'utf8' })
    .split('\n')
    .find((f) => /^[^/]+\/Chart\.yaml$/.test(f));
  if (entry === undefined) throw new Error(`${archive}: no Chart.yaml`);
  return parse(execFileSync('tar', ['xzOf', archive, entry], { encoding: 'utf8' }));
}

const [prefix, ...archives] = process.argv.slice(2);
const blobs = new Map();
const manifests = new Map(); // chart → tag|digest → {body, digest}
for (const archive of archives) {
  const meta = chartYaml(archive);
  const layer = readFileSync(archive);
  const config = Buffer.from(JSON.stringify(meta));
  blobs.set(digestOf(layer), layer);
  blobs.set(digestOf(config), config);
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: CONFIG_TYPE, digest: digestOf(config), size: config.length },
      layers: [{ mediaType: LAYER_TYPE, digest: digestOf(layer), size: layer.length }],
    }),
  );
  const entry = { body, digest: digestOf(body) };
  const byRef = manifests.get(meta.name) ?? new Map();
  byRef.set(String(meta.version).replace(/\+/g, '_'), entry); // OCI tags cannot hold "+"
  byRef.set(entry.digest, entry);
  manifests.set(meta.name, byRef);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  process.stdout.write(`request ${req.method} ${url.pathname}\n`);
  const head = req.method === 'HEAD';
  const send = (status, body, type, digest) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': body.length,
      'Docker-Distribution-API-Version': 'registry/2.0',
      ...(digest ? { 'Docker-Content-Digest': digest } : {}),
    });
    res.end(head ? undefined : body);
  };
  const notFound = () => send(404, Buffer.from(JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'not found' }] })), 'application/json');
  if (url.pathname === '/v2/' || url.pathname === '/v2') return send(200, Buffer.from('{}'), 'application/json');
  const m = new RegExp(`^/v2/${prefix}/([^/]+)/(manifests|blobs|tags)/(.+)$`).exec(url.pathname);
  if (m === null) return notFound();
  const [, chart, kind, ref] = m;
  const byRef = manifests.get(chart);
  if (byRef === undefined) return notFound();
  if (kind === 'tags')
    return send(
      200,
      Buffer.from(JSON.stringify({ name: `${prefix}/${chart}`, tags: [...byRef.keys()].filter((k) => !k.startsWith('sha256:')) })),
      'application/json',
    );
  if (kind === 'manifests') {
    const entry = byRef.get(ref);
    return entry === undefined ? notFound() : send(200, entry.body, MANIFEST_TYPE, entry.digest);
  }
  const blob = blobs.get(ref);
  return blob === undefined ? notFound() : send(200, blob, 'application/octet-stream', ref);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
