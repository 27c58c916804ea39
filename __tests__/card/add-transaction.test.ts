/**
 * `card add`'s transaction as a library function (lib/card/add-transaction.ts), without the CLI:
 * a refused card writes nothing; an accepted one writes the CA bundle and the edited config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { addCard, type CardAddInput } from '../../lib/card/add-transaction';
import { parseCard } from '../../lib/card/parse';
import { checkCardCertificates } from '../../lib/card/validate';
import { loadConfigFile } from '../../lib/config';
import { ourFederationVersions } from '../../lib/verify/verify';
import { CardExchange, blueCardFor } from './support';

let x: CardExchange;
beforeAll(async () => {
  x = await blueCardFor();
}, 60_000);
afterAll(() => x?.ws.cleanup());

function input(configFile: string, overrides: Partial<CardAddInput> = {}): CardAddInput {
  const config = loadConfigFile(configFile);
  const parsed = parseCard(readFileSync(x.blueCard, 'utf8'));
  if ('problems' in parsed) throw new Error(parsed.problems.join('\n'));
  const { cas, problems } = checkCardCertificates(parsed.card, new Date());
  return {
    config,
    file: configFile,
    cardFile: 'blue-card.yaml',
    read: { card: parsed.card, cas, problems },
    ourVersions: ourFederationVersions(config).list,
    allowedTeams: [],
    locate: (domain) => ({ pemPath: join(x.ws.path, 'peers', `${domain}.pem`), configPath: `peers/${domain}.pem` }),
    projectSources: () => {
      throw new Error('not a project');
    },
    readConfigText: (f) => readFileSync(f, 'utf8'),
    ...overrides,
  };
}

test('a card with problems is refused with one line each, and nothing is written', () => {
  const configFile = x.ws.organisation(x.red, {}, 'red-refused.yaml');
  const before = readFileSync(configFile, 'utf8');
  const outcome = addCard(input(configFile, { read: { problems: [{ level: 'error', message: 'not a card' }] } }));
  expect(outcome).toEqual({ refused: ['✖ blue-card.yaml: not a card\n'] });
  expect(readFileSync(configFile, 'utf8')).toBe(before);
  expect(existsSync(join(x.ws.path, 'peers'))).toBe(false);
});

test('an unknown team is refused before anything is located or written', () => {
  const configFile = x.ws.organisation(x.red, { remotesApi: true }, 'red-teams.yaml');
  const outcome = addCard(
    input(configFile, {
      allowedTeams: ['no-such-team'],
      locate: () => {
        throw new Error('must not be called');
      },
    }),
  );
  expect('refused' in outcome && outcome.refused.join('')).toMatch(/^✖ blue-card\.yaml: .*no-such-team/);
});

test('an accepted card: the CA bundle is written and the config holds the peer', () => {
  const configFile = x.ws.organisation(x.red, {}, 'red-added.yaml');
  const outcome = addCard(input(configFile));
  if (!('added' in outcome)) throw new Error(outcome.refused.join(''));
  expect(outcome.added.wrotePem).toBe(true);
  expect(readFileSync(outcome.added.pemPath, 'utf8')).toBe(`${outcome.added.cas.map((c) => c.pem).join('\n')}\n`);
  const peers = (parse(readFileSync(configFile, 'utf8')) as { peers: Array<{ domain: string; caCertificates: unknown }> }).peers;
  expect(peers.at(-1)).toMatchObject({
    domain: outcome.added.partner.backendDomain,
    caCertificates: [{ file: `peers/${outcome.added.partner.backendDomain}.pem` }],
  });
  // Again: the card names a peer the config has now (refused, nothing written).
  const again = addCard(input(configFile));
  expect('refused' in again && again.refused[0]).toMatch(/is already a peer of environment red/);
});
