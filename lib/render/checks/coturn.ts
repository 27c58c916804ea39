/**
 * Checks on the rendered `coturn` chart (federated calling): the turnserver.conf lines of the
 * federation listener (port, DTLS, certificate files, one whitelist entry per peer, the CA file),
 * the CA bundle Secret (our trust bundle), the rate-limit allowlist, and the DTLS certificate
 * (our CA issuer, the coturn host, server + client usage). Names as the chart renders them
 * (`configmap-coturn-conf-template.yaml`, `secret-ca-certificate.yaml`,
 * `configmap-allowlist.yaml`, `secret-or-certificate.yaml`).
 */
import type { Finding } from '../../checks/finding';
import { COTURN_DTLS_SECRET } from '../../calling/endpoints';
import { coturnAllowlist, coturnRemoteWhitelist } from '../../helm/values/coturn';
import { compareStrings } from '../../order';
import { federationCertificateProblems, producedSecrets } from './federator-certificate';
import { compareBundle, expectedTrustBundle } from './trust';
import { ChartChecks, RENDER_RULE_IDS, RenderContext, RenderedRelease, error, find, ref } from './types';

/** The chart's ConfigMap with the turnserver.conf template, and its key. */
export const COTURN_CONFIG_MAP = 'coturn';
export const COTURN_CONFIG_KEY = 'coturn.conf.template';
/** The Secret the chart makes from `ca.cert`, and its key. */
export const COTURN_CA_SECRET = 'coturn-ca-certificate';
/** The ConfigMap of the rate-limit allowlist, and its key. */
export const COTURN_ALLOWLIST = 'coturn-allowlist';

