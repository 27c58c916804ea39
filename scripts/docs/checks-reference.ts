/**
 * docs/reference/checks.md from the registries of check ids: the validation pipeline's
 * (parser and lock, federation rules, the pipeline's own, pairs), the render checks, and the
 * checks of `verify`. Each registry carries the level and a one-line description next to the id.
 */
import { ADOPT_RULES } from '../../lib/adopt/rules';
import { PREFLIGHT_RULES } from '../../lib/preflight/preflight';
import { FEDERATION_RULE_CATALOGUE } from '../../lib/checks/pack';
import { PAIR_RULES } from '../../lib/checks/pairs';
import { CONFIG_RULES } from '../../lib/config/errors';
import type { Catalogue, CatalogueEntry } from '../../lib/core/catalogue';
import { catalogueEntries } from '../../lib/core/catalogue';
import { RENDER_RULES } from '../../lib/render/checks';
import { PIPELINE_RULES } from '../../lib/validation/pipeline';
import { VerifyCheckDescription, documentedChecks } from '../../lib/verify/checks';
import { cell, generatedNotice } from './markdown';

/** Every validation and render check id with its level and description (for tests and the page). */
export function validationChecks(): Array<{ id: string; stage: string } & CatalogueEntry> {
  const seen = new Set<string>();
  const out: Array<{ id: string; stage: string } & CatalogueEntry> = [];
  const add = (stage: string, catalogue: Catalogue): void => {
    for (const { id, ...entry } of catalogueEntries(catalogue)) {
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ id, stage, ...entry });
    }
  };
  add('config', CONFIG_RULES);
  add('rules', FEDERATION_RULE_CATALOGUE);
  add('pipeline', PIPELINE_RULES);
  add('pairs', PAIR_RULES);
  add('render', RENDER_RULES);
  add('adopt', ADOPT_RULES);
  add('preflight', PREFLIGHT_RULES);
  return out;
}

/** Every verify check id as reported (`peer[<domain>].…`, `live[…]` with placeholders). */
export function verifyChecks(): Array<{ id: string } & VerifyCheckDescription> {
  return documentedChecks().map(({ reportedId, check }) => ({ id: reportedId, description: check.description, fix: check.fix }));
}

const table = (rows: ReadonlyArray<{ id: string } & CatalogueEntry>, what: string): string[] => [
  `| id | level | ${what} |`,
  '|---|---|---|',
  ...rows.map((r) => `| \`${r.id}\` | ${r.level} | ${cell(r.description)} |`),
  '',
];

/** The sections of validation and render checks, in the order they run. */
const SECTIONS: ReadonlyArray<{ heading: string; intro?: string; stage: string; what: string }> = [
  { heading: '### Stages 1 and 2: the schema, the files a config names, the lock', stage: 'config', what: 'finds' },
  {
    heading: '### Stage 3: rules on the resources as they will be synthesized',
    intro: 'Each environment is built in a scratch construct tree that is never written; the rules (`lib/checks/rules/`, one file per rule) read it.',
    stage: 'rules',
    what: 'passes when',
  },
  { heading: '### Stage 4: across environments and locks', stage: 'pipeline', what: 'finds' },
  { heading: '### Pairs of environments that federate (synth and `check-pairs`)', stage: 'pairs', what: 'finds' },
  {
    heading: '## Render checks (`wire-federation render`)',
    intro: 'On the manifests `helm template` renders with the real chart (`lib/render/checks/`, one set per chart).',
    stage: 'render',
    what: 'finds',
  },
  {
    heading: '## Adoption checks (`wire-federation adopt`)',
    intro:
      'On the running releases and DNS records of a backend being adopted ([federate an existing backend](../existing-backend.md)). An error means nothing was written.',
    stage: 'adopt',
    what: 'finds',
  },
  {
    heading: '## Preflight checks (`wire-federation preflight`)',
    intro:
      'Before the first deploy, on the Helm releases of the namespace and the federator DNS records ([preflight](../preflight.md)). An error means: adopt first.',
    stage: 'preflight',
    what: 'finds',
  },
];

/** The whole page. */
export function checksReference(): string {
  const checks = validationChecks();
  const stage = (s: string) => checks.filter((c) => c.stage === s);
  return [
    '# Checks reference',
    '',
    generatedNotice(
      'the registries of check ids: `CONFIG_RULES` (lib/config/errors.ts), `FEDERATION_RULES` (lib/checks/pack.ts), `PIPELINE_RULES` (lib/validation/pipeline.ts), `PAIR_RULES` (lib/checks/pairs.ts), `RENDER_RULES` (lib/render/checks/types.ts), `ADOPT_RULES` (lib/adopt/rules.ts), `PREFLIGHT_RULES` (lib/preflight/preflight.ts), the registry of verify checks `CHECK_GROUPS` (lib/verify/checks/)',
    ),
    '',
    'Every finding ends with the id of the check that found it, in brackets: `✖ staging:dns.srv.weight: must be between 1 and 65535 … [schema]`. Errors (✖) stop synth before anything is written; warnings (⚠) do not. Look the id up below; [troubleshooting](../troubleshooting.md) goes from symptoms to ids.',
    '',
    '## Validation pipeline',
    '',
    "One validation pipeline (`lib/validation/pipeline.ts`) runs every check, for `npm run synth` / `cdktf synth`, for `wire-federation validate` and `lock`, and for the library (`validateFederationConfig`, `validateEnvironments`). It returns every finding at once, each with its id, the path of the field, the value received and the fix; a message about a file names the file as the config names it (relative to the repository for the example environments) and the config path. `validate <env>` runs the same as synth and prints that environment's findings; `validate <file> [--lock FILE]` runs them on the file alone; `lock` runs stages 1 to 3 and the checks across environments and refuses to lock a config with errors; `check-pairs` runs the pair checks. The stage-3 rules also stay on every `WireFederation` construct as cdktf validations, a safety net for escape-hatch overrides.",
    '',
    ...SECTIONS.flatMap(({ heading, intro, stage: id, what }) => [heading, '', ...(intro ? [intro, ''] : []), ...table(stage(id), what)]),
    '## Verify checks (`wire-federation verify`, `check-pairs --live`)',
    '',
    'On the deployed backend. A check that cannot run because an earlier one failed is listed as skipped. Peer checks appear as `peer[<domain>].<check>` (`--peers`); in the text report they are grouped under the peer.',
    '',
    '| id | passes when | typical fix |',
    '|---|---|---|',
    ...verifyChecks().map((c) => `| \`${c.id}\` | ${cell(c.description)} | ${cell(c.fix)} |`),
    '',
    'Exit codes of every command: see the [CLI reference](cli.md#exit-codes).',
    '',
  ].join('\n');
}
