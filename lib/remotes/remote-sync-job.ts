import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import type { RemoteConfig } from './desired-remotes';
import { syncScript } from './sync-script';

export interface RemoteSyncJobProps {
  /** The remotes brig must have (see `desiredRemotes`). */
  readonly remotes: readonly RemoteConfig[];
  /**
   * `remotes.keepConfigList`: migration step 2, brig still reads the peers from its config list
   * (see `SyncScriptOptions.keepConfigList`). @default false
   */
  readonly keepConfigList?: boolean;
  /** Namespace of wire-server (brig). */
  readonly namespace: string;
  /** brig's internal URL inside the cluster. @default http://brig:8080 */
  readonly brigUrl?: string;
  /** Image with Node.js that runs the script (mirror it for offline clusters). @default node:20-alpine */
  readonly image?: string;
  /** Run after these (the wire-server release). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Makes brig's federation remotes match the config through brig's internal API: a Kubernetes
 * Job running a generated Node.js script (mounted from a ConfigMap). Both are named after a
 * hash of the script and of the remotes mode (`api`, with or without `keepConfigList`), so the
 * Job runs again when, and only when, the desired list, the brig URL or the migration step
 * changes: step 2 copies the peers into brig's database, step 3 applies team restrictions.
 * Terraform waits for it: a refusal by brig fails the apply with brig's error text.
 */
export class RemoteSyncJob extends Construct {
  public readonly script: ConfigMapV1;
  public readonly job: JobV1;
  /** First 10 hex digits of the SHA-256 of the remotes mode and the script: part of the Job's name. */
  public readonly scriptHash: string;

  constructor(scope: Construct, id: string, props: RemoteSyncJobProps) {
    super(scope, id);
    const keepConfigList = props.keepConfigList ?? false;
    const source = syncScript(props.remotes, { brigUrl: props.brigUrl ?? 'http://brig:8080', keepConfigList });
    // The mode is in the script's OPTIONS too; hashing it separately keeps the name tied to the
    // migration step even if the script text ever stops carrying it.
    this.scriptHash = createHash('sha256')
      .update(JSON.stringify({ mode: 'api', keepConfigList }))
      .update('\n')
      .update(source)
      .digest('hex')
      .slice(0, 10);
    const name = `wire-federation-remotes-${this.scriptHash}`;
    const labels = { 'app.kubernetes.io/part-of': 'wire-federation', 'app.kubernetes.io/component': 'remote-sync' };

    this.script = new ConfigMapV1(this, 'Script', {
      metadata: { name, namespace: props.namespace, labels },
      data: { 'sync.js': source },
    });
    this.job = new JobV1(this, 'Job', {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        backoffLimit: 1,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            container: [
              {
                name: 'sync',
                image: props.image ?? 'node:20-alpine',
                command: ['node', '/sync/sync.js'],
                volumeMount: [{ name: 'script', mountPath: '/sync', readOnly: true }],
              },
            ],
            volume: [{ name: 'script', configMap: { name } }],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: '10m', update: '10m' },
      dependsOn: [...(props.dependsOn ?? []), this.script],
    });
  }
}
