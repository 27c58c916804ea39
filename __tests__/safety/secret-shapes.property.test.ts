/**
 * Secrets by any name and any shape (issue 32): the one detector (`lib/helm/values/secrets`)
 * and what adopt, validate/synth and render do with it. A property test puts secret-shaped
 * values under random paths (maps and lists) and checks that none reaches a committed adopted
 * values file, the synthesized `cdk.tf.json` or render's review text.
 */
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { planAdoption } from '../../lib/adopt/plan';
import { findSecrets, isSecretName, maskSecretShapes, secretShape } from '../../lib/helm/values/secrets';
import { reviewText } from '../../lib/render/render';
import { validateFederationConfig } from '../../lib/validation/pipeline';
import { OPERATOR_VALUES, PEER_CA_PEM, baseInput, parse, synthStack } from '../support/config';

const SEED = 0x5ec2e7;

const rsaPem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const ecSec1 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();
/** The body of a key without its PEM header: content, not the header line, makes it a key. */
const headerless = rsaPem
  .split('\n')
  .filter((l) => !l.startsWith('-----'))
  .join('\n');

describe('names in every form', () => {
  test.each([
    'password',
    'passwords',
    'Password',
    'smtpPassword',
    'smtp_password',
    'SMTP_PASSWORD',
    'db-password',
    'pwd',
    'pass',
    'passwd',
    'passphrase',
    'secret',
    'secrets',
    'clientSecret',
    'token',
    'tokens',
    'apiToken',
    'credentials',
    'creds',
    'apiKey',
    'api_key',
    'privateKey',
    'privateKeys',
    'accessKeyId',
    'awsKeyId',
    'secretAccessKey',
    'AWS_SECRET_ACCESS_KEY',
    'signingKey',
    'tlsKey',
    'dsn',
    'connectionString',
  ])('%s is named like a secret', (key) => expect(isSecretName(key)).toBe(true));

  test.each([
    'host',
    'port',
    'replicaCount',
    'publicKeys',
    'keyId',
    'secretName',
    'existingSecret',
    'useSharedFederatorSecret',
    'maxScimTokens',
    'setOAuthMaxActiveRefreshTokens',
    'sessionTokenTimeout',
    'passwordMinLength',
    'tokenTtl',
    'bypass',
    'compass',
    'keyFile',
    'image',
    'tag',
  ])('%s is not', (key) => expect(isSecretName(key)).toBe(false));

  test('nested maps named like secrets, lists and shapes: every finding of the issue', () => {
    const values = {
      brig: { zAuth: { privateKeys: 'k1' }, tokens: ['t1', 't2'], passwords: { admin: 'x' }, smtp: { pass: 'p', host: 'smtp.example.com' } },
      aws: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
      misc: { pwd: 'p', credentials: { user: 'u' }, dbUrl: 'postgres://app:s3cret@db.example.com/app' },
      list: [
        { name: 'a', value: 'plain' },
        { name: 'b', value: 'Zk9vYmFyQmF6UXV4MTIzNDU2Nzg5MA0aQ' },
      ],
      key: { body: headerless },
      public: { ca: PEER_CA_PEM, host: 'federator.wire.example.org', image: 'quay.io/wire/brig:5.23.0', enabled: true, replicas: 3 },
      secret: { nameOverride: 'my-secret' },
    };
    expect(
      findSecrets(values)
        .map((f) => f.path)
        .sort(),
    ).toEqual(
      [
        'brig.zAuth.privateKeys',
        'brig.tokens[0]',
        'brig.tokens[1]',
        'brig.passwords.admin',
        'brig.smtp.pass',
        'aws.accessKeyId',
        'misc.pwd',
        'misc.credentials.user',
        'misc.dbUrl',
        'list[1].value',
        'key.body',
      ].sort(),
    );
    expect(findSecrets(values).find((f) => f.path === 'brig.tokens[0]')?.inList).toBe(true);
  });

  test('shapes: key content with any header or none, URLs with credentials, token formats, random strings', () => {
    expect(secretShape(rsaPem)).toBe('a private key');
    expect(secretShape(ecSec1.replace(/EC PRIVATE KEY/g, 'NOTHING TO SEE'))).toBe('a private key');
    expect(secretShape(headerless)).toBe('a private key');
    expect(secretShape('https://user:pw@example.com/')).toBe('a URL with credentials');
    expect(secretShape('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('a token of a known format');
    expect(secretShape('Zk9vYmFyQmF6UXV4MTIzNDU2Nzg5MA0aQ')).toBe('a long random string');
    expect(secretShape('q8Lr2XvT0pN4sW7eK1yB6hJ3')).toBe('a long random string');
    for (const id of ['MyApplicationName2024Prod', 'ConversationCodeURI2Value', 'AbcdefghijKlmnop1234', 'allow_dynamic_federation_2024'])
      expect(secretShape(id)).toBeUndefined();
    for (const plain of [
      'federator.wire.example.org',
      'quay.io/wire/brig:5.23.0',
      'https://nginz-https.example.com',
      '5.32.0',
      'sha256:' + 'ab'.repeat(32),
      '2c1a4a5e-7a53-4d7b-9e0a-1b2c3d4e5f60',
      'cassandra-external',
      'allowDynamic',
      PEER_CA_PEM,
    ]) {
      expect(secretShape(plain)).toBeUndefined();
    }
  });
});

/** Keys that are NOT named like secrets: the secret is found by shape, or under a secret name added on purpose. */
const neutralKey = fc.constantFrom('brig', 'config', 'settings', 'extra', 'value', 'data', 'opts', 'item', 'x', 'nested', 'spec', 'env');
const secretName = fc.constantFrom(
  'password',
  'passwords',
  'pwd',
  'pass',
  'creds',
  'credentials',
  'token',
  'tokens',
  'privateKeys',
  'accessKeyId',
  'clientSecret',
  'apiKey',
);
/** A unique marker in each secret value: what must never appear in a committed file. */
const marker = fc.stringMatching(/^[A-Za-z0-9]{8}$/).map((m) => `Zq${m}7x`);

/** A secret-shaped value carrying the marker, and whether it needs a secret name to be found. */
const secretValue = fc.tuple(marker, fc.uint8Array({ minLength: 24, maxLength: 48 })).chain(([m, bytes]) =>
  fc.constantFrom<[string, boolean]>(
    [`${m}${Buffer.from(bytes).toString('base64').replace(/=+$/, '')}`, false],
    [`https://admin:${m}@db.internal.example/`, false],
    [
      `AKIA${m
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, 'Q')
        .slice(0, 12)
        .padEnd(16, 'Q')}`,
      false,
    ],
    [`eyJhbGciOiJIUzI1NiJ9.eyJ${m}In0.${m}sig0123`, false],
    [`plain-${m}`, true],
  ),
);

interface Placed {
  readonly values: Record<string, unknown>;
  readonly secret: string;
}

/** Puts `value` under a random path of maps and lists; a secret name on the way when needed. */
const placed: fc.Arbitrary<Placed> = fc
  .tuple(secretValue, fc.array(fc.tuple(neutralKey, fc.boolean()), { minLength: 1, maxLength: 4 }), secretName, fc.nat({ max: 3 }))
  .map(([[value, needsName], steps, name, at]) => {
    let node: unknown = value;
    const keys: string[] = steps.map(([k]) => k);
    if (needsName) keys.splice(Math.min(at, keys.length), 0, name);
    for (let i = keys.length - 1; i >= 0; i--) {
      const inList = i < steps.length && steps[i][1] && i > 0;
      node = inList ? { [keys[i]]: ['public-entry', node] } : { [keys[i]]: node };
    }
    // Never at the top of a release's values under a key the federation config owns.
    return { values: { operator: node as Record<string, unknown> }, secret: value.includes('AKIA') ? value : value.match(/Zq[A-Za-z0-9]{8}7x/)![0] };
  });

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'secret-shapes-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('property: no secret-shaped value reaches a committed file', () => {
  const wireRunning = (extra: Record<string, unknown>) => ({
    brig: { config: { optSettings: { setFederationDomain: 'example.com' } } },
    galley: { config: { settings: { federationDomain: 'example.com' } } },
    cargohold: { config: { settings: { federationDomain: 'example.com' } } },
    'background-worker': { config: { federationDomain: 'example.com' } },
    ...extra,
  });
  const config = parse(baseInput());

  test('adopt: the value is held back (listed by path) or the adoption is refused; never in the values file', () => {
    fc.assert(
      fc.property(placed, ({ values, secret }) => {
        const plan = planAdoption({
          config,
          running: { wireServer: { values: wireRunning(values), exists: true } },
          valuesFiles: { wireServer: 'a/w.yaml', nginxIngressServices: 'a/n.yaml' },
        });
        for (const file of plan.valuesFiles) expect(file.content).not.toContain(secret);
        expect(JSON.stringify(plan.record ?? {})).not.toContain(secret);
        if (!plan.refused) expect(plan.sensitive.wireServer.length).toBeGreaterThan(0);
        else expect(plan.findings.some((f) => f.rule === 'adopt-secret')).toBe(true);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  test('validate and synth: secret-in-values refuses it; the synthesized JSON never holds it', () => {
    let n = 0;
    fc.assert(
      fc.property(placed, ({ values, secret }) => {
        const file = join(tmp, `values-${n++}.yaml`);
        writeFileSync(file, stringify(values));
        const input = baseInput({
          charts: { wireServer: { version: '5.32.0', valuesFiles: [OPERATOR_VALUES, file] }, nginxIngressServices: { version: '5.32.0' } },
        });
        const result = validateFederationConfig(input, { baseDir: tmp });
        const found = result.findings.filter((f) => f.rule === 'secret-in-values');
        expect(found.length).toBeGreaterThan(0);
        for (const f of result.findings) expect(f.message).not.toContain(secret);
        let json = '';
        try {
          json = JSON.stringify(synthStack(input, true));
        } catch (e) {
          expect(String((e as Error).message)).not.toContain(secret);
        }
        expect(json).not.toContain(secret);
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  test('render: a Secret is masked with a constant, secret shapes masked in every manifest', () => {
    fc.assert(
      fc.property(placed, ({ values, secret }) => {
        const text = JSON.stringify(values);
        const manifests = [
          { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { v: Buffer.from(text).toString('base64') }, stringData: { w: text } },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'config.yaml': `key: ${rsaPem}\nurl: https://u:${secret}@h/\n` } },
        ];
        const review = reviewText(manifests);
        expect(review).not.toContain(secret);
        expect(review).not.toMatch(/PRIVATE KEY/);
        expect(review).not.toMatch(/sha256:/);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  test('a path listed in sensitiveValues never stays in the reviewable values, even when a values file sets it (and validation says so)', () => {
    const file = join(tmp, 'listed.yaml');
    writeFileSync(file, stringify({ brig: { secrets: { smtpPassword: 'Zqlisted007x' }, config: { smtp: { host: 'smtp.example.com' } } } }));
    const input = baseInput({
      charts: {
        wireServer: { version: '5.32.0', valuesFiles: [OPERATOR_VALUES, file], sensitiveValues: ['brig.secrets.smtpPassword'] },
        nginxIngressServices: { version: '5.32.0' },
      },
    });
    expect(() => synthStack(input, true)).toThrow(/secret-in-values.*brig\.secrets\.smtpPassword.*Remove it from/);
    const json = JSON.stringify(synthStack(input, false));
    expect(json).not.toContain('Zqlisted007x');
    expect(json).toContain('smtp.example.com');
    expect(json).toContain('brig.secrets.smtpPassword');
  });

  test('maskSecretShapes keeps certificates', () => {
    expect(maskSecretShapes(PEER_CA_PEM)).toBe(PEER_CA_PEM);
    expect(maskSecretShapes(rsaPem)).toBe('(masked)\n');
  });
});
