/**
 * `wire-federation render <environment|file> [--out DIR] [--chart-dir DIR] [--outputs FILE] [--json]`:
 * synthesizes the environment, renders its Wire Helm releases with the real chart
 * (`helm template`) and checks the manifests (backend domain in every service, brig's strategy
 * and remotes, the federator's CA bundle and client certificate, the federator ingress's mutual
 * TLS, the cert-manager Certificate, and value paths the chart never reads). The same finding
 * lines and exit codes as `validate`: 0 valid (warnings allowed), 1 errors, 2 usage (also: no helm).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileTarget } from '../../lib/config/command-hint';
import type { Command } from 'commander';
import type { WireFederationConfig } from '../../lib/config';
import { HELM_INSTALL_HINT, findHelm } from '../../lib/render/helm';
import type { StackOutputs, SynthesizedStack } from '../../lib/render/releases';
import { RenderResult, renderEnvironment, writeRendered } from '../../lib/render/render';
import { synthesizeForRender } from '../../lib/render/synth';
import { EXIT_CODES, ValidationFinding, countFindings, formatFinding } from '../../lib/validation/format';
import { validateEnvironments } from '../../lib/validation/pipeline';
import {
  cliCommand,
  currentProject,
  defaultLocksDir,
  isConfigFileTarget,
  isProjectEnvironment,
  projectSources,
  unknownEnvironmentMessage,
} from '../config-source';
import { exitWith } from '../exit';
import { commandOutput } from '../output';

interface RenderOptions {
  readonly out?: string;
  readonly chartDir?: string;
  readonly outputs?: string;
  readonly plainHttp?: boolean;
  readonly json?: boolean;
}

/** Reads `--outputs` (as `cdktf output --outputs-file` writes it: stack → output → value). */
function readOutputs(file: string, usage: (message: string) => never): StackOutputs {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return usage(`--outputs ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(e as Error).message})`}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return usage(`--outputs ${file}: expected {"<stack>": {"<output>": value}}, as \`cdktf output --outputs-file\` writes it`);
  // `terraform output -json` shape ({name: {value}}) per stack is accepted too.
  return Object.fromEntries(
    Object.entries(data as Record<string, Record<string, unknown>>).map(([stack, outs]) => [
      stack,
      Object.fromEntries(Object.entries(outs ?? {}).map(([k, v]) => [k, v !== null && typeof v === 'object' && 'value' in v ? v.value : v])),
    ]),
  );
}

