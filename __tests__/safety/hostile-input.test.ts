/**
 * Text and files from outside are data (issue 32): the hostile corpus
 * (`__tests__/fixtures/hostile/corpus.ts`) through `card add`, `validate` and synth; bounded
 * reading of every input file; numeric and non-ASCII names; atomic, exclusive writes; values
 * merged without prototype semantics.
 */
import { spawn, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseCard } from '../../lib/card';
import { domainProblem } from '../../lib/config';
import { readBoundedText } from '../../lib/files/read';
import { keepLineEndings, withFileLock, writeFileAtomic } from '../../lib/files/write';
import { readLock, writeLock } from '../../lib/guard/lock-file';
import { findConflicts, mergeValues } from '../../lib/core/values';
import { renderValues } from '../../lib/helm/values/yaml';
import { containsPrivateKey } from '../../lib/core/pem';
import { validateFederationConfig } from '../../lib/validation/pipeline';
import { cli } from '../support/cli';
import { readsOf } from '../support/reads';
import { REPO_ROOT, baseInput, synthStack } from '../support/config';
import { filesUnder } from '../support/files';
import { Organisation, Workspace, blueCardFor, tampered } from '../card/support';
import { HOSTILE_CARDS, HOSTILE_CONFIGS } from '../fixtures/hostile/corpus';

