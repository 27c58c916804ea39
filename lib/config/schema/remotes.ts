/** `remotes`: how brig learns the peers. */
import { z } from 'zod';
import { domain, nonEmpty } from './fields';

export const remotesSchema = z
  .strictObject({
    /**
     * `config`: brig's deprecated `setFederationDomainConfigs` list. `api`: a Kubernetes Job
     * writes the peers through brig's internal API (needed for team restrictions).
     */
    mode: z.enum(['config', 'api'], { error: 'must be config or api' }).default('config'),
    /** Image of the sync Job (runs a generated Node.js script). */
    image: nonEmpty('container image of the remote sync Job').default('node:20-alpine'),
    /** brig's internal URL, reachable inside the cluster. */
    brigUrl: z.url({ error: "must be the URL of brig's internal API, e.g. http://brig:8080" }).default('http://brig:8080'),
    /**
     * Peers removed from `peers` on purpose. brig cannot forget a remote: see
     * docs/remote-backends.md ("Removing a peer") for the manual procedure. Listing a domain here
     * acknowledges that.
     */
    removedPeers: z.array(domain('removed peer domain'), { error: 'must be a list of domains' }).default([]),
    /**
     * With mode api, keep brig's `setFederationDomainConfigs` list as well: the middle step of the
     * zero-downtime migration (docs/remote-backends.md, "Migrating to API-managed remotes").
     */
    keepConfigList: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .default({ mode: 'config', image: 'node:20-alpine', brigUrl: 'http://brig:8080', removedPeers: [], keepConfigList: false });
