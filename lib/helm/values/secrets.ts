/**
 * Which Helm values are secrets: the one place that decides it, for `adopt` (what never goes
 * into an adopted values file), `validate`/synth (the rule `secret-in-values`, and what goes to
 * `set_sensitive`), the card (secret-looking field names) and `render` (masking).
 *
 * A value is a secret by its NAME (the key or any map above it is named like a secret, in any
 * form: `password`, `passwords`, `pwd`, `pass`, `creds`, `privateKeys`, `accessKeyId`,
 * `smtp_password`, `client-secret`, a map `secrets:` …) or by its SHAPE (a private key, a URL with
 * credentials, a known token format, or a long high-entropy string), whatever it is called.
 * Lists are scanned like maps (`servers[0].password`). Certificates are public: a PEM holding
 * only certificates is never a secret. Pure functions, plain Node (no cdktf).
 */
import type { Values } from './types';
import { PRIVATE_KEY_HEADER, holdsPrivateKeyContent } from '../../core/pem';

/** Whether `text` holds a private key: lib/core/pem.ts. */
export { holdsPrivateKeyContent };

/** The words of a key: `smtpPassword` → smtp, password; `AWS_ACCESS_KEY_ID` → aws, access, key, id. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase())
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/** A key whose last word is one of these names a secret (words singular). */
const SECRET_WORD = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'passcode',
  'secret',
  'token',
  'credential',
  'cred',
  'creds',
  'apikey',
  'privatekey',
  'secretkey',
  'accesskey',
  'accesskeyid',
  'sessionkey',
  'dsn',
  'bearer',
]);
/** Two last words that name a secret (`private key`, `api key`, `access key`, …). */
const SECRET_PAIR = new Set([
  'private key',
  'secret key',
  'access key',
  'api key',
  'signing key',
  'encryption key',
  'auth key',
  'master key',
  'session key',
  'hmac key',
  'tls key',
  'ssl key',
  'wildcard key',
  'client key',
  'shared key',
  'key id',
  'connection string',
]);

/** First words of keys that refer to a secret or configure one, not hold it. */
const REFERENCE_FIRST = new Set(['existing', 'use', 'enable', 'create']);
/** Words of keys that count secrets or bound them (`maxScimTokens`, `passwordMinLength`). */
const COUNTING = new Set(['max', 'min', 'num', 'number', 'count', 'limit']);
/** Last words of keys that refer to a secret or describe it (its name, file, length, lifetime…), not hold it. */
export const REFERENCE_LAST = new Set([
  'name',
  'override',
  'ref',
  'reference',
  'file',
  'path',
  'dir',
  'mount',
  'type',
  'kind',
  'namespace',
  'mode',
  'format',
  'length',
  'size',
  'ttl',
  'timeout',
  'expire',
  'expiry',
  'duration',
  'version',
  'enabled',
  'create',
  'annotation',
  'label',
  'policy',
  'url',
  'uri',
  'endpoint',
  'host',
  'port',
  'header',
  'algorithm',
  'rotation',
  'lifetime',
  'validity',
]);

/** Whether a key (one segment of a path) is named like a secret, in any of its usual forms. */
export function isSecretName(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  // A reference to a secret, or a setting about one, is not one (`existingSecret`, `secretName`, `useSharedFederatorSecret`).
  if (REFERENCE_FIRST.has(words[0]) || REFERENCE_LAST.has(last) || words.some((w) => COUNTING.has(w))) return false;
  if (SECRET_WORD.has(last) || SECRET_WORD.has(words.join(''))) return true;
  if (words.length >= 2) {
    const pair = `${words[words.length - 2]} ${last}`;
    // `keyId` alone is an identifier; `awsKeyId` / `accessKeyId` is an AWS access key id.
    if (pair === 'key id') return words.length >= 3 && ['aws', 'access'].includes(words[words.length - 3]);
    if (SECRET_PAIR.has(pair)) return true;
  }
  // Compound words written as one (`secretaccesskey`, `smtppassword`).
  const joined = words.join('');
  return /(password|passwd|passphrase|secret|token|credential|apikey|privatekey|secretkey|accesskey)$/.test(joined);
}

/** A PEM block of any label (certificates included), with its label. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
/** Known token formats (cloud keys, JWTs, chat and forge tokens). */
const TOKEN_FORMATS: readonly RegExp[] = [
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/, // AWS access key id
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, // JWT
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack
  /\bgh[pousr]_[A-Za-z0-9]{30,}/, // GitHub
  /\bglpat-[A-Za-z0-9_-]{20,}/, // GitLab
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API key
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/, // Stripe
  /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/, // a bearer credential
];

/** A URL with a password (`scheme://user:password@host`). */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;

/** Shannon entropy of a string, bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Character class: lower, upper, digit, other. */
const charClass = (c: string): number => (c >= 'a' && c <= 'z' ? 0 : c >= 'A' && c <= 'Z' ? 1 : c >= '0' && c <= '9' ? 2 : 3);

