/** Moved to the ground floor: lib/core/pem.ts (kept here so existing imports keep working). */
export * from '../core/pem';
