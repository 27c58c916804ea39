export * from './errors';
export * from './schema';
export * from './parse';
export * from './load';
