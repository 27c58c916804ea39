/** Moved to the ground floor: lib/core/names.ts (kept here so existing imports keep working). */
export * from '../core/names';
