import { Fn, ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { mergeValues, sortKeys } from '../core/values';
import { renderValues } from './values/yaml';
import { splitApplyTime } from './values/split';
import { withoutPaths } from './values/paths';
import type { SensitiveValue, Values } from './values/types';
import { compareStrings } from '../order';

export interface ChartReleaseProps {
  /** Helm release name. */
  readonly releaseName: string;
  /** Chart name in the repository, e.g. `wire-server`. */
  readonly chart: string;
  /** Helm repository URL. */
  readonly repository: string;
  /** Exact chart version. */
  readonly version: string;
  /** Kubernetes namespace. */
  readonly namespace: string;
  /** The operator's own values (non-federation settings), applied under the federation values. @default {} */
  readonly operatorValues?: Values;
  /** Federation values; they win over the operator's values. */
  readonly federationValues: Values;
  /** Values that go through `set_sensitive` only. @default [] */
  readonly sensitiveValues?: readonly SensitiveValue[];
  /** Resources to create first. @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A Helm release with the operator's values and the federation values on top. Values known at
 * synth are literal YAML (readable in the synthesized JSON and in the plan); apply-time public
 * content (certificates) is a separate `yamlencode` document; secrets go to `set_sensitive` only,
 * so the values diff stays reviewable. A federation value that overrides a different operator
 * value is reported by the rule `values-conflict`.
 */
export class ChartRelease extends Construct {
  public readonly release: Release;
  /** Chart name, e.g. `wire-server`. */
  public readonly chart: string;
  /** The federation values, as given (checks compare them with the operator's values files). */
  public readonly federationValues: Values;

  constructor(scope: Construct, id: string, props: ChartReleaseProps) {
    super(scope, id);
    const operatorValues = props.operatorValues ?? {};
    this.chart = props.chart;
    // A federation value that overrides a values file is the rule `values-conflict`.
    this.federationValues = props.federationValues;
    const { known, applyTime } = splitApplyTime(props.federationValues, (v) => Token.isUnresolved(v));
    // A value given through set_sensitive never stays in the reviewable values, even when a values file sets it too.
    // A sensitive list element (`secrets.zrestSecrets[0]`) makes the whole list sensitive.
    const sensitivePaths = (props.sensitiveValues ?? []).map((s) => s.path.replace(/\[\d+\]$/, ''));
    const values = [renderValues(withoutPaths(mergeValues(operatorValues, known), sensitivePaths))];
    if (Object.keys(applyTime).length > 0) values.push(Fn.yamlencode(sortKeys(applyTime)));

    this.release = new Release(this, 'Resource', {
      name: props.releaseName,
      chart: props.chart,
      repository: props.repository,
      version: props.version,
      namespace: props.namespace,
      values,
      setSensitive: [...(props.sensitiveValues ?? [])]
        .sort((a, b) => compareStrings(a.path, b.path))
        .map((s) => ({ name: s.path, value: s.value, type: 'string' })),
      dependsOn: props.dependsOn,
      wait: true,
      timeout: 900,
    });
  }
}
