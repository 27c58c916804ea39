/**
 * Type-level check (run by `npx tsc --noEmit -p .`, not by jest): the dashboard the generator
 * returns is a Grafana dashboard by Grafana's published schema (@grafana/schema, a devDependency;
 * lib/ does not import it). Two checks, both on the generator's return type:
 * - it is assignable to Grafana's classic `Dashboard` (raw/dashboard/x/types.gen) and to the
 *   `Dashboard` the package root exports, with Grafana's enums read as their JSON values;
 * - it has no property, at any depth, that Grafana's type lacks (excess properties, which a plain
 *   assignment of a non-literal would let through).
 */
import type { Dashboard as RootDashboard } from '@grafana/schema';
import type { Dashboard as ClassicDashboard } from '@grafana/schema/dist/types/raw/dashboard/x/types.gen';
import { federationDashboard } from '../../lib/monitoring/dashboard';

/**
 * A Grafana type as its JSON: enum members become their values (`ThresholdsMode.Absolute` →
 * `'absolute'`, `VariableRefresh.onTimeRangeChanged` → `2`); plain strings and numbers stay as they
 * are; arrays may be readonly (the generator's are).
 */
export type GrafanaJson<T> = T extends string
  ? `${T}`
  : T extends number
    ? `${T}` extends `${infer N extends number}`
      ? N
      : never
    : T extends boolean | null | undefined
      ? T
      : T extends readonly (infer E)[]
        ? readonly GrafanaJson<E>[]
        : T extends object
          ? { readonly [K in keyof T]: GrafanaJson<T[K]> }
          : T;

type ElementOf<S> = S extends readonly (infer E)[] ? E : never;
type KeysOf<S> = S extends object ? keyof S : never;
type PropOf<S, K> = S extends object ? (K extends keyof S ? Exclude<S[K], null | undefined> : never) : never;

/**
 * The paths of properties in T that no member of S has (`never` when there are none). Stops where
 * S allows anything (`unknown`, `Record<string, unknown>`).
 */
export type ExcessPaths<T, S, P extends string = 'dashboard'> = unknown extends S
  ? never
  : T extends readonly (infer E)[]
    ? ExcessPaths<E, ElementOf<S>, `${P}[]`>
    : T extends object
      ? string extends KeysOf<S>
        ? never
        : { [K in keyof T & string]-?: K extends KeysOf<S> ? ExcessPaths<NonNullable<T[K]>, PropOf<S, K>, `${P}.${K}`> : `${P}.${K}` }[keyof T & string]
      : never;

type Generated = ReturnType<typeof federationDashboard>;
/** Fails to compile (naming the path) if the generator emits a property Grafana's type lacks. */
type Ok<T extends never> = T;

export const classic = federationDashboard() satisfies GrafanaJson<ClassicDashboard>;
export const root = federationDashboard() satisfies GrafanaJson<RootDashboard>;
export type NoExcessClassic = Ok<ExcessPaths<Generated, GrafanaJson<ClassicDashboard>>>;
export type NoExcessRoot = Ok<ExcessPaths<Generated, GrafanaJson<RootDashboard>>>;
