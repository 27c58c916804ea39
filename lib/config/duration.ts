/** Moved to the ground floor: lib/core/durations.ts (kept here so existing imports keep working). */
export * from '../core/durations';