export function registerRender(program: Command): void {
  program
    .command('render')
    .description("Render an environment's Wire Helm releases with the real chart (helm template) and check the manifests")
    .argument('<target>', "an environment name of the app's project, or a config file (.yaml, .yml, .json)")
    .option('--out <dir>', 'write the manifests for review to <dir>/<environment>/<release>.yaml (ConfigMaps first, secrets masked)')
    .option('--chart-dir <dir>', 'take the charts from this folder (<chart>-<version>.tgz or <chart>/), for offline use; default: the chart repository')
    .option('--plain-http', 'fetch charts from an OCI registry over plain HTTP (a local registry such as oci://127.0.0.1:5000/charts); default: HTTPS')
    .option('--outputs <file>', 'outputs of deployed stacks (`cdktf output --outputs-file <file>`): real certificates instead of placeholders')
    .option('--json', 'print the result as JSON (for CI)')
    .addHelpText(
      'after',
      '\nhelm is found through HELM or on PATH. Values known only at apply are placeholders: certificates as marked PEM blocks,\nsecrets as SENSITIVE-PLACEHOLDER(<path>). Prints each finding as "✖ path: message [rule]" or "⚠ path: message [rule]".\nExit codes: 0 valid (warnings allowed), 1 errors found, 2 usage error or no helm.',
    )
    .action(function (this: Command, target: string, opts: RenderOptions) {
      const { write, writeErr } = commandOutput(this);
      const usage = (message: string): never => {
        writeErr(`error: ${message}\n`);
        return exitWith(EXIT_CODES.usage);
      };
      const helm = findHelm();
      if (helm === undefined) usage(`${process.env.HELM ? `HELM=${process.env.HELM} does not exist` : 'helm is not on PATH'}: ${HELM_INSTALL_HINT}`);
      const file = isConfigFileTarget(target);
      if (file ? !existsSync(target) : !isProjectEnvironment(target)) usage(file ? `no such file: ${target}` : unknownEnvironmentMessage(target));
      if (opts.chartDir !== undefined && !existsSync(opts.chartDir)) usage(`--chart-dir ${opts.chartDir}: no such folder`);
      const outputs = opts.outputs === undefined ? undefined : readOutputs(opts.outputs, usage);

      // The validation pipeline first: an invalid config is not rendered.
      const project = currentProject();
      const validation = file
        ? validateEnvironments([{ file: target }], { locksDir: defaultLocksDir(target), cli: cliCommand() })
        : validateEnvironments(projectSources(), { locksDir: project?.locksDir, cli: cliCommand() });
      const config: WireFederationConfig | undefined = file ? validation.configs[0] : validation.configs.find((c) => c.environment === target);
      const environment = config?.environment ?? (file ? (validation.findings[0]?.environment ?? '#0') : target);
      const configFindings = file ? validation.findings : validation.findings.filter((f) => f.environment === environment);
      let result: RenderResult | undefined;
      if (config !== undefined && !configFindings.some((f) => f.level === 'error')) {
        const stack = (
          file || project?.synthesize === undefined
            ? synthesizeForRender(config, new Set(validation.configs.map((c) => c.environment)))
            : project.synthesize(environment)
        ) as SynthesizedStack;
        result = renderEnvironment(config, stack, { helm: helm!, chartDir: opts.chartDir, outputs, plainHttp: opts.plainHttp === true });
      }
      const findings: ValidationFinding[] = [...configFindings, ...(result?.findings ?? []).map((f) => ({ ...f, path: f.path ?? '', environment }))];
      const valid = !findings.some((f) => f.level === 'error');
      const written = result !== undefined && opts.out !== undefined ? writeRendered(opts.out, result) : [];

      if (opts.json) {
        write(
          `${JSON.stringify(
            {
              valid,
              environment,
              releases: (result?.releases ?? []).map((r) => ({
                name: r.release.name,
                chart: r.release.chart,
                version: r.release.version,
                chartSource: r.chartSource,
                manifests: r.manifests.length,
                rendered: r.error === undefined,
                placeholders: r.release.placeholders,
              })),
              skipped: result?.skipped ?? [],
              notes: result?.notes ?? [],
              written: written.map((w) => fileTarget(w)),
              findings: findings.map(({ rule, level, path, message }) => ({ rule, level, path, message })),
            },
            null,
            2,
          )}\n`,
        );
      } else {
        const rendered = (result?.releases ?? []).filter((r) => r.error === undefined).map((r) => `${r.release.chart} ${r.manifests.length} manifests`);
        const summary = valid ? `valid${findings.length > 0 ? ` (${countFindings(findings)})` : ''}` : countFindings(findings);
        write(
          `${valid ? '✔' : '✖'} ${target}: ${rendered.length > 0 ? `rendered ${rendered.join(', ')}; ` : result === undefined ? 'not rendered (invalid config); ' : ''}${summary}\n`,
        );
        for (const f of [...findings].sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1)))
          write(`${formatFinding(f, { withEnvironment: false })}\n`);
        for (const s of result?.skipped ?? []) write(`  · not rendered: ${s.chart} (${s.address}): render checks the Wire charts only\n`);
        for (const n of result?.notes ?? []) write(`  · ${n}\n`);
        for (const w of written) write(`  wrote ${fileTarget(w)}\n`);
      }
      if (!valid) exitWith(EXIT_CODES.findings);
    });
}
