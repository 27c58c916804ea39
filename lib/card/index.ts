/**
 * The federation card (`wire-federation card export/add/check`): what one operator sends
 * another to federate, its schema, how it is built from a config, read, checked and added as a
 * peer, and `checkCard` (what a partner's backend serves against its card, with the verifier's
 * peer checks).
 */
export * from './schema';
export * from './parse';
export * from './validate';
export * from './build';
export * from './add';
export * from './check';
