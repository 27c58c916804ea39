/**
 * `wire-federation card export|add|check`: the federation card, what one operator sends another
 * to federate (backend and federator domain, SRV port, CA certificates with fingerprints, …).
 *
 * - `card export <environment>`: writes our card. Exit 0 written, 1 refused (our CA unusable),
 *   2 usage error or invalid config.
 * - `card add <environment> <card>`: checks a partner's card, stores its CA bundle and adds the
 *   peer (YAML/JSON config edited in place; for a config in code, the entry to paste), then
 *   prints what is left to do. Nothing is written when anything is refused. Exit 0 added,
 *   1 refused, 2 usage error or invalid config.
 * - `card check <card>`: the card against what the partner's backend serves (verify's peer
 *   checks). Exit 0 every check passed (warnings allowed), 1 a check failed, 2 usage error or
 *   invalid card.
 */
import { writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { nextSteps, peerEntryTypeScript } from '../../lib/card/add';
import { addCard, problemLine } from '../../lib/card/add-transaction';
import { cardMeshWarnings } from '../../lib/mesh/card';
import { buildCard, cardCaSource, defaultCardSearchPolicy, renderCard } from '../../lib/card/build';
import { parseCard } from '../../lib/card/parse';
import type { FederationCard } from '../../lib/card/schema';
import { CardProblem, CheckedCa, cardSubject, checkCardCertificates } from '../../lib/card/validate';
import { SearchPolicy, WireFederationConfig } from '../../lib/config';
import { fileTarget } from '../../lib/config/command-hint';
import { domainProblem } from '../../lib/config/schema';
import { normalizeDnsName } from '../../lib/core/names';
import { isoDay, validToDate } from '../../lib/core/x509';
import { containsPrivateKey } from '../../lib/core/pem';
import { printable } from '../../lib/card/parse';
import { acquireFileLock } from '../../lib/files/write';
import { checkCard } from '../../lib/card/check';
import { renderCheck, summarize } from '../../lib/verify/report';
import { ourFederationVersions } from '../../lib/verify/verify';
import { FederationConfigError, UsageError, cliCommand, configFileOf, currentProject, hintFor, loadConfig, projectSources } from '../config-source';
import { COMMAND_EXIT, exitWith } from '../exit';
import { collect, commandOutput } from '../output';
import { sourceOf } from '../project';
import {
  DEFAULT_TIMEOUT_MS,
  parseDate,
  parseDnsServerOption,
  parseFederationVersions,
  parseSearchPolicy,
  parseTimeout,
  readClientCertificate,
  readText,
} from '../options';

/** The largest card read: five CAs and their text take about 12 KiB. */
const MAX_CARD_BYTES = 256 * 1024;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Output where text from a card may appear: every control and direction character is shown as
 * an escape (`\u001b`), whatever slipped past the card's checks (e.g. a certificate's subject).
 */
function printableOutput(out: { write: (text: string) => void; writeErr: (text: string) => void }): {
  write: (text: string) => void;
  writeErr: (text: string) => void;
} {
  return { write: (text) => out.write(printable(text)), writeErr: (text) => out.writeErr(printable(text)) };
}

/** Runs `body` holding the lock of the config file `file` (none for an environment of the app's project). */
function withConfigLock<T>(file: string | undefined, body: () => T): T {
  if (file === undefined) return body();
  let release: () => void;
  try {
    release = acquireFileLock(file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  try {
    return body();
  } finally {
    release();
  }
}

/** Runs `body`, turning usage errors and invalid configs into exit 2 with one message. */
async function guarded(command: Command, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof UsageError) command.error(`error: ${printable(e.message)}`, { exitCode: 2, code: COMMAND_EXIT });
    if (e instanceof FederationConfigError) command.error(printable(e.message), { exitCode: 2, code: COMMAND_EXIT });
    throw e;
  }
}

/** Reads and checks a card file: the card and its CAs, or every problem (one line each). */
function readCard(file: string, now: Date): { card: FederationCard; cas: readonly CheckedCa[]; problems: CardProblem[] } | { problems: CardProblem[] } {
  const parsed = parseCard(readText('card', file, MAX_CARD_BYTES), { cli: cliCommand() });
  if ('problems' in parsed) return { problems: parsed.problems.map((message) => ({ level: 'error', message })) };
  const { cas, problems } = checkCardCertificates(parsed.card, now, { cli: cliCommand() });
  return { card: parsed.card, cas, problems: [...problems] };
}

