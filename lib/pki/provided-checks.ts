/** Moved to the config, which checks the provided files: lib/config/provided-certificate.ts (kept here so existing imports keep working). */
export * from '../config/provided-certificate';