/**
 * A long random-looking string: one token of base64/URL-safe characters (no dots, colons or
 * spaces, so host names, versions, image references and prose are not candidates), at least 20
 * long, mixing at least two of lower case, upper case and digits, whose characters switch class
 * often (random text switches at about 2 characters in 3, identifiers like
 * `MyApplicationName2024Prod` at 1 in 3) and with high entropy. Hex strings (digests, ids) switch
 * are identifiers, not candidates (a hex secret is found by its name).
 */
function isHighEntropy(s: string): boolean {
  if (s.length < 20 || s.length > 8192 || !/^[A-Za-z0-9+/=_-]+$/.test(s)) return false;
  // Hex (digests, UUIDs such as team ids) is an identifier here; a hex secret is found by its name.
  if (/^[0-9a-fA-F-]+$/.test(s)) return false;
  const body = s.replace(/=+$/, '');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(body)).length;
  if (classes < 2) return false;
  let switches = 0;
  for (let i = 1; i < body.length; i++) if (charClass(body[i]) !== charClass(body[i - 1])) switches++;
  const ratio = switches / (body.length - 1);
  const h = entropy(body);
  return (ratio >= 0.4 && h >= 3.5) || (ratio >= 0.3 && h >= 4.3);
}

/** Why a string value is a secret by its shape alone, or undefined. */
export function secretShape(value: string): string | undefined {
  if (holdsPrivateKeyContent(value)) return 'a private key';
  if (URL_CREDENTIALS.test(value)) return 'a URL with credentials';
  if (TOKEN_FORMATS.some((r) => r.test(value))) return 'a token of a known format';
  if (isHighEntropy(value.trim())) return 'a long random string';
  return undefined;
}

/** Whether a text holds only certificates (public, never a secret). */
export function isOnlyCertificates(text: string): boolean {
  const t = text.trim();
  return t !== '' && /-----BEGIN CERTIFICATE-----/.test(t) && t.replace(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g, '').trim() === '';
}

function isMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One value held as a secret: its dotted path (`a.b[0].c` inside lists) and why. */
export interface SecretFinding {
  readonly path: string;
  /** `named` (the key or a map above it is named like a secret) or the shape found. */
  readonly reason: string;
  /** The path crosses a list: `set_sensitive` cannot carry it alone. */
  readonly inList: boolean;
}

/**
 * Every secret leaf of `values`, by path. A leaf under a key named like a secret counts when it
 * is a non-empty string or a number (booleans and empty values do not); any string counts by its
 * shape; a certificate never counts.
 */
export function findSecrets(values: unknown, prefix = '', named = false, inList = false): SecretFinding[] {
  if (Array.isArray(values)) {
    return values.flatMap((v, i) => findSecrets(v, `${prefix}[${i}]`, named, true));
  }
  if (isMap(values)) {
    return Object.keys(values).flatMap((key) => {
      // Under a map named like a secret, a key that names or describes it (`secret.nameOverride`) is not one.
      const here = isSecretName(key) || (named && !REFERENCE_LAST.has(keyWords(key).pop() ?? ''));
      return findSecrets(values[key], prefix ? `${prefix}.${key}` : key, here, inList);
    });
  }
  if (typeof values === 'string') {
    if (values === '' || isOnlyCertificates(values)) return [];
    const shape = secretShape(values);
    if (shape !== undefined) return [{ path: prefix, reason: shape, inList }];
    return named ? [{ path: prefix, reason: 'named like a secret', inList }] : [];
  }
  if (typeof values === 'number' && named) return [{ path: prefix, reason: 'named like a secret', inList }];
  return [];
}

/** Dotted paths of the secret leaves of `values` (see {@link findSecrets}). */
export function secretPaths(values: Values): string[] {
  return findSecrets(values).map((f) => f.path);
}

/**
 * A text with every secret SHAPE replaced by `(masked)`: private key blocks, credentials in
 * URLs and tokens of known formats. For review text (rendered ConfigMaps, logs).
 */
export function maskSecretShapes(text: string): string {
  let out = text.replace(PEM_BLOCK, (block, label: string) => (/PRIVATE\s*KEY/i.test(label) ? '(masked)' : block));
  out = out.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:)[^\s/@]+@/gi, '$1(masked)@');
  for (const r of TOKEN_FORMATS) out = out.replace(new RegExp(r.source, 'g'), '(masked)');
  return out;
}

/** What a secret is, without showing it: its kind and length only. */
export function describeSecret(value: unknown): string {
  if (typeof value === 'string' && holdsPrivateKeyContent(value)) return PRIVATE_KEY_HEADER.test(value) ? 'a PEM private key' : 'a private key';
  return typeof value === 'string' ? `a string of ${value.length} characters` : typeof value;
}