/** The environment and card arguments of `card add` (the environment may come from --config). */
function addArguments(first: string | undefined, second: string | undefined, config: string | undefined): { env?: string; cardFile: string } {
  if (config !== undefined && second === undefined && first !== undefined) return { cardFile: first };
  if (second === undefined)
    throw new UsageError(`give the environment and the card file: ${cliCommand()} card add <environment> <card.yaml> (or --config <file> <card.yaml>)`);
  return { env: first, cardFile: second };
}

function registerExport(card: Command): void {
  card
    .command('export')
    .description(
      'Write our federation card for a partner: backend and federator domain, SRV port, our CA certificate(s) with SHA-256 fingerprints, ingress and verify depth, search policy, teams, federation API versions, contact, date',
    )
    .argument('[environment]', "environment name of the app's project (or give --config)")
    .option('-c, --config <file>', 'read the config from a YAML or JSON file instead of an environment name')
    .requiredOption('--contact <who>', 'who the partner calls or writes to check the fingerprints (email address, phone number)')
    .option('--out <file>', 'write the card to this file (default: standard output)')
    .option(
      '--ca-file <pem-file>',
      'our CA certificate(s), for pki.mode private-ca and cert-manager (the CA is created at apply): the stack output ca_certificate_pem saved to a file',
    )
    .option('--date <YYYY-MM-DD>', 'the date of the card (default: today, UTC)', parseDate)
    .option(
      '--federation-versions <list>',
      'our federation API versions, e.g. 0,1,2,3 (default: those of the configured wire-server chart version)',
      parseFederationVersions,
    )
    .option(
      '--search-policy <policy>',
      'the search policy we would like the partner to give our users: no_search, exact_handle_search, full_search (default: the one we give our peers when all agree, else no_search)',
      parseSearchPolicy,
    )
    .option(
      '--with-peers',
      "list our peers' backend domains in the card (federatesWith), so the partner's card add can tell which of its peers we do not federate with (Wire needs a full mesh for conversations across backends)",
    )
    .addHelpText(
      'after',
      [
        '',
        'In pki.mode provided the CA is pki.caFile. In private-ca and cert-manager mode it is made by Terraform at apply:',
        'save the stack output after cdktf deploy and give it with --ca-file:',
        '  $ terraform -chdir=cdktf.out/stacks/<environment> output -raw ca_certificate_pem > <environment>-ca.pem',
        '',
        'Exit codes: 0 written, 1 refused (our CA is unusable), 2 usage error or invalid config.',
        '',
        'Examples:',
        '  $ wire-federation card export red --ca-file red-ca.pem --contact ops@red.example --out red-card.yaml',
        '  $ wire-federation card export --config onprem.yaml --contact "+49 30 1234567" > onprem-card.yaml',
      ].join('\n'),
    )
    .action(async function (
      this: Command,
      environment: string | undefined,
      opts: {
        config?: string;
        contact: string;
        out?: string;
        caFile?: string;
        date?: string;
        federationVersions?: number[];
        searchPolicy?: SearchPolicy;
        withPeers?: boolean;
      },
    ) {
      const { write, writeErr } = printableOutput(commandOutput(this));
      await guarded(this, () => {
        const config = loadConfig(environment, opts.config);
        let given;
        if (opts.caFile !== undefined) {
          const text = readText('--ca-file', opts.caFile);
          if (containsPrivateKey(text))
            throw new UsageError(
              `--ca-file "${opts.caFile}" contains a PRIVATE KEY: give the CA certificate(s) only (the stack output ca_certificate_pem); a card never carries a key`,
            );
          given = { pem: text, origin: `--ca-file ${fileTarget(opts.caFile)}` };
        }
        const source = cardCaSource(config, given);
        if ('error' in source) throw new UsageError(source.error);
        if (!/-----BEGIN CERTIFICATE-----/.test(source.pem))
          throw new UsageError(`${source.origin} holds no "-----BEGIN CERTIFICATE-----" block: give our CA certificate(s) as PEM`);
        const now = new Date();
        const built = buildCard(config, {
          caPem: source.pem,
          contact: opts.contact,
          date: opts.date ?? isoDay(now),
          federationApiVersions: opts.federationVersions,
          searchPolicy: opts.searchPolicy,
          withPeers: opts.withPeers,
        });
        const text = renderCard(built);
        // What we send must be what `card add` accepts: read it back the same way.
        const read = parseCard(text, { cli: cliCommand() });
        const problems =
          'problems' in read
            ? read.problems.map((message): CardProblem => ({ level: 'error', message }))
            : checkCardCertificates(read.card, now, { cli: cliCommand() }).problems;
        const errors = problems.filter((p) => p.level === 'error');
        if (errors.length > 0) {
          for (const p of errors) writeErr(`✖ our card would be refused: ${p.message.replace(/ask the sender[^;]*/, `check ${source.origin}`)}\n`);
          exitWith(1);
        }
        const info = opts.out === undefined ? writeErr : write;
        info(`CA certificate${built.caCertificates.length === 1 ? '' : 's'} from ${source.origin}:\n`);
        for (const ca of built.caCertificates) info(`  SHA-256 ${ca.sha256}  ${ca.subject}, valid until ${ca.notAfter.slice(0, 10)}\n`);
        if (opts.searchPolicy === undefined) {
          const policy = defaultCardSearchPolicy(config);
          info(`searchPolicy ${policy.policy} (the default: ${policy.reason}; give --search-policy to ask for another)\n`);
        }
        for (const p of problems) info(`⚠ ${p.message}\n`);
        if (opts.out === undefined) {
          write(text);
          return;
        }
        writeFileSync(opts.out, text);
        write(`✔ wrote ${fileTarget(opts.out)}: the card of ${built.backendDomain}; send it, then read the fingerprints above to the partner over the phone\n`);
      });
    });
}

