/**
 * How `card add` writes: the edited config to a temporary file first, then the CA bundle, then
 * the config renamed into place. When a write fails, what was written is removed: the config
 * keeps its bytes, no CA bundle and no temporary file stay behind.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, lines } from '../support/cli';
import { filesUnder } from '../support/files';
import { Organisation, Workspace, blueCardFor, cliIn } from './support';

let red: Organisation;
let ws: Workspace;
let blueCard: string;

beforeAll(async () => {
  ({ red, ws, blueCard } = await blueCardFor());
});
afterAll(() => ws?.cleanup());

/** Runs `card add` and checks that it was refused with nothing written; returns its stderr lines. */
async function refusedWritingNothing(config: string, extra: string[] = []): Promise<string[]> {
  const before = readFileSync(config);
  const files = filesUnder(ws.path);
  const { code, out, err } = await cli(['card', 'add', '--config', config, blueCard, ...extra]);
  expect({ code, out }).toEqual({ code: 1, out: '' });
  expect(readFileSync(config).equals(before)).toBe(true);
  expect(filesUnder(ws.path)).toEqual(files);
  return lines(err);
}

describe('card add writes all or nothing', () => {
  test('the CA bundle cannot be written: the edited config is not put in place, its temporary file is removed', async () => {
    const config = ws.organisation(red, {}, 'red-a.yaml');
    const notADirectory = ws.file('not-a-directory', 'a file where the peers directory should be\n');
    const err = await refusedWritingNothing(config, ['--peers-dir', notADirectory]);
    expect(err[0]).toMatch(new RegExp(`^✖ ${blueCard}: could not write the CA bundle ${notADirectory}/blue\\.example\\.com\\.pem or ${config}: `));
    expect(err[1]).toBe(`✖ ${blueCard}: refused, nothing written`);
  });

  test('the config cannot be written: the CA bundle is not written either', async () => {
    const config = ws.organisation(red, {}, 'red-b.yaml');
    // Something in the way of the temporary file beside the config.
    mkdirSync(join(ws.path, `.red-b.yaml.${process.pid}.tmp`));
    const err = await refusedWritingNothing(config, ['--peers-dir', join(ws.path, 'b-peers')]);
    expect(err[0]).toMatch(/could not write the CA bundle .*b-peers\/blue\.example\.com\.pem or .*red-b\.yaml: EEXIST/);
  });

  test('a CA bundle with other content in the way: named relative to the working directory', async () => {
    ws.organisation(red, {}, 'red-c.yaml');
    mkdirSync(join(ws.path, 'c-peers'));
    writeFileSync(join(ws.path, 'c-peers', 'blue.example.com.pem'), 'another CA\n');
    const { code, err } = await cliIn(ws.path, ['card', 'add', '--config', 'red-c.yaml', 'blue-card.yaml', '--peers-dir', 'c-peers'], undefined);
    expect(code).toBe(1);
    expect(lines(err)[0]).toBe(
      '✖ blue-card.yaml: c-peers/blue.example.com.pem exists with other content: move it away (or give --peers-dir) so the CA bundle of blue.example.com is not overwritten',
    );
    expect(readFileSync(join(ws.path, 'c-peers', 'blue.example.com.pem'), 'utf8')).toBe('another CA\n');
  });

  test('written: the config keeps its file mode', async () => {
    const config = ws.organisation(red, {}, 'red-d.yaml');
    const { chmodSync, statSync } = await import('node:fs');
    chmodSync(config, 0o640);
    const { code, err } = await cli(['card', 'add', '--config', config, blueCard, '--peers-dir', join(ws.path, 'd-peers')]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(statSync(config).mode & 0o777).toBe(0o640);
    expect(filesUnder(ws.path).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
