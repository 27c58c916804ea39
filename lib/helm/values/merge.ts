/** Moved to the ground floor: lib/core/values.ts (kept here so existing imports keep working). */
export * from '../../core/values';