/** Where the partner's CA bundle goes and how the config names it. */
function peersLocation(
  config: WireFederationConfig,
  file: string | undefined,
  peersDir: string | undefined,
  domain: string,
): { pemPath: string; configPath: string } {
  const project = currentProject();
  const baseDir = file !== undefined ? dirname(resolve(file)) : project?.baseDir;
  const dir = peersDir !== undefined ? resolve(peersDir) : file !== undefined ? join(dirname(resolve(file)), 'peers') : project?.peersDir;
  if (dir === undefined || baseDir === undefined) {
    throw new UsageError(
      `give --peers-dir <dir>: where the CA bundle of ${domain} is stored (this CLI has no default directory for environment ${config.environment})`,
    );
  }
  const pemPath = join(dir, `${domain}.pem`);
  const rel = relative(baseDir, pemPath);
  return { pemPath, configPath: rel.startsWith('..') || isAbsolute(rel) ? pemPath : rel.split('\\').join('/') };
}

interface AddOptions {
  readonly config?: string;
  readonly searchPolicy?: SearchPolicy;
  readonly allowedTeams: string[];
  readonly peersDir?: string;
}

function registerAdd(card: Command): void {
  card
    .command('add')
    .description(
      "Add a partner's federation card as a peer: checks the card (schema, CA certificates and fingerprints, expiry, domains), stores its CA bundle, adds the peer to the config (a YAML/JSON file is edited in place, comments kept; for a config in code it prints the entry to paste) and prints what is left to do on both sides",
    )
    .argument('[environment]', "environment name of the app's project (or give --config)")
    .argument('[card]', 'the card file the partner sent (YAML or JSON)')
    .option('-c, --config <file>', 'edit this YAML or JSON config instead of naming an environment')
    .option(
      '--search-policy <policy>',
      'how users of the partner may search ours: no_search, exact_handle_search, full_search (default: what the card asks for)',
      parseSearchPolicy,
    )
    .option(
      '--allowed-teams <teams>',
      "teams OF THE PARTNER whose users may find ours (ids or names from the card's teams, comma-separated, repeatable; needs remotes.mode api) (default: all users of the partner)",
      collect,
      [],
    )
    .option('--peers-dir <dir>', "directory for the partner's CA bundle <domain>.pem (default: peers/ next to a config file; the app's peers directory)")
    .addHelpText(
      'after',
      [
        '',
        'Nothing is written when anything is refused: the card is checked and the changed config is validated',
        '(every rule of validate) first, then the CA bundle and the config are written.',
        'Exit codes: 0 added, 1 refused, 2 usage error or invalid config.',
        '',
        'Examples:',
        '  $ wire-federation card add red blue-card.yaml',
        '  $ wire-federation card add --config blue.yaml red-card.yaml --search-policy exact_handle_search',
      ].join('\n'),
    )
    .action(async function (this: Command, first: string | undefined, second: string | undefined, opts: AddOptions) {
      const { write, writeErr } = printableOutput(commandOutput(this));
      // One edit of a config at a time: a second `card add` on the same config waits, so no peer is lost.
      await guarded(this, () =>
        withConfigLock(configFileOf(addArguments(first, second, opts.config).env, opts.config), () => {
          const { env, cardFile } = addArguments(first, second, opts.config);
          const config = loadConfig(env, opts.config);
          const file = configFileOf(env, opts.config);
          const outcome = addCard({
            config,
            file,
            cardFile,
            read: readCard(cardFile, new Date()),
            ourVersions: ourFederationVersions(config).list,
            searchPolicy: opts.searchPolicy,
            allowedTeams: opts.allowedTeams,
            locate: (domain) => peersLocation(config, file, opts.peersDir, domain),
            projectSources,
            readConfigText: (f) => readText('--config', f),
          });
          if ('refused' in outcome) {
            for (const l of outcome.refused) writeErr(l);
            writeErr(`✖ ${cardFile}: refused, nothing written\n`);
            return exitWith(1);
          }
          const { partner, cas, problems, entry, pemPath, wrotePem } = outcome.added;

          for (const p of problems) writeErr(problemLine(cardFile, p));
          write(`✔ card of ${partner.backendDomain} (${partner.date}, contact ${partner.contact}): ${plural(cas.length, 'CA certificate')}\n`);
          for (const ca of cas) write(`  SHA-256 ${ca.entry.sha256}  ${cardSubject(ca.certificate)}, valid until ${isoDay(validToDate(ca.certificate))}\n`);
          write(wrotePem ? `✔ wrote ${fileTarget(pemPath)}\n` : `✔ ${fileTarget(pemPath)} is already there\n`);
          const policy =
            opts.searchPolicy === undefined
              ? `${entry.searchPolicy}, as the card asks`
              : entry.searchPolicy === partner.searchPolicy
                ? entry.searchPolicy
                : `${entry.searchPolicy}; the card asks for ${partner.searchPolicy}, tell ${partner.contact}`;
          const who = entry.allowedTeams
            ? `users of ${entry.allowedTeams.length === 1 ? 'team' : 'teams'} ${entry.allowedTeams.join(', ')} of ${partner.backendDomain} may find ours`
            : `all users of ${partner.backendDomain} may find ours`;
          let paste: { entry: string; into: string } | undefined;
          if (file !== undefined) {
            write(`✔ added peer ${partner.backendDomain} to ${fileTarget(file)} (searchPolicy ${policy}; ${who})\n`);
          } else {
            paste = { entry: peerEntryTypeScript(entry), into: sourceOf(currentProject(), config.environment) };
            write(`→ add this entry to peers in ${paste.into} (searchPolicy ${policy}; ${who}):\n  ${paste.entry}\n`);
          }
          const steps = nextSteps(partner, {
            environment: config.environment,
            backendDomain: config.backendDomain,
            cardFile: fileTarget(cardFile),
            cli: cliCommand(),
            command: hintFor(file ?? config.environment),
            paste,
            caFileNeeded: config.pki.mode !== 'provided',
            searchPolicy: entry.searchPolicy,
            locked: file === undefined && currentProject()?.locksDir !== undefined,
          });
          write(`What is left to do, in order:\n${steps.map((s, i) => `  ${i + 1}. ${s}\n`).join('')}`);
          for (const w of cardMeshWarnings({
            ...partner,
            ourPeers: config.peers.map((p) => p.domain),
            meshCommand: hintFor(file ?? config.environment)('mesh'),
          }))
            write(`⚠ ${w}\n`);
        }),
      );
    });
}

