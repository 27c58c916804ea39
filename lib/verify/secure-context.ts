/**
 * TLS contexts of the verifier, made once per set of CAs and client certificate. A context with
 * the system store holds well over a hundred parsed CA certificates in OpenSSL's memory; making
 * one per connection let the exporter's resident memory grow by hundreds of MiB with many peers.
 * Clients never resume sessions here (no `session` option), so sharing a context shares nothing
 * but the parsed certificates.
 */
import { createHash } from 'node:crypto';
import * as tls from 'node:tls';

/**
 * Contexts kept (least recently used dropped first). A round of the exporter needs one per peer
 * whose CA set differs (peers sharing a CA set share one) and two for our own backend: 512 keeps
 * a whole round of the 200-peer target cached twice over (a renewed client certificate makes a
 * second set), so rounds reuse contexts instead of parsing CAs again; bounded, so a library user
 * with ever new CA sets does not grow without end.
 */
export const MAX_CONTEXTS = 512;
const contexts = new Map<string, tls.SecureContext>();

/** The context for these trusted CAs (undefined: Node's default store) and client certificate. */
export function secureContextFor(ca: readonly string[] | undefined, client?: { readonly cert: string; readonly key: string }): tls.SecureContext {
  const hash = createHash('sha256');
  hash.update(ca === undefined ? 'default' : `ca:${ca.length}`);
  for (const pem of ca ?? []) hash.update('\0').update(pem);
  hash
    .update('\0client\0')
    .update(client?.cert ?? '')
    .update('\0')
    .update(client?.key ?? '');
  const id = hash.digest('hex');
  const known = contexts.get(id);
  if (known) {
    // Most recently used last.
    contexts.delete(id);
    contexts.set(id, known);
    return known;
  }
  const context = tls.createSecureContext({ ca: ca ? [...ca] : undefined, cert: client?.cert, key: client?.key });
  contexts.set(id, context);
  if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value as string);
  return context;
}