/** A control or direction character printed raw (a line feed alone is fine). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const STACK_LINE = /\n\s+at /;

const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const keyBody = keyPem
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('-----'))
  .join('\n');

let red: Organisation;
let ws: Workspace;
let blueCard: string;
let blueCardText: string;
beforeAll(async () => {
  ({ red, ws, blueCard } = await blueCardFor());
  blueCardText = readFileSync(blueCard, 'utf8');
});
afterAll(() => ws?.cleanup());

describe('the hostile corpus: refused everywhere, nothing written, nothing printed raw, no stack trace', () => {
  test.each(HOSTILE_CARDS.map((c) => [c.name, c] as const))('card add: %s', async (_, hostile) => {
    const config = ws.organisation(red, {}, 'red-corpus.yaml');
    const text = hostile.text ? hostile.text(blueCardText, keyBody) : tampered(blueCardText, (c) => hostile.change!(c, keyBody));
    const card = ws.file('hostile-card.yaml', text);
    const before = readFileSync(config);
    const files = filesUnder(ws.path);
    const { code, out, err } = await cli(['card', 'add', '--config', config, card, '--peers-dir', join(ws.path, 'corpus-peers')]);
    expect(code).not.toBe(0);
    expect(readFileSync(config).equals(before)).toBe(true);
    expect(filesUnder(ws.path)).toEqual(files);
    expect(out + err).not.toMatch(RAW_CONTROL);
    expect(out + err).not.toMatch(STACK_LINE);
    expect(err).toMatch(/refused, nothing written|error:/);
    // `card check` reads the same card: refused the same way, before any network.
    const check = await cli(['card', 'check', card, '--timeout', '200']);
    expect(check.code).not.toBe(0);
    expect(check.out + check.err).not.toMatch(RAW_CONTROL);
    expect(check.out + check.err).not.toMatch(STACK_LINE);
  });

  test.each(HOSTILE_CONFIGS.map((c) => [c.name, c] as const))('validate and synth: %s', async (_, hostile) => {
    const input = JSON.parse(JSON.stringify(baseInput())) as Record<string, any>;
    hostile.change(input);
    const result = validateFederationConfig(input, { baseDir: REPO_ROOT });
    expect(result.failed).toBe(true);
    expect(result.findings.some((f) => f.rule === hostile.rule && f.level === 'error')).toBe(true);
    for (const f of result.findings) expect(f.message).not.toMatch(RAW_CONTROL);
    expect(() => synthStack(input as never, true)).toThrow();
    // Through the CLI, from a YAML file: the same refusal, printed safely.
    const file = ws.file('hostile-config.yaml', stringify(input));
    // /dev/zero and directories fail at once: not a byte read from them.
    const { value: run, read } = await readsOf(['/dev/zero'], () => cli(['validate', file]));
    expect(read).toEqual([]);
    expect(run.code).not.toBe(0);
    expect(run.out + run.err).not.toMatch(RAW_CONTROL);
    expect(run.out + run.err).not.toMatch(STACK_LINE);
  });
});

describe('text from a card', () => {
  test('a CR-only card is a card (old Mac line ends), not null', () => {
    const parsed = parseCard(blueCardText.replace(/\n/g, '\r'));
    expect('card' in parsed ? parsed.card.backendDomain : parsed.problems).toBe('blue.example.com');
  });

  test('control characters are refused with the field named and never echoed', () => {
    const parsed = parseCard(tampered(blueCardText, (c) => (c.contact = 'ops\u001b[2K\r✔ passed')));
    expect('problems' in parsed && parsed.problems).toEqual([expect.stringMatching(/^contact: holds the control or direction character U\+001B/)]);
    expect(JSON.stringify(parsed)).not.toContain('\u001b');
  });

  test('a file that is not a card is not quoted in the refusal (e.g. /proc/self/environ)', async () => {
    const secretish = `SECRET_TOKEN=${'q'.repeat(20)}ZZ`;
    const file = ws.file('environ.txt', `PATH=/usr/bin\u0000${secretish}\u0000HOME=/root`);
    const { code, err } = await cli(['card', 'add', '--config', ws.organisation(red, {}, 'red-environ.yaml'), file]);
    expect(code).not.toBe(0);
    expect(err).not.toContain('SECRET_TOKEN');
    expect(err).not.toContain('/usr/bin');
    const scalar = parseCard('just some text of a file');
    expect(JSON.stringify(scalar)).not.toContain('just some text');
  });

  test('numeric names are refused (they resolve to IP addresses); ASCII is checked before case folding', () => {
    for (const name of ['127.1', '0x7f.1', 'a.0177', 'wire.example.123', 'example.0x']) expect(domainProblem(name)).toMatch(/is a number/);
    for (const name of ['1.example.com', 'x1.example.com', '0x.example.com']) expect(domainProblem(name)).toBeUndefined();
    const parsed = parseCard(tampered(blueCardText, (c) => (c.backendDomain = 'wire.\u212aelvin.example')));
    expect('problems' in parsed && parsed.problems.join('\n')).toMatch(/must be ASCII/);
  });

  test('a private key is found by its content, whatever its header says', () => {
    expect(containsPrivateKey(keyPem.replace(/PRIVATE KEY/g, 'CERTIFICATE REQUEST'))).toBe(true);
    expect(containsPrivateKey(keyBody)).toBe(true);
    expect(containsPrivateKey(keyPem.replace(/-----BEGIN PRIVATE KEY-----/, '----- BEGIN PRIVATE  KEY -----'))).toBe(true);
  });
});

describe('bounded reading of every input file', () => {
  test('/dev/zero, a FIFO and a directory fail at once, with what the file was for', async () => {
    const fifo = join(ws.path, 'a-fifo');
    execFileSync('mkfifo', [fifo]);
    const { read } = await readsOf(['/dev/zero', fifo, ws.path], () => {
      expect(() => readBoundedText('/dev/zero', { what: 'card' })).toThrow('the card /dev/zero is a device: give a regular file');
      expect(() => readBoundedText(fifo, { what: 'values file' })).toThrow(`the values file ${fifo} is a FIFO (named pipe): give a regular file`);
      expect(() => readBoundedText(ws.path, { what: 'adoption record' })).toThrow('is a directory: give a regular file');
    });
    expect(read).toEqual([]); // refused from the file's type, before any read
    // Control: the watcher sees the reads of a regular file.
    const regular = ws.file('regular.yaml', 'a: 1\n');
    expect((await readsOf([regular], () => readBoundedText(regular, { what: 'card' }))).read).toEqual([regular]);
  });

  test('a file over the limit is refused without reading it all', () => {
    const big = ws.file('big.yaml', 'x'.repeat(2048));
    expect(() => readBoundedText(big, { what: 'card', maxBytes: 1024 })).toThrow(/more than the 1 KiB a card may have/);
    expect(readBoundedText('/proc/self/status', { what: 'file', maxBytes: 1 << 20 })).toMatch(/Name:/); // size 0 in stat, read anyway
    expect(() => readBoundedText('/proc/self/status', { what: 'file', maxBytes: 8 })).toThrow(/more than/);
  });

  test.each([
    ['/dev/zero', /card \/dev\/zero is a device/],
    ['<fifo>', /is a FIFO/],
    ['<dir>', /is a directory/],
  ])('card add with the card %s: refused fast, the file named, no stack', async (which, message) => {
    const path = which === '<fifo>' ? join(ws.path, 'card-fifo') : which === '<dir>' ? ws.path : which;
    if (which === '<fifo>') execFileSync('mkfifo', [path]);
    const config = ws.organisation(red, {}, 'red-dev.yaml');
    const {
      value: { code, err },
      read,
    } = await readsOf([path], () => cli(['card', 'add', '--config', config, path]));
    expect(read).toEqual([]); // refused from the file's type, before any read
    expect(code).not.toBe(0);
    expect(err).toMatch(message);
    expect(err).not.toMatch(STACK_LINE);
  });
});

describe('atomic, exclusive writes', () => {
  test('an empty lock file (a cut-short write) is named, with the safe recovery', () => {
    const dir = join(ws.path, 'locks-empty');
    mkdirSync(dir);
    writeFileSync(join(dir, 'test.json'), '');
    expect(() => readLock(dir, 'test')).toThrow(
      new RegExp(`the lock file ${join(dir, 'test.json').replace(/[.]/g, '\\.')} is empty .*restore it from version control.*do not delete it`),
    );
    const result = validateFederationConfig(baseInput(), { baseDir: REPO_ROOT, locksDir: dir });
    expect(result.findings.find((f) => f.rule === 'lock-file')?.message).toContain(join(dir, 'test.json'));
  });

  test('writeLock leaves no temporary file; a symlinked file is written through the link; CRLF stays CRLF', () => {
    const dir = join(ws.path, 'locks-atomic');
    writeLock(dir, { environment: 'test', backendDomain: 'example.com', peers: ['b', 'a'] });
    expect(filesUnder(dir)).toEqual(['test.json']);
    expect(readLock(dir, 'test')?.peers).toEqual(['a', 'b']);
    const real = ws.file('real-config.yaml', 'a: 1\r\nb: 2\r\n');
    const link = join(ws.path, 'link-config.yaml');
    symlinkSync(real, link);
    writeFileAtomic(link, 'a: 1\nb: 2\nc: 3\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe('a: 1\r\nb: 2\r\nc: 3\r\n');
    expect(keepLineEndings('x\n', undefined)).toBe('x\n');
  });

  test("a second holder waits for the lock, and a dead holder's lock is taken over", () => {
    const file = ws.file('locked.txt', 'x');
    writeFileSync(`${file}.lock`, '999999999\n'); // no such process
    expect(withFileLock(file, () => 'ran')).toBe('ran');
    writeFileSync(`${file}.lock`, `${process.pid}\n`); // held by a live process
    expect(() => withFileLock(file, () => 'ran', { waitMs: 200 })).toThrow(/is being edited by another wire-federation \(process \d+\)/);
  });

  test('card add: a CRLF config stays CRLF, a symlinked config stays a symlink', async () => {
    const real = ws.organisation(red, {}, 'red-crlf-real.yaml');
    writeFileSync(real, readFileSync(real, 'utf8').replace(/\n/g, '\r\n'));
    const link = join(ws.path, 'red-crlf.yaml');
    symlinkSync(real, link);
    const { code, err } = await cli(['card', 'add', '--config', link, blueCard, '--peers-dir', join(ws.path, 'crlf-peers')]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const text = readFileSync(real, 'utf8');
    expect(text).toContain('blue.example.com');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  test('two card add at once: both peers are in the config (one waited)', async () => {
    const config = ws.organisation(red, {}, 'red-race.yaml');
    const greenCard = ws.file(
      'green-card.yaml',
      tampered(blueCardText, (c) => {
        c.backendDomain = 'green.example.com';
        c.federator.domain = 'federator.green.example.com';
      }),
    );
    const bin = join(REPO_ROOT, 'bin', 'wire-federation.js');
    const run = (card: string, peers: string) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, 'card', 'add', '--config', config, card, '--peers-dir', join(ws.path, peers)], {
          cwd: ws.path,
          env: { ...process.env, CHECKPOINT_DISABLE: '1' },
        });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => resolve({ code, err }));
      });
    const [a, b] = await Promise.all([run(blueCard, 'race-peers'), run(greenCard, 'race-peers')]);
    expect([a, b]).toEqual([
      { code: 0, err: '' },
      { code: 0, err: '' },
    ]);
    const peers = (parse(readFileSync(config, 'utf8')) as { peers: Array<{ domain: string }> }).peers.map((p) => p.domain);
    expect(peers).toEqual(expect.arrayContaining(['blue.example.com', 'green.example.com']));
  }, 120_000);
});

describe('values merged without prototype semantics', () => {
  test('__proto__ in a values file is a key like any other: in the merge, the render and the conflict check', () => {
    const doc = parse('__proto__:\n  brig:\n    config:\n      enableFederation: false\n') as Record<string, unknown>;
    const merged = mergeValues({}, doc);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect((merged as { brig?: unknown }).brig).toBeUndefined();
    expect(renderValues(merged)).toContain('__proto__:');
    // The operator's own brig value is seen by the conflict check, not hidden in a prototype.
    const both = mergeValues(merged, parse('brig:\n  config:\n    enableFederation: false\n') as Record<string, unknown>);
    expect(findConflicts(both, { brig: { config: { enableFederation: true } } })).toEqual([
      { path: 'brig.config.enableFederation', operatorValue: false, federationValue: true },
    ]);
  });
});

test('a JSON file that is not ours is not quoted in the refusal (config, adoption record, lock)', async () => {
  const environ = `PATH=/usr/bin\u0000SECRET_TOKEN=${'q'.repeat(24)}`;
  const asConfig = ws.file('environ.json', environ);
  const config = await cli(['validate', asConfig]);
  expect(config.code).not.toBe(0);
  expect(config.err + config.out).not.toContain('SECRET_TOKEN');
  expect(config.err + config.out).not.toContain('/usr/bin');
  const record = validateFederationConfig({ ...baseInput({ greenfield: undefined }), adoptionFile: asConfig }, { baseDir: REPO_ROOT });
  expect(record.findings.find((f) => f.rule === 'adoption-record')?.message).toMatch(/is not valid JSON \(not valid JSON/);
  expect(JSON.stringify(record.findings)).not.toContain('SECRET_TOKEN');
  const dir = join(ws.path, 'locks-environ');
  mkdirSync(dir);
  writeFileSync(join(dir, 'test.json'), environ);
  expect(() => readLock(dir, 'test')).toThrow(/is not valid JSON \(not valid JSON/);
  expect(() => readLock(dir, 'test')).not.toThrow(/SECRET_TOKEN|usr/);
});