interface CheckOptions {
  readonly dnsServer?: string;
  readonly timeout: number;
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly originDomain?: string;
  readonly federationVersions?: number[];
}

function registerCheck(card: Command): void {
  card
    .command('check')
    .description(
      "Compare a partner's federation card with what their backend serves: the SRV record points to the card's federator domain and port, the server certificate chains to the card's CA within its chain depth, and (with our client certificate) the federated call answers",
    )
    .argument('<card>', 'the card file (YAML or JSON)')
    .option('--dns-server <ip[:port]>', 'send every DNS lookup to this server instead of the system resolvers', parseDnsServerOption)
    .option('--timeout <ms>', 'timeout of each check (DNS lookup, TLS connection) in milliseconds', parseTimeout, DEFAULT_TIMEOUT_MS)
    .option('--client-cert <pem-file>', 'our federator certificate (with intermediates): checks that the partner accepts it and makes the federated call')
    .option('--client-key <pem-file>', 'private key of --client-cert')
    .option('--origin-domain <domain>', 'our backend domain, the origin of the federated call (with --client-cert)')
    .option(
      '--federation-versions <list>',
      "our federation API versions, e.g. 0,1,2,3, compared with what the partner answers to the federated call (default: none compared; the versions check compares the answer with the card's)",
      parseFederationVersions,
    )
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 usage error or invalid card.',
        '',
        'Examples:',
        '  $ wire-federation card check blue-card.yaml',
        '  $ wire-federation card check blue-card.yaml --client-cert red.pem --client-key red.key --origin-domain red.wire.example.dev',
      ].join('\n'),
    )
    .action(async function (this: Command, cardFile: string, opts: CheckOptions) {
      const { write, writeErr } = printableOutput(commandOutput(this));
      await guarded(this, async () => {
        const originDomain = opts.originDomain === undefined ? undefined : normalizeDnsName(opts.originDomain);
        const originProblem = originDomain === undefined ? undefined : domainProblem(originDomain);
        if (originProblem !== undefined) throw new UsageError(`--origin-domain ${originProblem}; received "${opts.originDomain}"`);
        const clientCertificate = readClientCertificate(opts.clientCert, opts.clientKey);
        if (clientCertificate !== undefined && opts.originDomain === undefined)
          throw new UsageError('give --origin-domain <our backend domain> with --client-cert: the federated call names where it comes from');
        const read = readCard(cardFile, new Date());
        const errors = read.problems.filter((p) => p.level === 'error');
        if (!('card' in read) || errors.length > 0) {
          for (const p of read.problems) writeErr(problemLine(cardFile, p));
          writeErr(`✖ ${cardFile}: not a usable card, nothing checked\n`);
          exitWith(2);
        }
        for (const p of read.problems) writeErr(problemLine(cardFile, p));
        const { card: partner, cas } = read;
        const report = await checkCard({
          card: partner,
          cas,
          dnsServer: opts.dnsServer,
          timeoutMs: opts.timeout,
          clientCertificate,
          originDomain,
          federationVersions: opts.federationVersions ? { list: opts.federationVersions, source: '--federation-versions' } : undefined,
        });
        const short = (id: string): string => id.replace(/^peer\[[^\]]+\]\./, '');
        const width = Math.max(0, ...[...report.checks, ...report.skipped].map((c) => short(c.id).length));
        write(
          `Checking the card of ${partner.backendDomain} (${partner.date}) against what it serves: federator ${partner.federator.domain}:${partner.federator.port}\n`,
        );
        for (const c of report.checks) write(`${renderCheck({ ...c, id: short(c.id) }, width)}\n`);
        for (const s of report.skipped) write(`- ${short(s.id).padEnd(width)}  skipped: ${s.reason}\n`);
        const counts = summarize(report.checks);
        const skipped = report.skipped.length > 0 ? `, ${report.skipped.length} skipped` : '';
        write(
          `${counts.pass} passed, ${counts.fail} failed, ${plural(counts.warn, 'warning')}${skipped}: ${counts.fail > 0 ? `the card does NOT match what ${partner.backendDomain} serves` : `the card matches what ${partner.backendDomain} serves`}\n`,
        );
        if (counts.fail > 0) exitWith(1);
      });
    });
}

/** Adds `card export`, `card add` and `card check` to the program. */
export function registerCard(program: Command): void {
  const card = program
    .command('card')
    .description(
      "The federation card: what you send a partner to federate (card export), take a partner's card in (card add), check a card against the partner's backend (card check)",
    );
  registerExport(card);
  registerAdd(card);
  registerCheck(card);
}
