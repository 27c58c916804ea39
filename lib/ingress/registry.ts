import type { IngressChart, IngressChartName } from './ingress-chart';
import { nginxIngressServices } from './nginx-ingress-services';
import { wireIngress } from './wire-ingress';

/** Every ingress chart, by chart name: adding one is one file and one line here. */
const INGRESS_CHART_REGISTRY: Readonly<Record<IngressChartName, IngressChart>> = {
  'nginx-ingress-services': nginxIngressServices,
  'wire-ingress': wireIngress,
};

/** The ingress chart description for a chart name from the config. */
export function ingressChart(name: IngressChartName): IngressChart {
  return INGRESS_CHART_REGISTRY[name];
}

/** The ingress chart a release of `chart` is, or undefined when it is no ingress chart. */
export function ingressChartOf(chart: string): IngressChart | undefined {
  return Object.prototype.hasOwnProperty.call(INGRESS_CHART_REGISTRY, chart) ? INGRESS_CHART_REGISTRY[chart as IngressChartName] : undefined;
}
