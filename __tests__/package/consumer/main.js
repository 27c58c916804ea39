// A consumer's cdktf app in plain CommonJS JavaScript, using the installed package: one
// construct alone, and WireFederation (cert-manager mode: the package's issuer chart is an
// asset) from a config object. Copied into a temporary project by consumer.test.ts.
const { App, TerraformStack, TerraformVariable } = require('cdktf');
const { CloudflareProvider } = require('@cdktf/provider-cloudflare/lib/provider');
const { HelmProvider } = require('@cdktf/provider-helm/lib/provider');
const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider');
const { TlsProvider } = require('@cdktf/provider-tls/lib/provider');
const { FederatorDnsRecords, WireFederation, parseFederationConfig } = require('wire-federation-cdktf');
const { exitCodeOf } = require('wire-federation-cdktf/verify');

class DnsOnlyStack extends TerraformStack {
  constructor(scope, id) {
    super(scope, id);
    new CloudflareProvider(this, 'cloudflare', {});
    new FederatorDnsRecords(this, 'FederationDns', {
      backendDomain: 'example.com',
      federatorDomain: 'federator.wire.example.org',
      backendZoneId: '0123456789abcdef0123456789abcdef',
      infrastructureZoneId: 'fedcba9876543210fedcba9876543210',
      ipv4: '203.0.113.10',
    });
  }
}

class FederationStack extends TerraformStack {
  constructor(scope, id, config) {
    super(scope, id);
    new CloudflareProvider(this, 'cloudflare', {});
    new TlsProvider(this, 'tls', {});
    new HelmProvider(this, 'helm', { kubernetes: { configPath: '~/.kube/config' } });
    new KubernetesProvider(this, 'kubernetes', { configPath: '~/.kube/config' });
    const user = new TerraformVariable(this, 'rabbitmq_username', { type: 'string', sensitive: true });
    const password = new TerraformVariable(this, 'rabbitmq_password', { type: 'string', sensitive: true });
    new WireFederation(this, 'Federation', { config, rabbitmqUsername: user.stringValue, rabbitmqPassword: password.stringValue });
  }
}

if (exitCodeOf({ checks: [] }) !== 0) throw new Error('exitCodeOf of an empty report');

const config = parseFederationConfig(
  {
    environment: 'consumer',
    backendDomain: 'example.com',
    federatorDomain: 'federator.wire.example.org',
    ingress: { ipv4: '203.0.113.10' },
    dns: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: 'fedcba9876543210fedcba9876543210' },
    charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } },
    pki: { mode: 'cert-manager', certmasterEmail: 'ops@example.com' },
    peers: [{ domain: 'wire.acme.test', caCertificates: [{ file: 'peer-ca.pem' }] }],
  },
  { baseDir: __dirname },
);

const app = new App();
new DnsOnlyStack(app, 'dns-only');
new FederationStack(app, 'federation', config);
app.synth();
