/**
 * Checks on the rendered `sftd` chart (federated conference calls): sftd starts with multiSFT
 * against our coturn (`-t <TURN URI> -s /secrets/zrest_secret.txt`, the chart's
 * `statefulset.yaml`) and the secret file exists (`secret.yaml`: `zrest_secret.txt`).
 */
import type { Finding } from '../../checks/finding';
import { sftdTurnServerUri } from '../../helm/values/sftd';
import { ChartChecks, RENDER_RULE_IDS, RenderContext, RenderedRelease, at, configMapYaml, error, find, ref, warning } from './types';

/** Where sftd reads the TURN secret (the chart mounts its Secret at /secrets). */
export const SFTD_SECRET_FILE = '/secrets/zrest_secret.txt';

/** The shell text of the sftd container's command (the chart starts sftd through `sh -c`). */
export function sftdCommand(rendered: RenderedRelease): { where: string; text: string } | undefined {
  for (const s of find(rendered.manifests, 'StatefulSet')) {
    const container = (s.spec?.template?.spec?.containers ?? []).find((c: { name?: string }) => c.name === 'sftd');
    if (container !== undefined) return { where: ref(s), text: [...(container.command ?? []), ...(container.args ?? [])].join(' ') };
  }
  return undefined;
}

function check(ctx: RenderContext, rendered: RenderedRelease): Finding[] {
  const { config } = ctx;
  if (!config.calling.enabled || config.calling.coturn === undefined) return [];
  const where = (m: string) => `${rendered.release.chart}:${m}`;
  const command = sftdCommand(rendered);
  if (command === undefined)
    return [
      error(
        RENDER_RULE_IDS.missingManifest,
        where('StatefulSet'),
        'the sftd chart rendered no StatefulSet with an sftd container; the multiSFT checks could not run',
      ),
    ];
  const findings: Finding[] = [];
  const uri = sftdTurnServerUri(config);
  // The chart writes MULTI_SFT_ARGS="-t <uri> \ -s <file>": whitespace and the line continuation vary.
  const words = command.text.replace(/\\\s*\n?/g, ' ').split(/[\s"]+/);
  const after = (flag: string): string | undefined => words[words.indexOf(flag) + 1];
  if (!words.includes('-t') || after('-t') !== uri) {
    findings.push(
      error(
        RENDER_RULE_IDS.sftdMultiSft,
        where(command.where),
        `sftd does not start with -t ${uri} (found ${words.includes('-t') ? `-t ${after('-t')}` : 'no -t'}): multiSFT is off, uses TURN discovery, or another TURN server (multiSFT.enabled true, discoveryRequired false, turnServerURI)`,
      ),
    );
  }
  if (after('-s') !== SFTD_SECRET_FILE) {
    findings.push(
      error(
        RENDER_RULE_IDS.sftdMultiSft,
        where(command.where),
        `sftd does not read the TURN secret from ${SFTD_SECRET_FILE} (-s ${after('-s') ?? 'missing'}): remote SFT servers cannot authenticate to our coturn`,
      ),
    );
  }
  const secret = find(rendered.manifests, 'Secret').find((s) => typeof s.data?.['zrest_secret.txt'] === 'string');
  if (secret === undefined)
    findings.push(
      error(RENDER_RULE_IDS.sftdMultiSft, where('Secret'), 'the sftd chart rendered no Secret with zrest_secret.txt (multiSFT.secret): sftd cannot start'),
    );
  return [...findings, ...brigCallingFindings(ctx)];
}

/**
 * brig's side of federated calls (the wire-server release's `brig` ConfigMap): `multiSFT: true`
 * (is_federating in /calls/config/v2) and `setSftListAllServers: enabled` (sft_servers_all),
 * and a `setSftStaticUrl` for it to list. Checked with sftd, which exists only when calling is on.
 */
function brigCallingFindings(ctx: RenderContext): Finding[] {
  const wire = ctx.releases.find((r) => r.release.chart === 'wire-server');
  const brig = wire === undefined ? undefined : configMapYaml(find(wire.manifests, 'ConfigMap', 'brig')[0], 'brig.yaml');
  if (brig === undefined) return [];
  const where = 'wire-server:ConfigMap/brig';
  const findings: Finding[] = [];
  if (at(brig, 'multiSFT') !== true)
    findings.push(
      error(
        RENDER_RULE_IDS.brigCalling,
        where,
        `brig's multiSFT is ${JSON.stringify(at(brig, 'multiSFT') ?? null)}, not true: clients are told calls do not federate (is_federating false in /calls/config/v2)`,
      ),
    );
  if (at(brig, 'optSettings.setSftListAllServers') !== 'enabled') {
    findings.push(
      error(
        RENDER_RULE_IDS.brigCalling,
        where,
        `brig's setSftListAllServers is ${JSON.stringify(at(brig, 'optSettings.setSftListAllServers') ?? null)}, not enabled: /calls/config/v2 lists no sft_servers_all, which calls between federated backends need`,
      ),
    );
  }
  if (at(brig, 'optSettings.setSftStaticUrl') === undefined) {
    findings.push(
      warning(
        RENDER_RULE_IDS.brigCalling,
        where,
        "brig has no setSftStaticUrl (brig.config.optSettings.setSftStaticUrl in your wire-server values): it announces no SFT server, so conference calls (and their federation) have none. Set it to our sftd's URL, e.g. https://sftd.<domain>",
      ),
    );
  }
  return findings;
}

export const sftdChecks: ChartChecks = { chart: 'sftd', check };
