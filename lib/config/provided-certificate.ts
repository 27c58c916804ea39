/**
 * Synth-time checks of operator-provided federator certificate files ("provided" certificate
 * mode, docs/chart-facts.md, sections 4, 5 and 10): the certificate chain, its private key and the CA, as PEM
 * texts. Pure: no file access, no cdktf import; the caller reads the files and reports findings.
 *
 * Messages name the file as the operator wrote it, say what is wrong and what was found, and
 * how to fix it. They never contain private key material.
 */
import { KeyObject, X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import {
  chainToAnchor,
  daysLeft,
  extendedKeyUsageName,
  extendedKeyUsages,
  keyProblem,
  missingFederationUsages,
  oneLineName,
  sanCovers,
  sanDnsNames,
  validFromDate,
  validToDate,
  validityProblem,
  EXPIRY_WARNING_DAYS,
  isoDay as day,
} from '../core/x509';
import { containsPrivateKey, parseCertificates } from '../core/pem';

/** Paths of the provided files as the operator wrote them (only used in messages). */
export interface ProvidedCertificateFiles {
  /** PEM: the federator certificate first, then its intermediates in order. */
  certificateFile: string;
  /** PEM: the private key of the federator certificate. */
  keyFile: string;
  /** PEM: the CA (one or more certificates) that issued the chain. */
  caFile: string;
}

/** One problem with a provided file. */
export interface ProvidedCertificateFinding {
  /** `error`: the federator can not work with it. `warning`: works, but should be fixed. */
  level: 'error' | 'warning';
  /** Which input the finding is about. */
  field: 'certificateFile' | 'keyFile' | 'caFile';
  /** The path of that file, as given in {@link ProvidedCertificateFiles}. */
  file: string;
  /** What is wrong, the value found and how to fix it. */
  message: string;
}

/** Input of {@link checkProvidedCertificate}. */
export interface ProvidedCertificateInput {
  files: ProvidedCertificateFiles;
  /** Content of `files.certificateFile`. */
  certificatePem: string;
  /** Content of `files.keyFile`; undefined when the key only arrives at apply time (no key checks). */
  keyPem: string | undefined;
  /** Content of `files.caFile`. */
  caPem: string;
  /** The federator infrastructure domain the certificate must cover. */
  federatorDomain: string;
  /** @default the current time */
  now?: Date;
}

/** Result of {@link checkProvidedCertificate}. */
export interface ProvidedCertificateResult {
  /** Empty when the files are fine. */
  findings: ProvidedCertificateFinding[];
  /**
   * Number of certificates between the leaf and the CA, i.e. the nginx `verify_depth` this chain
   * needs: leaf signed directly by the CA = 1, CA → intermediate → leaf = 2. At least 1. When the
   * chain does not reach the CA, 1 + the number of intermediates in the certificate file.
   */
  chainDepth: number;
}

/** Certificates expiring within this many days get a warning (as in `wire-federation verify`). */

const FEDERATION_MODES_HINT =
  "public CAs (Let's Encrypt and most others) stopped issuing certificates with client auth in 2026: use certificate mode private-ca, or cert-manager with a private CA issuer (nginx-ingress-services federator.tls.issuer)";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Checks the provided federator certificate, key and CA: the files parse, the SAN covers the
 * federator domain, server AND client auth usage, ECDSA P-256/P-384/P-521 or RSA key (warning below 3072
 * bits), the key belongs to the certificate, the chain leads to a CA of the CA file, and the
 * certificate is valid (warning when fewer than 30 days are left).
 *
 * Each failed check gives one finding. Checks that depend on a file that does not parse are
 * left out (e.g. no key match without a parsed key).
 */
export function checkProvidedCertificate(input: ProvidedCertificateInput): ProvidedCertificateResult {
  const { files, federatorDomain } = input;
  const now = input.now ?? new Date();
  const findings: ProvidedCertificateFinding[] = [];
  const add = (level: ProvidedCertificateFinding['level'], field: ProvidedCertificateFinding['field'], message: string): void => {
    findings.push({ level, field, file: files[field], message: `${files[field]}: ${message}` });
  };
  const error = (field: ProvidedCertificateFinding['field'], message: string): void => add('error', field, message);
  const warning = (field: ProvidedCertificateFinding['field'], message: string): void => add('warning', field, message);

  // Certificate file: leaf first, then intermediates.
  const certs = parseCertificates(input.certificatePem);
  let leaf: X509Certificate | undefined;
  let intermediates: X509Certificate[] = [];
  if ('error' in certs) {
    error(
      'certificateFile',
      `the certificate file ${certs.error}${swappedHint(input.certificatePem)}. Fix: put the federator certificate in PEM ("-----BEGIN CERTIFICATE-----"), followed by its intermediate certificates in order`,
    );
  } else {
    [leaf, ...intermediates] = certs.certificates;
  }

  // Key file.
  const key: ReturnType<typeof parsePrivateKey> | { skipped: true } = input.keyPem === undefined ? { skipped: true } : parsePrivateKey(input.keyPem);
  if ('error' in key) error('keyFile', key.error);

  // CA file.
  const cas = parseCertificates(input.caPem);
  if ('error' in cas) {
    error(
      'caFile',
      `the CA file ${cas.error}${swappedHint(input.caPem)}. Fix: put the PEM certificate of the CA that issued the federator certificate in it ("-----BEGIN CERTIFICATE-----"; never its key)`,
    );
  }

  let chainDepth = 1 + intermediates.length;
  if (!leaf) return { findings, chainDepth };

  // SAN.
  if (!sanCovers(leaf, federatorDomain)) {
    const names = sanDnsNames(leaf);
    error(
      'certificateFile',
      `the certificate does not cover the federator domain ${federatorDomain}: SAN DNS names found: ${names.length > 0 ? names.join(', ') : 'none'}. Fix: issue the certificate with ${federatorDomain} in its subjectAltName (or a wildcard *.${parentDomain(federatorDomain)}, which covers one label only)`,
    );
  }

  // Extended key usage.
  const missing = missingFederationUsages(leaf);
  if (missing.length > 0) {
    const found = (extendedKeyUsages(leaf) ?? []).map(extendedKeyUsageName).join(', ') || 'none';
    error(
      'certificateFile',
      `the certificate's extended key usage lacks ${missing.join(' and ')} (found: ${found}). This project uses one certificate as the federator's server certificate and as its client certificate towards remote backends (a choice: the chart could take a separate client certificate), so it needs serverAuth AND clientAuth. Fix: issue it with both usages${missing.includes('clientAuth') ? `; ${FEDERATION_MODES_HINT}` : ''}`,
    );
  }

  // Key type and size.
  const problem = keyProblem(leaf);
  if (problem) {
    add(
      problem.severity,
      'certificateFile',
      `the certificate has an unsuitable key: ${problem.message}. Fix: ${problem.severity === 'error' ? 'issue the certificate with an ECDSA P-256 key (or RSA ≥ 3072 bits)' : 'use RSA ≥ 3072 bits or ECDSA P-256 at the next renewal'}`,
    );
  }

  // Key matches certificate.
  if ('key' in key) {
    const keySpki = spkiFingerprint(createPublicKey(key.key));
    const certSpki = spkiFingerprint(leaf.publicKey);
    if (keySpki !== certSpki) {
      error(
        'keyFile',
        `the private key does not belong to the certificate in ${files.certificateFile} (public key SHA-256: key ${keySpki.slice(0, 16)}…, certificate ${certSpki.slice(0, 16)}…). Fix: use the key the certificate was issued for; compare \`openssl pkey -in <key> -pubout | openssl sha256\` with \`openssl x509 -in <cert> -noout -pubkey | openssl sha256\``,
      );
    }
  }

  // Chain to the CA.
  if ('certificates' in cas) {
    const chain = chainToAnchor(leaf, intermediates, cas.certificates);
    if (chain.ok) {
      chainDepth = Math.max(1, chain.path.length - 1);
    } else {
      const caNames = cas.certificates.map((c) => oneLineName(c.subject)).join('; ');
      error(
        'certificateFile',
        `the certificate chain does not lead to a CA in ${files.caFile}: ${chain.reason}; CA file holds: ${caNames}. Fix: put the CA that issued the certificate (issuer "${oneLineName(leaf.issuer)}") into ${files.caFile}, and any intermediate certificates after the certificate in ${files.certificateFile}`,
      );
    }
  }

  // Validity.
  const validity = validityProblem(leaf, now);
  const left = daysLeft(leaf, now);
  if (validity === 'expired') {
    error(
      'certificateFile',
      `the certificate expired on ${day(validToDate(leaf))} (${plural(-left, 'day')} ago). Fix: renew the certificate and replace the file`,
    );
  } else if (validity === 'not-yet-valid') {
    error(
      'certificateFile',
      `the certificate is not valid before ${validFromDate(leaf).toISOString()}. Fix: check the clock of the issuing CA and of this machine, or wait until then`,
    );
  } else if (left < EXPIRY_WARNING_DAYS) {
    warning(
      'certificateFile',
      `the certificate expires on ${day(validToDate(leaf))}, in ${plural(left, 'day')}. Fix: renew it before then (provided certificates are not renewed automatically)`,
    );
  }

  return { findings, chainDepth };
}

/** Parses the key file; messages describe what the file holds instead, never its content. */
function parsePrivateKey(pem: string): { key: KeyObject } | { error: string } {
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
  const fix =
    'Fix: put the unencrypted PEM private key of the federator certificate in it (a PEM block labelled PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)';
  if (labels.includes('ENCRYPTED PRIVATE KEY') || /Proc-Type:\s*4,ENCRYPTED/.test(pem)) {
    return {
      error: `the private key is encrypted with a passphrase; the charts need it unencrypted. Fix: decrypt it (\`openssl pkey -in <key> -out <plain key>\`) and keep the file secret`,
    };
  }
  if (!labels.some((l) => l.endsWith('PRIVATE KEY'))) {
    const found = labels.includes('CERTIFICATE')
      ? 'holds a certificate, not a private key (certificate and key files swapped?)'
      : labels.some((l) => l.endsWith('PUBLIC KEY'))
        ? 'holds a public key, not a private key'
        : labels.length > 0
          ? `holds no private key (PEM blocks found: ${[...new Set(labels)].join(', ')})`
          : 'holds no PEM block ("-----BEGIN … PRIVATE KEY-----")';
    return { error: `the key file ${found}. ${fix}` };
  }
  try {
    return { key: createPrivateKey(pem) };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return { error: `the private key does not parse${typeof code === 'string' ? ` (${code})` : ''}. ${fix}` };
  }
}

/** A hint when a certificate file holds a private key instead (content never shown). */
function swappedHint(pem: string): string {
  return containsPrivateKey(pem) ? ' (it holds a private key: files swapped?)' : '';
}

function spkiFingerprint(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function parentDomain(name: string): string {
  const i = name.indexOf('.');
  return i < 0 ? name : name.slice(i + 1);
}