/** The turnserver.conf lines of a rendered coturn release (trimmed, without comments and blanks). */
export function turnserverConfLines(rendered: RenderedRelease): string[] | undefined {
  const [m] = find(rendered.manifests, 'ConfigMap', COTURN_CONFIG_MAP);
  const text = m?.data?.[COTURN_CONFIG_KEY];
  if (typeof text !== 'string') return undefined;
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Values of `key=` lines, in order. */
const valuesOf = (lines: readonly string[], key: string): string[] => lines.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

function check(ctx: RenderContext, rendered: RenderedRelease): Finding[] {
  const { config } = ctx;
  const coturn = config.calling.coturn;
  if (!config.calling.enabled || coturn === undefined) return [];
  const where = (m: string) => `${rendered.release.chart}:${m}`;
  const conf = where(`ConfigMap/${COTURN_CONFIG_MAP}`);
  const lines = turnserverConfLines(rendered);
  if (lines === undefined)
    return [
      error(
        RENDER_RULE_IDS.missingManifest,
        conf,
        `the coturn chart rendered no ConfigMap ${COTURN_CONFIG_MAP} with ${COTURN_CONFIG_KEY}; the checks on turnserver.conf could not run`,
      ),
    ];
  const findings: Finding[] = [];
  const expectLine = (key: string, want: string, why: string): void => {
    const got = valuesOf(lines, key);
    if (got.length !== 1 || got[0] !== want)
      findings.push(
        error(
          RENDER_RULE_IDS.coturnFederation,
          conf,
          `turnserver.conf has ${got.length === 0 ? `no ${key} line` : got.map((g) => `${key}=${g}`).join(', ')}, but needs ${key}=${want}: ${why}`,
        ),
      );
  };

  // The federation listener.
  expectLine('federation-listening-port', String(coturn.federationPort), `peers reach our coturn on calling.coturn.federationPort ${coturn.federationPort}`);
  expectLine(
    'federation-no-dtls',
    String(!coturn.dtls),
    coturn.dtls ? 'calling.coturn.dtls is true: the federation link must be DTLS with mutual authentication' : 'calling.coturn.dtls is false',
  );
  if (valuesOf(lines, 'federation-listening-ip').length !== 1)
    findings.push(error(RENDER_RULE_IDS.coturnFederation, conf, 'turnserver.conf has no federation-listening-ip line: federate.enabled is not in effect'));

  if (coturn.dtls) {
    expectLine('federation-cert', `/${COTURN_DTLS_SECRET}/tls.crt`, `the DTLS certificate from the Secret ${COTURN_DTLS_SECRET}`);
    expectLine('federation-pkey', `/${COTURN_DTLS_SECRET}/tls.key`, `the DTLS key from the Secret ${COTURN_DTLS_SECRET}`);
    // One whitelist entry per peer that federates calls, exactly.
    const want = coturnRemoteWhitelist(config.peers).map((e) => (e.issuer === undefined ? String(e.host) : `${e.host},${e.issuer}`));
    const got = valuesOf(lines, 'federation-remote-whitelist');
    const missing = want.filter((w) => !got.includes(w));
    const extra = got.filter((g) => !want.includes(g));
    if (missing.length > 0 || extra.length > 0) {
      findings.push(
        error(
          RENDER_RULE_IDS.coturnWhitelist,
          conf,
          `turnserver.conf's federation-remote-whitelist entries differ from the peers' calling endpoints:${missing.length > 0 ? ` missing ${missing.map((m) => JSON.stringify(m)).join(', ')} (coturn refuses those peers' DTLS connections)` : ''}${extra.length > 0 ? ` not a peer: ${extra.map((e) => JSON.stringify(e)).join(', ')} (an operator values file adds them?)` : ''}`,
        ),
      );
    }
    findings.push(...dtlsCertificateFindings(ctx, rendered, where));
  }

  // The CA bundle: CA-file in the Secret the chart makes from ca.cert, holding our trust bundle.
  const caFiles = valuesOf(lines, 'CA-file');
  if (caFiles.length !== 1 || !caFiles[0].startsWith('/secrets-ca/')) {
    findings.push(
      error(
        RENDER_RULE_IDS.coturnCa,
        conf,
        `turnserver.conf has CA-file ${JSON.stringify(caFiles)}, not the bundle of ca.cert (/secrets-ca/…): coturn would check peers' DTLS certificates against ${caFiles.length === 0 ? 'nothing' : 'another bundle'}`,
      ),
    );
  } else {
    const [secret] = find(rendered.manifests, 'Secret', COTURN_CA_SECRET);
    const key = caFiles[0].slice('/secrets-ca/'.length);
    const encoded = secret?.data?.[key];
    if (typeof encoded !== 'string') {
      findings.push(
        error(
          RENDER_RULE_IDS.coturnCa,
          where(`Secret/${COTURN_CA_SECRET}`),
          `the coturn chart rendered no Secret ${COTURN_CA_SECRET} with ${key}: coturn has no CA bundle for the peers' DTLS certificates`,
        ),
      );
    } else {
      const { missing, unexpected } = compareBundle(expectedTrustBundle(config, ctx.outputs), Buffer.from(encoded, 'base64').toString('utf8'));
      if (missing.length > 0)
        findings.push(
          error(
            RENDER_RULE_IDS.coturnCa,
            where(`Secret/${COTURN_CA_SECRET}`),
            `coturn's CA bundle lacks ${missing.join('; ')}: coturn refuses DTLS certificates issued by ${missing.length === 1 ? 'it' : 'them'}`,
          ),
        );
      if (unexpected > 0)
        findings.push(
          error(
            RENDER_RULE_IDS.coturnCa,
            where(`Secret/${COTURN_CA_SECRET}`),
            `coturn's CA bundle holds ${unexpected} certificate${unexpected === 1 ? '' : 's'} that is neither our CA nor a peer's: coturn would accept DTLS peers it signs`,
          ),
        );
    }
  }

  // The rate-limit allowlist: the peers' coturn IPs and our SFT IPs.
  const want = coturnAllowlist(config);
  if (want.length > 0) {
    if (valuesOf(lines, '401-allowlist').length !== 1)
      findings.push(
        error(
          RENDER_RULE_IDS.coturnAllowlist,
          conf,
          "turnserver.conf has no 401-allowlist line: coturn rate-limits the peers' coturn servers and our SFT servers like any client",
        ),
      );
    const [m] = find(rendered.manifests, 'ConfigMap', COTURN_ALLOWLIST);
    const got = String(m?.data?.['allowlist.txt'] ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort(compareStrings);
    const missing = want.filter((ip) => !got.includes(ip));
    if (missing.length > 0)
      findings.push(
        error(
          RENDER_RULE_IDS.coturnAllowlist,
          where(`ConfigMap/${COTURN_ALLOWLIST}`),
          `coturn's rate-limit allowlist lacks ${missing.join(', ')} (the peers' coturn public IPs and our SFT IPs); it has ${JSON.stringify(got)}`,
        ),
      );
  }
  return findings;
}

/** The DTLS certificate: a Secret from our values, or the chart's cert-manager Certificate from our CA issuer. */
function dtlsCertificateFindings(ctx: RenderContext, rendered: RenderedRelease, where: (m: string) => string): Finding[] {
  const { config } = ctx;
  const host = config.calling.coturn!.host;
  const pki = config.pki;
  if (pki.mode !== 'cert-manager') {
    const [secret] = find(rendered.manifests, 'Secret', COTURN_DTLS_SECRET);
    return secret === undefined || typeof secret.data?.['tls.crt'] !== 'string' || typeof secret.data?.['tls.key'] !== 'string'
      ? [
          error(
            RENDER_RULE_IDS.coturnCertificate,
            where(`Secret/${COTURN_DTLS_SECRET}`),
            `the coturn chart rendered no Secret ${COTURN_DTLS_SECRET} with tls.crt and tls.key: coturn has no DTLS certificate`,
          ),
        ]
      : [];
  }
  const certificates = find(rendered.manifests, 'Certificate').filter((c) => c.spec?.secretName === COTURN_DTLS_SECRET);
  if (certificates.length === 0)
    return [
      error(
        RENDER_RULE_IDS.missingManifest,
        where('Certificate'),
        `pki.mode is cert-manager, but the coturn chart rendered no Certificate for the Secret ${COTURN_DTLS_SECRET}`,
      ),
    ];
  const findings: Finding[] = [];
  for (const c of certificates) {
    const problems = federationCertificateProblems(c, pki.issuerName, host);
    if (problems.issuer)
      findings.push(
        error(
          RENDER_RULE_IDS.coturnCertificate,
          where(ref(c)),
          `coturn's DTLS Certificate is issued by ${problems.issuer.kind ?? '?'} ${JSON.stringify(problems.issuer.name ?? null)}, not by our CA ClusterIssuer ${JSON.stringify(pki.issuerName)}: peers trust only our CA (and public CAs no longer issue client-auth certificates)`,
        ),
      );
    if (problems.dnsNames)
      findings.push(
        error(
          RENDER_RULE_IDS.coturnCertificate,
          where(ref(c)),
          `coturn's DTLS Certificate has dnsNames ${JSON.stringify(problems.dnsNames)}, which do not cover the coturn host ${host} (the peers' whitelist entry for us)`,
        ),
      );
    if (problems.usages)
      findings.push(
        error(
          RENDER_RULE_IDS.coturnCertificate,
          where(ref(c)),
          `coturn's DTLS Certificate lacks the usage ${problems.usages.lacking.join(' and ')} (it has ${JSON.stringify(problems.usages.has)}): coturn presents it as server AND client certificate`,
        ),
      );
  }
  return findings;
}

export const coturnChecks: ChartChecks = {
  chart: 'coturn',
  check,
  producedSecrets,
};
