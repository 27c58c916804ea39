/**
 * Synthesizing one environment for render when the app gives no stack of its own: the same
 * WireFederation the validation pipeline builds, synthesized in memory (nothing is written).
 */
import { TerraformStack, Testing } from 'cdktf';
import type { WireFederationConfig } from '../config';
import { scratchFederation } from '../validation/pipeline';
import type { SynthesizedStack } from './releases';

/**
 * The synthesized JSON of `config`'s federation (providers and state backend left out: render
 * reads only the Helm releases, secrets and locals).
 * @param environments - the other environments checked together (peers' `{environment}` CAs)
 */
export function synthesizeForRender(config: WireFederationConfig, environments: ReadonlySet<string> = new Set()): SynthesizedStack {
  const federation = scratchFederation(config, environments);
  return JSON.parse(Testing.synth(federation.node.scope as TerraformStack)) as SynthesizedStack;
}
