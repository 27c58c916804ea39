/**
 * The backend domain of a running backend, read from its wire-server values. The chart needs it
 * in every place its version reads it, set even with federation off (brig, galley and cargohold
 * render it into their config maps; background-worker only 5.24.0 – 5.29.x: the chart-facts
 * table). Pure functions.
 */
import type { Finding } from '../checks/finding';
import type { Values } from '../helm/values/types';
import { valueAtPath } from '../helm/values/paths';
import { BACKEND_DOMAIN_PLACES, backendDomainPlaces } from '../core/chart-facts';
import type { AdoptRuleId } from './rules';

/** The wire-server value paths that carry the backend domain in some supported version. */
export const DOMAIN_PLACES: readonly string[] = BACKEND_DOMAIN_PLACES.map((p) => p.value);

export interface RunningDomain {
  /** Each place with what the running values hold there (undefined: not set). */
  readonly places: ReadonlyArray<{ readonly path: string; readonly value: unknown }>;
  /** The one domain the set places agree on; undefined when none is set or they disagree. */
  readonly domain?: string;
}

/** Compares domains the way DNS does: case-insensitive, without a trailing dot. */
const normal = (d: string): string => d.replace(/\.$/, '').toLowerCase();

/**
 * Reads the places of `wireServerValues` that wire-server `chartVersion` reads (a place the
 * version ignores, such as background-worker's copy from 5.30.0, is neither compared nor
 * required). @param chartVersion the running chart's version; undefined: every place
 */
export function runningDomain(wireServerValues: Values, chartVersion?: string): RunningDomain {
  const places = backendDomainPlaces(chartVersion).map((p) => ({ path: p.value, value: valueAtPath(wireServerValues, p.value) }));
  const set = places.filter((p) => typeof p.value === 'string' && p.value !== '');
  const distinct = new Set(set.map((p) => normal(p.value as string)));
  const consistent = set.length === places.filter((p) => p.value !== undefined).length && distinct.size === 1;
  return { places, domain: consistent ? normal(set[0].value as string) : undefined };
}

const RULE: AdoptRuleId = 'adopt-backend-domain';

/**
 * Whether the running backend may be adopted by a config with `backendDomain`: errors when the
 * running domain differs, is inconsistent across the places its chart version reads, or cannot be found (a changed
 * backend domain breaks every user id: clients may crash or lose data); a warning for a place
 * that is not set (the federation config sets each place the pinned version reads).
 */
export function domainFindings(running: RunningDomain, backendDomain: string, release = 'wire-server'): Finding[] {
  const shown = running.places.map((p) => `${p.path} = ${p.value === undefined ? '(not set)' : JSON.stringify(p.value)}`).join(', ');
  if (running.domain === undefined) {
    const set = running.places.filter((p) => p.value !== undefined);
    return [
      {
        level: 'error',
        rule: RULE,
        message:
          set.length === 0
            ? `the running ${release} values set the backend domain in none of its ${running.places.length} places (${running.places.map((p) => p.path).join(', ')}): adopt cannot tell which domain the running backend uses. Check the release name and namespace (charts.wireServer.releaseName, kubernetes.namespace)`
            : `the running backend's domain is inconsistent across the ${running.places.length} places (${shown}). Nothing was written: fix the running release first (all of them must hold the same domain, the one users already have in their ids), then run adopt again`,
      },
    ];
  }
  if (running.domain !== normal(backendDomain)) {
    return [
      {
        level: 'error',
        rule: RULE,
        message: `the running backend uses the backend domain ${JSON.stringify(running.domain)}, but the config says backendDomain ${JSON.stringify(backendDomain)}. The backend domain is part of every user's id and can never change once users exist: set backendDomain to ${JSON.stringify(running.domain)}. Nothing was written`,
      },
    ];
  }
  return running.places
    .filter((p) => p.value === undefined)
    .map((p) => ({
      level: 'warning' as const,
      rule: RULE,
      message: `${p.path} is not set in the running ${release} values (the chart renders it empty); the federation config sets it to ${JSON.stringify(backendDomain)}`,
    }));
}
