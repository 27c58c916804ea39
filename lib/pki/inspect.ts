/** Moved to the ground floor: lib/core/x509.ts (kept here so existing imports keep working). */
export * from '../core/x509';
