/**
 * The federation mesh: which of our peers federate with each other (`wire-federation mesh`,
 * the exporter's mesh metric).
 */
export * from './protocol';
export * from './query';
export * from './matrix';
export * from './measure';
export * from './render';
export * from './galley';
export * from './card';
export * from './metrics';
export * from './exporter';
