/**
 * `check-pairs --live`: the federation call (`federation-call.ts`) between environments that
 * federate with each other, in each direction whose caller's federator certificate is at hand.
 * A direction A → B is called when A lists B as a peer: A's federator would make that call.
 * Plain Node: no cdktf import.
 */
import * as tls from 'node:tls';
import type { WireFederationConfig } from '../config';
import { federatorSrvName, normalizeDnsName } from '../core/names';
import { compareStrings } from '../order';
import { formatSrv, preferredSrv } from './dns-checks';
import { DnsLookupOptions, describeNone, lookupAddresses, lookupSrv } from './dns-lookup';
import { callFederator } from './federation-call';
import { judgeFederationCall } from './federation-call-check';
import { CheckResult, fail } from './report';
import { ClientCertificate, PemSource, leafOf, ourFederationVersions } from './verify';
import type { VerifyCheckId } from './checks';

/** One environment taking part. */
export interface LiveEnvironment {
  readonly config: WireFederationConfig;
  /** Where its config lives, named in fixes (e.g. `stacks/environments/red.ts`). */
  readonly source?: string;
  /** Its federator certificate and key: without them, no call is made FROM it. */
  readonly clientCertificate?: ClientCertificate;
  /** Its CA certificate (stack output `ca_certificate_pem`), for peers that trust it by environment name. */
  readonly ca?: PemSource;
}

export interface LiveOptions {
  /** `ip[:port]` of the DNS server for every lookup; undefined = the system's servers. */
  readonly dnsServer?: string;
  /** Per lookup and per call. */
  readonly timeoutMs: number;
  /** "Now", for certificate validity in messages. @default the current time */
  readonly now?: Date;
}

/** One direction: a check result, or why it was not called. */
export type LiveCall =
  | { readonly caller: string; readonly callee: string; readonly check: CheckResult }
  | { readonly caller: string; readonly callee: string; readonly skipped: string };

/** Every direction A → B where A lists B, sorted by caller then callee. Never throws for what it finds. */
export async function liveCalls(environments: readonly LiveEnvironment[], options: LiveOptions): Promise<LiveCall[]> {
  const byDomain = new Map(environments.map((e) => [e.config.backendDomain, e]));
  const directions: Array<[LiveEnvironment, LiveEnvironment]> = [];
  for (const caller of environments) {
    for (const peer of caller.config.peers) {
      const callee = byDomain.get(peer.domain);
      if (callee && callee !== caller) directions.push([caller, callee]);
    }
  }
  directions.sort(([a, b], [c, d]) => compareStrings(a.config.environment, c.config.environment) || compareStrings(b.config.environment, d.config.environment));
  return Promise.all(directions.map(([caller, callee]) => oneCall(caller, callee, byDomain, options)));
}

async function oneCall(
  caller: LiveEnvironment,
  callee: LiveEnvironment,
  byDomain: ReadonlyMap<string, LiveEnvironment>,
  options: LiveOptions,
): Promise<LiveCall> {
  const names = { caller: caller.config.environment, callee: callee.config.environment };
  const id: VerifyCheckId = `live[${names.caller}→${names.callee}]`;
  const client = caller.clientCertificate;
  if (!client) return { ...names, skipped: `no certificate of ${names.caller}: pass --client-cert ${names.caller}=<pem> --client-key ${names.caller}=<key>` };
  const dns: DnsLookupOptions = { server: options.dnsServer, timeoutMs: options.timeoutMs };
  const d = callee.config.backendDomain;
  const srvName = federatorSrvName(d);
  const srv = await lookupSrv(srvName, dns);
  if (srv.kind !== 'records') {
    const what = srv.kind === 'none' ? describeNone(srv.reason, 'SRV') : `${srv.message} (${srv.code})`;
    return {
      ...names,
      check: fail(
        id,
        `${names.caller} cannot discover ${names.callee}: SRV ${srvName}: ${what}`,
        `publish the SRV record of ${names.callee} (cdktf deploy ${names.callee})`,
      ),
    };
  }
  const record = preferredSrv(srv.records);
  if (!record) return { ...names, check: fail(id, `${srvName} → ${srv.records.map(formatSrv).join(', ')}: ${names.callee} does not offer federation`) };
  const target = normalizeDnsName(record.name);
  const [a, aaaa] = await Promise.all([lookupAddresses(target, 4, dns), lookupAddresses(target, 6, dns)]);
  const addresses = [...(a.kind === 'records' ? a.records : []), ...(aaaa.kind === 'records' ? aaaa.records : [])];
  if (addresses.length === 0) {
    return {
      ...names,
      check: fail(
        id,
        `${srvName} → ${formatSrv(record)}, but ${target} has no A/AAAA record`,
        `publish the A record of ${target} (cdktf deploy ${names.callee})`,
      ),
    };
  }
  const trust = serverTrust(caller, callee, byDomain);
  const result = await callFederator({
    address: addresses[0],
    port: record.port,
    host: target,
    originDomain: caller.config.backendDomain,
    clientCertificate: client,
    ca: trust?.pems,
    timeoutMs: options.timeoutMs,
  });
  const check = judgeFederationCall(result, {
    id,
    caller: { name: names.caller, domain: caller.config.backendDomain, source: caller.source },
    callee: { name: names.callee, domain: d, source: callee.source },
    callerCertificate: leafOf(client.cert),
    callerCertificateOrigin: client.origin,
    versions: ourFederationVersions(caller.config),
    serverTrust: trust?.description,
    now: options.now,
  });
  return { ...names, check };
}

/**
 * What the caller's federator trusts for the callee's server certificate: the PEMs of its peer
 * entry, the CAs of environments it names (when given), the system store when enabled.
 * Undefined when an environment's CA is not at hand (then the chain is not judged).
 */
function serverTrust(
  caller: LiveEnvironment,
  callee: LiveEnvironment,
  byDomain: ReadonlyMap<string, LiveEnvironment>,
): { pems: string[]; description: string } | undefined {
  const entry = caller.config.peers.find((p) => p.domain === callee.config.backendDomain);
  if (!entry) return undefined;
  const pems: string[] = [];
  const parts: string[] = [];
  for (const ca of entry.caCertificates) {
    if (ca.kind === 'pem') {
      pems.push(ca.pem);
      parts.push(ca.origin === 'inline' ? 'an inline CA' : ca.origin);
      continue;
    }
    const env = [...byDomain.values()].find((e) => e.config.environment === ca.environment);
    if (!env?.ca) return undefined;
    pems.push(...env.ca.pems);
    parts.push(`the CA of ${ca.environment} (${env.ca.origin})`);
  }
  if (caller.config.federation.useSystemCaStore) {
    pems.push(...tls.rootCertificates);
    parts.push('the system CA store');
  }
  return pems.length === 0
    ? undefined
    : { pems, description: `the CAs ${caller.config.environment} trusts for ${callee.config.environment}: ${parts.join(', ')}` };
}
