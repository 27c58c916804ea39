import type { IngressChart, IngressChartName } from './ingress-chart';
import { nginxIngressServices } from './nginx-ingress-services';

/** Every ingress chart, by chart name: adding one is one file and one line here. */
const INGRESS_CHART_REGISTRY: Readonly<Record<IngressChartName, IngressChart | undefined>> = {
  'nginx-ingress-services': nginxIngressServices,
  'wire-ingress': undefined,
};

/** The ingress chart description for a chart name from the config. */
export function ingressChart(name: IngressChartName): IngressChart {
  const chart = INGRESS_CHART_REGISTRY[name];
  if (chart === undefined) throw new Error(`ingress.chart: ${name} is not supported yet`);
  return chart;
}

/** The ingress chart a release of `chart` is, or undefined when it is no ingress chart. */
export function ingressChartOf(chart: string): IngressChart | undefined {
  return Object.prototype.hasOwnProperty.call(INGRESS_CHART_REGISTRY, chart) ? INGRESS_CHART_REGISTRY[chart as IngressChartName] : undefined;
}
