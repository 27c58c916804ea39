/**
 * The TLS context cache (lib/verify/secure-context.ts): peers that share a CA set share one
 * context; a whole round of the exporter's 200-peer target stays cached (each peer with its own
 * CA set); the cache stays bounded.
 */
import { MAX_CONTEXTS, secureContextFor } from '../../lib/verify/secure-context';
import { makeCa } from '../support/certificates';

let caPem: string;
beforeAll(async () => {
  caPem = (await makeCa()).certPem;
});

// Distinct CA sets with the same certificate: trailing newlines change the cache key, not what OpenSSL parses.
const caSet = (i: number): string[] => [`${caPem}${'\n'.repeat(i + 1)}`];

test('the same CA set and client certificate: one context', () => {
  expect(secureContextFor([caPem])).toBe(secureContextFor([caPem]));
  expect(secureContextFor([caPem])).not.toBe(secureContextFor(undefined));
});

test('200 peers with their own CA sets (and our backend) stay cached over a round', () => {
  expect(MAX_CONTEXTS).toBeGreaterThanOrEqual(2 * 200 + 2);
  const first = Array.from({ length: 200 }, (_, i) => secureContextFor(caSet(i)));
  secureContextFor(undefined);
  const second = Array.from({ length: 200 }, (_, i) => secureContextFor(caSet(i)));
  expect(second.filter((c, i) => c !== first[i])).toHaveLength(0);
});

test('bounded: past MAX_CONTEXTS the least recently used one is made again', () => {
  const oldest = secureContextFor(caSet(100_000));
  for (let i = 0; i < MAX_CONTEXTS; i++) secureContextFor(caSet(200 + i));
  expect(secureContextFor(caSet(100_000))).not.toBe(oldest);
});
