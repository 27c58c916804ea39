/**
 * The rendered-manifests diff of pull-request review (scripts/render-diff.ts): per environment,
 * the diff of each release between base and head; environments without change say so; text with
 * a secret is refused.
 */
import { assertNoSecret, renderDiffMarkdown } from '../../scripts/render-diff';
import { planDiffs } from '../../scripts/pr-diff';

const cm = (domain: string) => `# wire-server\n# ConfigMap/brig\ndata:\n  brig.yaml: |\n    setFederationDomain: ${domain}\n`;

describe('renderDiffMarkdown', () => {
  test('the diff per environment and release; no change and not rendered say so', () => {
    const md = renderDiffMarkdown([
      {
        environment: 'red',
        base: new Map([['wire-server.yaml', cm('a.example')]]),
        head: new Map([['wire-server.yaml', cm('b.example')]]),
        headReport: '✔ red: rendered wire-server 66 manifests; valid',
      },
      { environment: 'blue', base: new Map([['wire-server.yaml', cm('c')]]), head: new Map([['wire-server.yaml', cm('c')]]) },
      { environment: 'green', base: undefined, head: undefined, headReport: '✖ green: 1 error' },
    ]);
    expect(md).toContain('### red\n');
    expect(md).toContain('--- base/red/wire-server.yaml\n+++ head/red/wire-server.yaml');
    expect(md).toContain('-    setFederationDomain: a.example\n+    setFederationDomain: b.example');
    expect(md).toContain('### blue: no change');
    expect(md).toContain('### green: not rendered at head');
    expect(md).toContain('✖ green: 1 error');
  });

  test('a private key or an unmasked secret is never posted', () => {
    expect(() => assertNoSecret('-----BEGIN EC PRIVATE KEY-----')).toThrow(/refusing/);
    expect(() => renderDiffMarkdown([{ environment: 'red', base: new Map(), head: new Map([['x.yaml', 'v: SENSITIVE-PLACEHOLDER(a.b)\n']]) }])).toThrow(
      /refusing/,
    );
  });
});

describe("cdktf diff with the operator's wire-server secrets", () => {
  test('<ENV>_WIRE_SERVER_SECRET_VALUES becomes TF_VAR_wire_server_secret_values; each secret in it is masked', () => {
    const [plan] = planDiffs(['red'], {
      RED_KUBECONFIG: 'k',
      RED_CLOUDFLARE_API_TOKEN: 't',
      RED_RABBITMQ_USERNAME: 'u',
      RED_RABBITMQ_PASSWORD: 'p',
      RED_WIRE_SERVER_SECRET_VALUES: '{"brig.secrets.smtpPassword":"hunter2"}',
    });
    expect(plan).toMatchObject({ env: { TF_VAR_wire_server_secret_values: '{"brig.secrets.smtpPassword":"hunter2"}' } });
    expect((plan as { masks: readonly string[] }).masks).toContain('hunter2');
  });
});
