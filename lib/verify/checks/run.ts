/** Checks about a run of verify as a whole, not about one part of it. */
import { defineCheck, defineGroup } from './types';

export const RUN_CHECKS = defineGroup({
  scope: 'run',
  checks: [
    defineCheck({
      id: 'peers',
      level: 'warning',
      description: '`--peers` was given and the config lists peers (a warning otherwise)',
      fix: 'add peers to the config',
    }),
  ],
});
