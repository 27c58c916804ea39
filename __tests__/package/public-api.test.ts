/**
 * The public API changes only on purpose: the names (and kinds) each entry point of package.json's
 * `exports` offers equal api/public-api.txt. After a deliberate change: `npm run api:update`,
 * review the diff of api/public-api.txt, say it in CHANGELOG.md (and docs/api.md).
 */
import { readFileSync } from 'node:fs';
import { PUBLIC_API_FILE, entryPoints, publicApiText } from '../../scripts/public-api';

describe('the public API', () => {
  // One TypeScript program over the entry points (several seconds on a loaded machine).
  let text: string;
  beforeAll(() => {
    text = publicApiText();
  }, 180_000);

  test('api/public-api.txt lists what every entry point exports (npm run api:update after a deliberate change)', () => {
    expect(text).toBe(readFileSync(PUBLIC_API_FILE, 'utf8'));
  });

  test('every subpath of package.json exports is an entry point with types', () => {
    expect(entryPoints().map((e) => e.specifier)).toEqual([
      'wire-federation-cdktf',
      'wire-federation-cdktf/verify',
      'wire-federation-cdktf/cli',
      'wire-federation-cdktf/dns/route53',
      'wire-federation-cdktf/dns/google',
      'wire-federation-cdktf/dns/azure',
      'wire-federation-cdktf/dns/rfc2136',
    ]);
  });

  test('the package root offers the documented entry points (docs/own-stack.md, docs/api.md)', () => {
    const root = publicApiText().split('\n## ')[1];
    for (const name of [
      'WireFederation',
      'FederationProviders',
      'WireFederationConfig',
      'WireFederationInput',
      'parseFederationConfig',
      'loadConfigFile',
      'validateEnvironments',
      'formatReport',
    ])
      expect(root).toMatch(new RegExp(`^\\S+ ${name}$`, 'm'));
  });
});
