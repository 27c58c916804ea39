/**
 * `card add` warns about the mesh as far as the card tells offline: a card made with
 * `card export --with-peers` lists its sender's peers (`federatesWith`), so our peers it lacks are
 * links certainly missing; without the list, it says that it cannot tell. Either way our peers
 * must list the partner too, which only `wire-federation mesh` can ask.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cardMeshWarnings } from '../../lib/mesh/card';
import { cli } from '../support/cli';
import { CardExchange, blueCardFor, tampered } from '../card/support';

const GREEN = 'green.example.com';
let x: CardExchange;

beforeAll(async () => {
  x = await blueCardFor();
});
afterAll(() => x?.ws.cleanup());

/** Red's config with one peer already (green), under its own name. */
function redWithGreen(name: string): string {
  const file = x.ws.organisation(x.red, {}, name);
  const text = readFileSync(file, 'utf8').replace('peers: []', `peers:\n  - {domain: ${GREEN}, caCertificates: [{file: red-ca.pem}]}`);
  writeFileSync(file, text);
  return file;
}

describe('card add: the mesh as far as the card tells', () => {
  test('a card without federatesWith: it cannot tell, and names our peers and the mesh command', async () => {
    const config = redWithGreen('red-1.yaml');
    const r = await cli(['card', 'add', '--config', config, x.blueCard, '--peers-dir', join(x.ws.path, 'peers-1')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `⚠ the card of blue.example.com does not list the backends it federates with (its sender can add them with card export --with-peers): whether blue.example.com and our peers ${GREEN} federate with each other is not known offline`,
    );
    expect(r.out).toContain(
      `⚠ our peers ${GREEN} must each list blue.example.com too (not visible in its card): after deploying, npx wire-federation mesh ${config}`,
    );
  });

  test('a card whose federatesWith lacks our peer: that link is certainly missing, with who must add whom', async () => {
    const config = redWithGreen('red-2.yaml');
    const card = join(x.ws.path, 'blue-card-peers.yaml');
    writeFileSync(
      card,
      tampered(readFileSync(x.blueCard, 'utf8'), (c) => (c.federatesWith = ['yellow.example.com'])),
    );
    const r = await cli(['card', 'add', '--config', config, card, '--peers-dir', join(x.ws.path, 'peers-2')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `⚠ blue.example.com does not federate with our peer ${GREEN} (its card of 2026-12-03 lists its peers): users of blue.example.com and ${GREEN} cannot be in one conversation until blue.example.com adds ${GREEN} and ${GREEN} adds blue.example.com`,
    );
    expect(r.out).not.toContain('does not list the backends it federates with');
  });

  test('card export --with-peers lists our peers; without it the card has no federatesWith', async () => {
    const config = redWithGreen('red-3.yaml');
    const withPeers = await cli(['card', 'export', '--config', config, '--contact', 'ops@red.example.com', '--date', '2026-12-03', '--with-peers']);
    expect(withPeers.code).toBe(0);
    expect((parse(withPeers.out) as { federatesWith?: string[] }).federatesWith).toEqual([GREEN]);
    const without = await cli(['card', 'export', '--config', config, '--contact', 'ops@red.example.com', '--date', '2026-12-03']);
    expect((parse(without.out) as { federatesWith?: string[] }).federatesWith).toBeUndefined();
  });

  test('a federatesWith that is not a list of domains is refused like any card field', async () => {
    const config = redWithGreen('red-4.yaml');
    const card = join(x.ws.path, 'blue-card-bad.yaml');
    writeFileSync(
      card,
      tampered(readFileSync(x.blueCard, 'utf8'), (c) => (c.federatesWith = ['not a domain\u001b[2J'])),
    );
    const r = await cli(['card', 'add', '--config', config, card, '--peers-dir', join(x.ws.path, 'peers-4')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('federatesWith');
    expect(r.err).not.toContain('\u001b');
  });
});

describe('cardMeshWarnings', () => {
  const base = { backendDomain: 'new.example', date: '2026-12-06', meshCommand: 'npx wire-federation mesh prod.yaml' };
  test('no other peers: nothing to warn about', () => {
    expect(cardMeshWarnings({ ...base, ourPeers: [] })).toEqual([]);
    expect(cardMeshWarnings({ ...base, ourPeers: ['new.example'] })).toEqual([]);
  });
  test('every peer listed: only the other direction is left to measure', () => {
    expect(cardMeshWarnings({ ...base, federatesWith: ['a.example', 'b.example'], ourPeers: ['a.example', 'b.example'] })).toEqual([
      'our peers a.example, b.example must each list new.example too (not visible in its card): after deploying, npx wire-federation mesh prod.yaml --client-cert <our federator certificate> --client-key <its key> asks every peer and shows the links',
    ]);
  });
  test('many lacking peers: ten named, the rest counted', () => {
    const ours = Array.from({ length: 13 }, (_, i) => `p${i}.example`);
    const w = cardMeshWarnings({ ...base, federatesWith: [], ourPeers: ours });
    expect(w.filter((l) => l.startsWith('new.example does not federate with our peer'))).toHaveLength(10);
    expect(w).toContain('new.example does not federate with 3 more of our peers');
  });
});
