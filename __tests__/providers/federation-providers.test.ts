/**
 * FederationProviders: the providers of a config, added to the stack itself (their ids are
 * Terraform addresses and variable names), and WireFederation's message for a stack without them.
 */
import { App, TerraformStack, Testing } from 'cdktf';
import { WireFederationInput } from '../../lib/config';
import { WireFederation } from '../../lib/federation';
import { FederationProviders, missingProviders, needsKubernetesProvider } from '../../lib/providers/federation-providers';
import { baseInput, parse } from '../support/config';

type Json = { [key: string]: any };

function synth(input: WireFederationInput, props: { kubeconfigPath?: string; kubeContext?: string } = {}): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'acme');
  const config = parse(input);
  const providers = new FederationProviders(stack, 'Providers', { config, ...props });
  new WireFederation(stack, 'Federation', { config, rabbitmqUsername: 'u', rabbitmqPassword: 'p' });
  expect(missingProviders(stack)).toEqual([]);
  expect(providers.kubernetes !== undefined).toBe(needsKubernetesProvider(config));
  return JSON.parse(Testing.synth(stack, true));
}

describe('FederationProviders', () => {
  test('Cloudflare (the default): cloudflare with its token variable, tls, helm with the kubernetes block of the config; no kubernetes provider', () => {
    const json = synth(baseInput({ kubernetes: { context: 'acme-prod' } }));
    expect(Object.keys(json.provider).sort()).toEqual(['cloudflare', 'helm', 'tls']);
    expect(json.provider.helm).toEqual([{ kubernetes: { config_context: 'acme-prod', config_path: '~/.kube/config' } }]);
    // Variables at the stack's top level: TF_VAR_cloudflare_api_token, as in this project's stacks.
    expect(Object.keys(json.variable)).toEqual(['cloudflare_api_token']);
    expect(json.provider.cloudflare[0].api_token).toBe('${var.cloudflare_api_token == "" ? null : var.cloudflare_api_token}');
  });

  test("kubernetes where the config creates Kubernetes objects (cert-manager), with the props' kubeconfig and context", () => {
    const json = synth(baseInput({ pki: { mode: 'cert-manager', certmasterEmail: 'ops@example.com' } }), {
      kubeconfigPath: '/etc/kube/acme',
      kubeContext: 'admin',
    });
    expect(Object.keys(json.provider).sort()).toEqual(['cloudflare', 'helm', 'kubernetes', 'tls']);
    expect(json.provider.kubernetes).toEqual([{ config_context: 'admin', config_path: '/etc/kube/acme' }]);
    expect(json.provider.helm[0].kubernetes).toEqual({ config_context: 'admin', config_path: '/etc/kube/acme' });
  });

  test('kubernetes for the federation exporter alone (monitoring on, private CA, nginx-ingress-services, remotes from the config list)', () => {
    const input = baseInput({ monitoring: { enabled: true } });
    const json = synth(input);
    expect(parse(input).remotes.mode).not.toBe('api');
    expect(Object.keys(json.provider).sort()).toEqual(['cloudflare', 'helm', 'kubernetes', 'tls']);
  });

  test('another DNS provider: its own provider (loaded by deep path), no Cloudflare', () => {
    const json = synth(baseInput({ dns: { provider: 'route53', backendZoneId: 'Z0123456789ABCDEFGHIJ', infrastructureZoneId: 'Z98765432109876543210' } }));
    expect(Object.keys(json.provider).sort()).toEqual(['aws', 'helm', 'tls']);
  });
});

describe('a stack without providers', () => {
  test("synth names the missing providers and what to add, next to cdktf's own message", () => {
    const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
    const stack = new TerraformStack(app, 'acme');
    new WireFederation(stack, 'Federation', { config: parse(baseInput()), rabbitmqUsername: 'u', rabbitmqPassword: 'p' });
    expect(missingProviders(stack)).toEqual(['cloudflare', 'helm', 'tls']);
    expect(() => app.synth()).toThrow(
      "[acme/Federation] [providers] stack acme declares no provider for cloudflare, helm, tls, which the resources of acme/Federation need: add `new FederationProviders(this, 'Providers', { config })` (wire-federation-cdktf) to the stack, or declare those providers yourself (docs/own-stack.md)",
    );
  });
});
