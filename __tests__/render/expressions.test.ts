/**
 * The Terraform expressions cdktf writes into Helm values, evaluated without Terraform.
 */
import { parse } from 'yaml';
import { ExpressionError, evaluateTemplate } from '../../lib/render/expressions';
import { isPlaceholderPem, placeholderPem, releasesOf, sensitivePlaceholder, splitSetName } from '../../lib/render/releases';

const refs = (map: Record<string, unknown>) => (ref: readonly string[]) => {
  const key = ref.join('.');
  if (!(key in map)) throw new Error(`unexpected reference ${key}`);
  return map[key] as any;
};

describe('evaluateTemplate', () => {
  test('the trust bundle expression: yamlencode of format/join/distinct/compact/concat/trimspace', () => {
    const text =
      '${yamlencode({"secrets" = {"tlsClientCA" = format("%s\\n", join("\\n", distinct(compact(concat(local.peers, [trimspace(tls_self_signed_cert.Ca.cert_pem), ""])))))}})}';
    const out = evaluateTemplate(text, refs({ 'local.peers': ['A', 'B', 'A'], 'tls_self_signed_cert.Ca.cert_pem': '  C\n' }));
    expect(parse(out as string)).toEqual({ secrets: { tlsClientCA: 'A\nB\nC\n' } });
  });

  test('literal text around interpolations, the $${ escape, index keys with dashes and quotes', () => {
    expect(evaluateTemplate('a-${var.x}-$${kept}', refs({ 'var.x': 'X' }))).toBe('a-X-${kept}');
    expect(
      evaluateTemplate('${data.terraform_remote_state.PeerState-blue.outputs.ca}', refs({ 'data.terraform_remote_state.PeerState-blue.outputs.ca': 'pem' })),
    ).toBe('pem');
    expect(evaluateTemplate('${var.m["brig.secrets.x"]}', refs({ 'var.m.brig.secrets.x': 's' }))).toBe('s');
    expect(evaluateTemplate('${lookup({"a" = 1}, "b", "d")}', refs({}))).toBe('d');
    expect(evaluateTemplate('${"q\\"uote"}', refs({}))).toBe('q"uote');
  });

  test('a function render does not know is an error that names it', () => {
    expect(() => evaluateTemplate('${templatefile("x", {})}', refs({}))).toThrow(ExpressionError);
    expect(() => evaluateTemplate('${templatefile("x", {})}', refs({}))).toThrow(/templatefile\(\) is not supported/);
  });
});

describe('releasesOf', () => {
  const stack = {
    locals: { bundle: ['-----BEGIN CERTIFICATE-----\nPEER\n-----END CERTIFICATE-----'] },
    resource: {
      tls_self_signed_cert: { Ca: {} },
      helm_release: {
        R: {
          name: 'wire-server',
          chart: 'wire-server',
          namespace: 'wire',
          values: ['a: 1\nb: {c: 1}\n', '${yamlencode({"b" = {"pem" = join("\\n", concat(local.bundle, [tls_self_signed_cert.Ca.cert_pem]))}})}'],
          set: [
            { name: 'a', value: '2' },
            { name: 'b.s', value: '007', type: 'string' },
            { name: 'x\\.y', value: 'true' },
          ],
          set_sensitive: [{ name: 'b.secret', value: '${var.password}' }],
        },
        Other: { name: 'cm', chart: 'cert-manager', values: [] },
      },
    },
  };

  test('values in order, then set (typed as helm does), then set_sensitive as marked placeholders', () => {
    const [r] = releasesOf(stack, { stackName: 'env', charts: ['wire-server'] });
    expect(r.documents.map((d) => d.origin)).toEqual(['values[0]', 'values[1]', 'set', 'set_sensitive']);
    expect(r.values).toMatchObject({ a: 2, b: { c: 1, s: '007', secret: sensitivePlaceholder('b.secret') }, 'x.y': true });
    expect(JSON.stringify(r.values)).not.toContain('var.password');
    expect(r.sensitivePaths).toEqual(['b.secret']);
  });

  test('apply-time certificates become marked placeholder PEMs, or the outputs of a deployed stack', () => {
    const [r] = releasesOf(stack, { stackName: 'env', charts: ['wire-server'] });
    const pem = (r.values.b as any).pem as string;
    expect(pem).toContain('PEER');
    expect(pem).toContain(placeholderPem('tls_self_signed_cert.Ca.cert_pem'));
    expect(isPlaceholderPem(placeholderPem('x'))).toBe(true);
    expect(r.placeholders).toEqual(['tls_self_signed_cert.Ca.cert_pem']);
    const [real] = releasesOf(stack, { stackName: 'env', charts: ['wire-server'], outputs: { env: { ca_certificate_pem: 'REAL-CA\n' } } });
    expect((real.values.b as any).pem).toBe('-----BEGIN CERTIFICATE-----\nPEER\n-----END CERTIFICATE-----\nREAL-CA');
    expect(real.placeholders).toEqual([]);
  });

  test('helm --set names: escaped dots stay in the key', () => {
    expect(splitSetName('a.b\\.c.d')).toEqual(['a', 'b.c', 'd']);
  });
});
