/**
 * `wire-federation validate`, in process: exit 0 valid, 1 problems (each as `  path: message`),
 * 2 usage errors (one `error:` line on stderr).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, lines } from '../support/cli';
import { OPERATOR_VALUES } from '../support/config';

let dir: string;
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const VALID_YAML = `environment: dup
backendDomain: example.com
federatorDomain: federator.example.com
ingress: {ipv4: 203.0.113.1}
dns:
  backendZoneId: "0123456789abcdef0123456789abcdef"
  infrastructureZoneId: "0123456789abcdef0123456789abcdef"
charts: {wireServer: {version: "5.32.0", valuesFiles: [${JSON.stringify(OPERATOR_VALUES)}]}, nginxIngressServices: {version: "5.32.0"}}
greenfield: true
`;

/** A peer entry (YAML list item) with a CA, so that only the finding under test shows. */
const peer = (domain: string): string => `  - {domain: ${domain}, caCertificates: [{file: ${PEER_CA}}]}\n`;
const PEER_CA = join(__dirname, '..', '..', 'stacks', 'environments', 'peers', 'wire-acme-test-ca.pem');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wfc-cli-validate-'));
  // The lock of environment dup where `lock <file>` writes it (locks/ beside the files): the
  // tests below see only the findings under test.
  mkdirSync(join(dir, 'locks'));
  writeFileSync(
    join(dir, 'locks', 'dup.json'),
    JSON.stringify({ environment: 'dup', backendDomain: 'example.com', peers: ['a.example.net', 'b.example.net'] }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validate', () => {
  test('the example environments are valid: exit 0, one ✔ line each', async () => {
    const { code, out, err } = await cli(['validate', 'staging', 'production', 'red', 'blue']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const status = lines(out).filter((l) => !l.startsWith('  '));
    expect(status).toEqual(['✔ staging: valid', '✔ production: valid', '✔ red: valid', '✔ blue: valid']);
  });

  test.each([
    ['5.26.0', '5.27.0', 'in federated environments'],
    ['5.29.1', '5.30.0', ''],
    ['5.31.0', '5.32.0', ''],
  ])('a release to skip (%s): exit 1, naming the version to pin (%s)', async (bad, instead, federated) => {
    const path = file(`skip-${bad}.yaml`, VALID_YAML.replace(/"5\.32\.0"/g, `"${bad}"`));
    const { code, out } = await cli(['validate', path]);
    expect(code).toBe(1);
    const found = lines(out).filter((l) => l.includes('[chart-known-bad]'));
    expect(found).toHaveLength(2); // wire-server and nginx-ingress-services
    expect(found[0]).toContain(`charts.wireServer.version: is ${bad}, a wire-server release to skip${federated ? ` ${federated}` : ''}`);
    expect(found[0]).toContain(`Pin ${instead} (or later) instead`);
  });

  test('a file with several problems: exit 1, every problem as "  path: message"', async () => {
    const broken = file(
      'broken.yaml',
      `environment: Broken_Env
backendDomain: "bücher.de"
federatorDomain: federator.example.com
ingress: {ipv4: 300.1.1.1}
dns:
  backendZoneId: "0123456789abcdef0123456789abcdef"
  infrastructureZoneId: nope
  srv: {port: 0}
charts: {wireServer: {version: "5.32.0"}, nginxIngressServices: {version: "5.32.0"}}
`,
    );
    const { code, out, err } = await cli(['validate', broken]);
    expect({ code, err }).toEqual({ code: 1, err: '' });
    const [head, ...problems] = lines(out);
    expect(head).toBe(`✖ ${broken}: 5 errors`);
    expect(problems).toEqual([
      expect.stringMatching(/^  ✖ environment: must be lowercase letters, digits and "-".*; received "Broken_Env" \[schema\]$/),
      expect.stringMatching(/^  ✖ backendDomain: backend domain must be ASCII: .*punycode.*; received "bücher\.de" \[schema\]$/),
      expect.stringMatching(/^  ✖ ingress\.ipv4: must be an IPv4 address.*; received "300\.1\.1\.1" \[schema\]$/),
      expect.stringMatching(/^  ✖ dns\.infrastructureZoneId: must be a Cloudflare zone id .*; received "nope" \[schema\]$/),
      expect.stringMatching(/^  ✖ dns\.srv\.port: must be between 1 and 65535: port of the federator ingress; received 0 \[schema\]$/),
    ]);
    expect(out).not.toMatch(/\n\s+at /);
  });

  test('a file whose YAML does not parse: exit 1, one problem for the whole config', async () => {
    const bad = file('syntax.yaml', 'environment: [unclosed\n');
    const { code, out, err } = await cli(['validate', bad]);
    expect({ code, err }).toEqual({ code: 1, err: '' });
    expect(lines(out)).toEqual([`✖ ${bad}: 1 error`, expect.stringMatching(/^  ✖ \(config\): the file is not valid YAML: .*\[config-file\]$/)]);
  });

  test('duplicate peers: exit 1 with the duplicate-peers rule message', async () => {
    const dup = file('dup.yaml', `${VALID_YAML}peers:\n${peer('a.example.net')}${peer('b.example.net')}${peer('a.example.net.')}`);
    const { code, out, err } = await cli(['validate', dup]);
    expect({ code, err }).toEqual({ code: 1, err: '' });
    expect(lines(out)).toEqual([
      `✖ ${dup}: 1 error`,
      '  ✖ peers[2].domain: a.example.net is already listed at peers[0]; merge the two entries. [duplicate-peers]',
    ]);
  });

  test('valid and invalid targets together: every target reported, exit 1', async () => {
    const ok = file('ok.yaml', `${VALID_YAML}peers:\n${peer('a.example.net')}`);
    const bad = file('bad.json', JSON.stringify({ environment: 'x' }));
    const { code, out } = await cli(['validate', ok, 'staging', bad]);
    expect(code).toBe(1);
    const status = lines(out).filter((l) => !l.startsWith('  '));
    expect(status).toEqual([`✔ ${ok}: valid`, '✔ staging: valid', expect.stringMatching(new RegExp(`^✖ ${bad.replace(/[.]/g, '\\.')}: \\d+ errors$`))]);
  });

  test('a file without a lock: the lock warning names the command that writes it; lock <file> writes locks/ beside the file', async () => {
    const sub = join(dir, 'acme');
    mkdirSync(sub);
    const acme = join(sub, 'acme.yaml');
    writeFileSync(acme, `${VALID_YAML.replace('environment: dup', 'environment: acme')}peers:\n${peer('a.example.net')}`);
    const before = await cli(['validate', acme]);
    expect(before.code).toBe(0);
    expect(lines(before.out)).toEqual([
      `✔ ${acme}: valid (1 warning)`,
      `  ⚠ (config): environment acme has no lock file: its backend domain is not pinned in review. Run \`npx wire-federation lock ${acme}\` and commit the file. [lock-missing]`,
    ]);
    const locked = await cli(['lock', acme]);
    expect(locked).toEqual({ code: 0, out: `✔ ${acme}: wrote ${join(sub, 'locks', 'acme.json')}\n`, err: '' });
    expect(JSON.parse(readFileSync(join(sub, 'locks', 'acme.json'), 'utf8'))).toEqual({
      environment: 'acme',
      backendDomain: 'example.com',
      peers: ['a.example.net'],
    });
    const after = await cli(['validate', acme]);
    expect(lines(after.out)).toEqual([`✔ ${acme}: valid`]);
    // Another locks directory is named in the command.
    const elsewhere = await cli(['validate', acme, '--locks-dir', join(dir, 'other-locks')]);
    expect(elsewhere.out).toContain(`Run \`npx wire-federation lock ${acme} --locks-dir ${join(dir, 'other-locks')}\``);
    expect(existsSync(join(dir, 'other-locks'))).toBe(false);
  });

  test('a fix that says to run a command names the file as given, in validate and in verify (loadConfig)', async () => {
    const sub = join(dir, 'broken-record');
    mkdirSync(sub);
    const acme = join(sub, 'acme.yaml');
    writeFileSync(join(sub, 'adopted.json'), '{ not json');
    writeFileSync(acme, `${VALID_YAML.replace('environment: dup', 'environment: acme').replace('greenfield: true', 'adoptionFile: adopted.json')}`);
    const validated = await cli(['validate', acme]);
    expect(validated.code).toBe(1);
    expect(validated.out).toContain(`Run \`npx wire-federation adopt ${acme}\` again [adoption-record]`);
    const verified = await cli(['verify', acme]);
    expect(verified.code).toBe(2);
    expect(verified.err).toContain(`Run \`npx wire-federation adopt ${acme}\` again`);
  });

  test('warnings only: exit 0, "valid (n warnings)" and one ⚠ line per warning', async () => {
    const warned = file('warned.yaml', VALID_YAML.replace('203.0.113.1', '10.0.0.5'));
    const { code, out, err } = await cli(['validate', warned]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(lines(out)).toEqual([
      `✔ ${warned}: valid (2 warnings)`,
      expect.stringMatching(/^  ⚠ peers: federation\.strategy is allowDynamic but no peers .* \[allow-dynamic-without-peers\]$/),
      expect.stringMatching(
        /^  ⚠ ingress\.ipv4: 10\.0\.0\.5 is a private \(10\.0\.0\.0\/8\) address: .*received "10\.0\.0\.5" \[ingress-address-not-public\]$/,
      ),
    ]);
  });

  test('--json: every finding with rule, level, path, message and environment', async () => {
    const dup = file('dup-json.yaml', `${VALID_YAML}peers:\n${peer('A.example.net.')}${peer('a.example.net')}`);
    const { code, out, err } = await cli(['validate', '--json', dup, 'staging']);
    expect({ code, err }).toEqual({ code: 1, err: '' });
    expect(JSON.parse(out)).toEqual({
      valid: false,
      targets: [
        {
          target: dup,
          environment: 'dup',
          valid: false,
          findings: [
            {
              rule: 'duplicate-peers',
              level: 'error',
              path: 'peers[1].domain',
              message: 'a.example.net is already listed at peers[0]; merge the two entries.',
              environment: 'dup',
            },
          ],
        },
        { target: 'staging', environment: 'staging', valid: true, findings: [] },
      ],
    });
  });

  test('--lock: a file checked against a lock; a changed backend domain is an error naming the lock file', async () => {
    const lock = file('dup.lock.json', JSON.stringify({ environment: 'dup', backendDomain: 'old.example.com', peers: [] }));
    const ok = file('locked.yaml', VALID_YAML);
    const { code, out } = await cli(['validate', ok, '--lock', lock]);
    expect(code).toBe(1);
    expect(lines(out)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^  ✖ backendDomain: is "example\\.com", but environment dup is locked to "old\\.example\\.com" \\(${lock.replace(/[.]/g, '\\.')}\\).*\\[locked-backend-domain\\]$`,
        ),
      ),
    );
    const notALock = file('not-a-lock.json', '{"hello": 1}');
    const usage = await cli(['validate', ok, '--lock', notALock]);
    expect({ code: usage.code, out: usage.out }).toEqual({ code: 2, out: '' });
    expect(lines(usage.err)).toEqual([expect.stringMatching(/^error: --lock .*not-a-lock\.json: not an environment lock/)]);
  });

  test.each([
    ['no target', [], /^error: missing required argument 'targets'$/],
    ['a missing file', ['nope.yaml'], /^error: no such file: nope\.yaml$/],
    [
      'an unknown environment',
      ['unknown-env'],
      /^error: unknown environment "unknown-env"; known: staging, production, red, blue, onprem; or give a config file \(YAML or JSON\)$/,
    ],
  ])('usage error (%s): exit 2, one error line', async (_name, args, message) => {
    const { code, out, err } = await cli(['validate', ...args]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(lines(err)).toEqual([expect.stringMatching(message)]);
  });

  test('--help: exit 0, lists the commands; validate --help documents the exit codes', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/^Usage: wire-federation /);
    expect(top.out).toMatch(/^\s+validate \[options\] <targets\.\.\.>/m);
    expect(top.out).toMatch(/^\s+lock \[options\] \[targets\.\.\.\]/m);
    const validate = await cli(['validate', '--help']);
    expect(validate.code).toBe(0);
    expect(validate.out).toContain('Exit codes: 0 valid (warnings allowed), 1 errors found, 2 usage error.');
  });
});
