/**
 * Terraform `import` blocks for what an adopted backend already runs: its Helm releases
 * (`namespace/name`) and its federator DNS records (`zone_id/record_id`). The first plan then
 * shows imports and in-place updates instead of creating what exists. Terraform ignores an
 * import block whose address is already in the state, so the blocks may stay. `WireFederation`
 * names its resources (`adoptableResources` in lib/federation.ts).
 */
import { TerraformElement, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import type { AdoptionImports, DnsRecordKind, ReleaseKey, SupportReleaseKey } from '../config/adoption/record';

export interface ImportExistingProps {
  /** The resource that takes over the existing object. */
  readonly resource: TerraformResource;
  /** The provider's import id of the existing object. */
  readonly id: string;
}

/**
 * One Terraform `import` block. It is the block cdktf's `TerraformResource.importFrom` emits,
 * without the check `importFrom` adds, which runs `terraform version` on every synth (slow, and
 * synth would fail on a machine without terraform, see BackendDomainPin). Import blocks need
 * Terraform >= 1.5.
 */
export class ImportExisting extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: ImportExistingProps,
  ) {
    super(scope, id);
  }

  public toTerraform(): { import: Array<{ to: string; id: string }> } {
    const r = this.props.resource;
    return { import: [{ to: `${r.terraformResourceType}.${r.friendlyUniqueId}`, id: this.props.id }] };
  }

  public toHclTerraform(): unknown {
    const r = this.props.resource;
    return {
      import: [
        {
          to: { value: `${r.terraformResourceType}.${r.friendlyUniqueId}`, type: 'simple', storageClassType: 'reference' },
          id: { value: this.props.id, type: 'simple', storageClassType: 'string' },
        },
      ],
    };
  }
}

/** The resources that adoption can import into, as the federation construct exposes them. */
export interface AdoptableResources {
  readonly releases: Partial<Record<ReleaseKey, TerraformResource>>;
  readonly dnsRecords: Partial<Record<DnsRecordKind, TerraformResource>>;
  /** cert-manager, the issuer, Envoy Gateway and the GatewayClass, when the construct installs them. @default - none */
  readonly supportReleases?: Partial<Record<SupportReleaseKey, TerraformResource>>;
}

/**
 * Adds one import block per recorded id, under `scope` (ids `Import<Kind>`; they are not state
 * addresses). A recorded id without a resource (e.g. an AAAA record while the config has no IPv6)
 * is an error: the record and the config disagree.
 */
export function importExisting(scope: Construct, resources: AdoptableResources, imports: AdoptionImports): ImportExisting[] {
  const blocks: ImportExisting[] = [];
  const add = (what: string, resource: TerraformResource | undefined, id: string | undefined): void => {
    if (id === undefined) return;
    if (resource === undefined) {
      throw new Error(`adoption record: ${what} ${id} is recorded for import, but the config creates no such resource; run wire-federation adopt again`);
    }
    blocks.push(new ImportExisting(scope, `Import-${what}`, { resource, id }));
  };
  for (const key of Object.keys(imports.releases) as ReleaseKey[]) add(`release-${key}`, resources.releases[key], imports.releases[key]);
  for (const kind of Object.keys(imports.dnsRecords) as DnsRecordKind[]) add(`dns-${kind}`, resources.dnsRecords[kind], imports.dnsRecords[kind]);
  const support = imports.supportReleases ?? {};
  for (const key of Object.keys(support) as SupportReleaseKey[]) add(`release-${key}`, resources.supportReleases?.[key], support[key]);
  return blocks;
}
