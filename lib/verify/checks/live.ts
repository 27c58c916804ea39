/** The check `check-pairs --live` reports per direction, as `live[<caller>→<callee>]` (`live-pairs.ts`). */
import { defineCheck, defineGroup } from './types';

export const LIVE_CHECKS = defineGroup({
  scope: 'live',
  checks: [
    defineCheck({
      id: 'call',
      level: 'error',
      description: "the federation call from the caller environment to the callee, as the caller's federator makes it",
      fix: 'the side named in the message acts (its config file is named)',
    }),
  ],
});
