/** `federation`: federation settings of wire-server and the ingress. */
import { z } from 'zod';
import { intIn } from './fields';

export const federationSchema = z
  .strictObject({
    /**
     * brig's `setFederationStrategy`: `allowNone` (no federation), `allowDynamic` (only the
     * remotes brig knows: the peers), `allowAll` (any backend).
     */
    strategy: z
      .enum(['allowNone', 'allowDynamic', 'allowAll'], {
        error: 'must be one of allowNone, allowDynamic, allowAll',
      })
      .default('allowDynamic'),
    /** Galley `federationProtocols`; the chart renders a single element only. */
    protocols: z
      .array(z.enum(['proteus', 'mls'], { error: 'must be proteus or mls' }))
      .max(1, { error: 'must have at most one element: the chart renders longer lists wrongly' })
      .optional(),
    /**
     * nginx `tls.verify_depth`: how deep the PEERS' client certificate chains may be below the
     * CAs we trust (CA → leaf is 1, one intermediate is 2). wire-ingress has none (a warning if
     * set).
     */
    verifyDepth: intIn(1, 10, 'depth between a peer client certificate and its trusted CA').default(1),
    /**
     * The federator also trusts the OS CA store for its OUTGOING calls (peers' server
     * certificates). Incoming client certificates are checked by the ingress against the peers'
     * `caCertificates` only, so every peer needs its CA listed either way.
     * @default true
     */
    useSystemCaStore: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .default({ strategy: 'allowDynamic', verifyDepth: 1, useSystemCaStore: true });
