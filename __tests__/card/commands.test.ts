/**
 * The commands `card` messages tell the user to run are built as every other command's: with
 * the CLI as the user starts it (the project's `command`, else `npx wire-federation`) and the
 * environment as the user names it (its name, or its config file relative to the working
 * directory, shell-quoted).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliProject } from '../../bin/project';
import { repositoryProject } from '../../stacks/cli';
import { lines } from '../support/cli';
import { Organisation, Workspace, blueCardFor, cliIn, tampered } from './support';

let red: Organisation;
let blue: Organisation;
let ws: Workspace;
let blueCard: string;

beforeAll(async () => {
  ({ red, blue, ws, blueCard } = await blueCardFor());
});
afterAll(() => ws?.cleanup());

const steps = (out: string): string[] => lines(out).filter((l) => /^ {2}\d+\. /.test(l));

describe('commands in card messages', () => {
  test('the library CLI in a consumer project: config files relative to the working directory, quoted for the shell', async () => {
    ws.organisation(red, {}, 'red config.yaml');
    ws.file('blue card.yaml', readFileSync(blueCard, 'utf8'));
    const { code, out, err } = await cliIn(ws.path, ['card', 'add', 'red config.yaml', 'blue card.yaml'], undefined);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(lines(out)).toContain(
      '✔ added peer blue.example.com to red config.yaml (searchPolicy no_search, as the card asks; all users of blue.example.com may find ours)',
    );
    expect(steps(out)).toEqual([
      "  1. us: check the card against what blue.example.com serves: npx wire-federation card check 'blue card.yaml' (and read the fingerprints back to ops@blue.example.com)",
      "  2. us: review and deploy: cdktf deploy red (our ingress then trusts blue.example.com's CA, brig lists blue.example.com as a remote)",
      "  3. us: send our card back: npx wire-federation card export 'red config.yaml' --contact <you> --out red-card.yaml",
      '  4. blue.example.com: add our card (npx wire-federation card add <their environment or config file> red-card.yaml), deploy, and tell us',
      '  5. both: wait 20 s after the second deploy (brig reloads its remotes every update_interval, 10 s; twice to be sure)',
      "  6. both: verify each other: npx wire-federation verify 'red config.yaml' --peers --client-cert <federator.pem> --client-key <federator.key>",
      expect.stringMatching(/^ {2}7\. both: the first federated search: /),
    ]);
  });

  test("a project's own command: every command it prints starts with it", async () => {
    const project: CliProject = { ...repositoryProject, command: 'npm run wire-federation --' };
    const peersDir = join(ws.path, 'project-peers');
    const { code, out, err } = await cliIn(process.cwd(), ['card', 'add', 'red', blueCard, '--peers-dir', peersDir], project);
    // red federates calls, blue's card carries no calling endpoints: the one warning.
    expect({ code, err }).toEqual({ code: 0, err: expect.stringMatching(/^⚠ [^\n]*calling: the card carries no calling endpoints[^\n]*\n$/) });
    const commands = steps(out).flatMap((l) => l.match(/(npm run|npx) wire-federation( --)? [a-z]+/g) ?? []);
    expect(commands).toEqual([
      'npm run wire-federation -- card',
      'npm run wire-federation -- lock',
      'npm run wire-federation -- card',
      'npx wire-federation card', // the partner's step: their CLI, unknown here
      'npm run wire-federation -- verify',
    ]);
    expect(out).toContain(`npm run wire-federation -- card check ${blueCard} `);
    expect(out).toContain('us: record the new peer in the lock file: npm run wire-federation -- lock red\n');
    expect(out).toContain('us: send our card back: npm run wire-federation -- card export red --ca-file red-ca.pem --contact <you> --out red-card.yaml\n');

    const usage = await cliIn(process.cwd(), ['card', 'add', 'red'], project);
    expect(usage).toMatchObject({
      code: 2,
      err: 'error: give the environment and the card file: npm run wire-federation -- card add <environment> <card.yaml> (or --config <file> <card.yaml>)\n',
    });

    const keyed = ws.file(
      'keyed.yaml',
      tampered(readFileSync(blueCard, 'utf8'), (c) => (c.contact = blue.ca.keyPem)),
    );
    const refused = await cliIn(process.cwd(), ['card', 'add', 'red', keyed, '--peers-dir', peersDir], project);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('make a new one with `npm run wire-federation -- card export`');
  });

  test('the card itself says how to add it with the library CLI', () => {
    expect(readFileSync(blueCard, 'utf8')).toContain('# Add it with: npx wire-federation card add <environment or config file> <this file>\n');
  });
});
