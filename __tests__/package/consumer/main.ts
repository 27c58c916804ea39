/**
 * A consumer's cdktf app in TypeScript (run by ts-node, as `cdktf init --template=typescript`
 * sets it up), using the installed package: one construct alone, and WireFederation from a
 * config object. Copied into a temporary project by consumer.test.ts.
 */
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { FederatorDnsRecords, WireFederation, WireFederationConfig, WireFederationInput, parseFederationConfig } from 'wire-federation-cdktf';
import { VerifyReport, exitCodeOf } from 'wire-federation-cdktf/verify';
import { CliProject, runCli } from 'wire-federation-cdktf/cli';

class DnsOnlyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new CloudflareProvider(this, 'cloudflare', {});
    const dns = new FederatorDnsRecords(this, 'FederationDns', {
      backendDomain: 'example.com',
      federatorDomain: 'federator.wire.example.org',
      backendZoneId: '0123456789abcdef0123456789abcdef',
      infrastructureZoneId: 'fedcba9876543210fedcba9876543210',
      ipv4: '203.0.113.10',
    });
    const srvName: string = dns.srvName;
    void srvName;
  }
}

const input: WireFederationInput = {
  environment: 'consumer',
  backendDomain: 'example.com',
  federatorDomain: 'federator.wire.example.org',
  ingress: { ipv4: '203.0.113.10' },
  dns: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: 'fedcba9876543210fedcba9876543210' },
  charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } },
  peers: [{ domain: 'wire.acme.test', caCertificates: [{ file: 'peer-ca.pem' }] }],
};

class FederationStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: WireFederationConfig) {
    super(scope, id);
    new CloudflareProvider(this, 'cloudflare', {});
    new TlsProvider(this, 'tls', {});
    new HelmProvider(this, 'helm', { kubernetes: { configPath: '~/.kube/config' } });
    const user = new TerraformVariable(this, 'rabbitmq_username', { type: 'string', sensitive: true });
    const password = new TerraformVariable(this, 'rabbitmq_password', { type: 'string', sensitive: true });
    new WireFederation(this, 'Federation', { config, rabbitmqUsername: user.stringValue, rabbitmqPassword: password.stringValue });
  }
}

// The verifier library loads without cdktf; its types are part of the public API.
const empty: VerifyReport = { environment: 'x', backendDomain: 'x', federatorDomain: 'x', checks: [], skipped: [] };
if (exitCodeOf(empty) !== 0) throw new Error('exitCodeOf of an empty report');

const app = new App();
new DnsOnlyStack(app, 'dns-only');
new FederationStack(app, 'federation', parseFederationConfig(input, { baseDir: __dirname }));
app.synth();

// The CLI with this app's environments known by name (docs/own-stack.md).
const project: CliProject = { environments: [input], baseDir: __dirname, sourceOf: (name) => `main.ts (${name})` };
void runCli(['validate', 'consumer'], { writeOut: (t) => process.stdout.write(`cli: ${t}`), writeErr: (t) => process.stderr.write(`cli: ${t}`) }, project).then(
  (code) => {
    process.exitCode = code;
  },
);
