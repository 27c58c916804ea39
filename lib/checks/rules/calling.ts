/**
 * Rules on the `calling` block and the peers' calling endpoints: they need only the config.
 */
import type { FederationRule, Finding } from '../finding';
import { unreachableRange } from './ingress-address';

const finding = (level: Finding['level'], rule: string, path: string, message: string): Finding => ({ level, rule, path, message });

/**
 * Calling is on and a peer has no calling endpoints: calls with its users cannot be set up until
 * its coturn host and addresses are known. The finding says what to ask the peer for.
 */
export const callingPeerEndpoints: FederationRule = {
  id: 'calling-peer-endpoints',
  description:
    'with calling on, every peer has its calling endpoints (peers[].calling: coturn host, public IPs, issuer CN) or says it does not federate calls (calling: false)',
  level: 'warning',
  configOnly: true,
  check: ({ config }) =>
    !config.calling.enabled
      ? []
      : config.peers.flatMap((p, i) =>
          p.calling === undefined
            ? [
                finding(
                  'warning',
                  'calling-peer-endpoints',
                  `peers[${i}].calling`,
                  `calling is on, but ${p.domain} has no calling endpoints (received undefined): calls between our users and ${p.domain}'s cannot be federated. Ask ${p.domain}'s operator for the host name of its coturn federation listener (the DNS name in its DTLS certificate), the public IP addresses of its coturn servers, its coturn federation port if not ${9191}, whether it uses DTLS, and the common name of the CA that issues its coturn certificate (its federation card carries them: wire-federation card add). Then set peers[${i}].calling: {coturnHost, publicIps, issuerCommonName}; or set peers[${i}].calling: false if ${p.domain} does not federate calls`,
                ),
              ]
            : [],
        ),
};

/** DTLS must be on at both ends or off at both: coturn with DTLS refuses plain UDP federation and the reverse. */
export const callingDtlsMismatch: FederationRule = {
  id: 'calling-dtls-mismatch',
  description: 'our coturn and every peer agree on DTLS for the federation link',
  configOnly: true,
  check: ({ config }) => {
    const ours = config.calling.coturn;
    if (!config.calling.enabled || ours === undefined) return [];
    return config.peers.flatMap((p, i) =>
      p.calling !== undefined && p.calling !== false && p.calling.dtls !== ours.dtls
        ? [
            finding(
              'error',
              'calling-dtls-mismatch',
              `peers[${i}].calling.dtls`,
              `is ${p.calling.dtls}, but our coturn federates ${ours.dtls ? 'over DTLS' : 'without DTLS'} (calling.coturn.dtls ${ours.dtls}): the two coturn servers cannot talk. Agree with ${p.domain}'s operator on DTLS (recommended) and set both sides to true`,
            ),
          ]
        : [],
    );
  },
};

/** Federation without DTLS sends the coturn link unauthenticated and in clear over UDP. */
export const callingDtlsOff: FederationRule = {
  id: 'calling-dtls-off',
  description: 'our coturn federates over DTLS with mutual authentication',
  level: 'warning',
  configOnly: true,
  check: ({ config }) =>
    config.calling.enabled && config.calling.coturn?.dtls === false
      ? [
          finding(
            'warning',
            'calling-dtls-off',
            'calling.coturn.dtls',
            'is false: the coturn servers federate over plain UDP, without authentication or encryption of the federation link (federation-no-dtls=true), and no whitelist applies. Set it to true (the default) and agree on DTLS with every peer',
          ),
        ]
      : [],
};

/** Our SFT servers not in the allowlist: coturn rate-limits their 401 answers like any client's. */
export const callingSftIps: FederationRule = {
  id: 'calling-sft-ips',
  description: "with calling on, our SFT servers' public IPs are known, for coturn's rate-limit allowlist",
  level: 'warning',
  configOnly: true,
  check: ({ config }) =>
    config.calling.enabled && config.calling.sftd.publicIps === undefined
      ? [
          finding(
            'warning',
            'calling-sft-ips',
            'calling.sftd.publicIps',
            "is not set: coturn's rate-limit allowlist gets the peers' coturn addresses only, and coturn may throttle our own SFT servers in busy conference calls (Wire's federation guide asks for the local SFT public IPs in ratelimit.allowlist). Set the public IP addresses of the nodes sftd runs on",
          ),
        ]
      : [],
};

/** A coturn address peers on the internet cannot reach. */
export const callingAddressNotPublic: FederationRule = {
  id: 'calling-address-not-public',
  description: "coturn public IPs (ours and the peers') are reachable from the internet",
  level: 'warning',
  configOnly: true,
  check: ({ config }) => {
    if (!config.calling.enabled) return [];
    const out: Finding[] = [];
    const check = (ips: readonly string[], path: string, whose: string): void => {
      ips.forEach((ip, j) => {
        const range = unreachableRange(ip);
        if (range !== undefined)
          out.push(
            finding(
              'warning',
              'calling-address-not-public',
              `${path}[${j}]`,
              `is ${ip}, a ${range} address: ${whose} must be reachable from the other backend over UDP (federation port), so give its public address`,
            ),
          );
      });
    };
    if (config.calling.coturn) check(config.calling.coturn.publicIps, 'calling.coturn.publicIps', 'our coturn');
    config.peers.forEach((p, i) => {
      if (p.calling) check(p.calling.publicIps, `peers[${i}].calling.publicIps`, `${p.domain}'s coturn`);
    });
    return out;
  },
};

/** Two peers with the same coturn host, or a peer with ours: a copy-paste mistake in the endpoints. */
export const callingDuplicateHost: FederationRule = {
  id: 'calling-duplicate-host',
  description: "every coturn host (ours and the peers') is named once",
  configOnly: true,
  check: ({ config }) => {
    if (!config.calling.enabled) return [];
    const out: Finding[] = [];
    const seen = new Map<string, string>();
    if (config.calling.coturn) seen.set(config.calling.coturn.host, 'calling.coturn.host (ours)');
    config.peers.forEach((p, i) => {
      if (!p.calling) return;
      const first = seen.get(p.calling.coturnHost);
      if (first !== undefined)
        out.push(
          finding(
            'error',
            'calling-duplicate-host',
            `peers[${i}].calling.coturnHost`,
            `is ${p.calling.coturnHost}, already named at ${first}: every backend has its own coturn host. Ask ${p.domain}'s operator for its coturn host`,
          ),
        );
      else seen.set(p.calling.coturnHost, `peers[${i}].calling.coturnHost`);
    });
    return out;
  },
};

/** The calling rules, in documentation order. */
export const CALLING_RULES: readonly FederationRule[] = [
  callingPeerEndpoints,
  callingDtlsMismatch,
  callingDtlsOff,
  callingSftIps,
  callingAddressNotPublic,
  callingDuplicateHost,
];
