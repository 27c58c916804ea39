/**
 * The checks of `wire-federation adopt`: id, level and what each finds (docs/reference/checks.md).
 */
import { defineCatalogue } from '../core/catalogue';

export const ADOPT_RULES = defineCatalogue({
  'adopt-release': {
    level: 'error or warning',
    description:
      'no running wire-server release where the config says (error: nothing to adopt), or no nginx-ingress-services release (warning: the first deploy installs it)',
  },
  'adopt-backend-domain': {
    level: 'error or warning',
    description:
      'the running backend domain differs from `backendDomain`, the four places that hold it disagree, or the lock pins another domain: adopt refuses and writes nothing',
  },
  'adopt-secret': {
    level: 'error',
    description: 'a running secret value that cannot be passed by path through `set_sensitive` (inside a list, or under a key Helm cannot name)',
  },
  'adopt-remotes': {
    level: 'warning',
    description: "the running remote list and the config's peers differ (a peer the config drops, a team restriction the config adds)",
  },
  'adopt-running-certificate': {
    level: 'warning',
    description: 'the running `secrets.tlsWildcardCert` lacks the federator domain or the client usage (names the certificate mode that fixes it)',
  },
  'adopt-dns-record': {
    level: 'warning',
    description: 'a DNS record next to the federator records that adopt does not manage (a second SRV/A record, an AAAA record without `ingress.ipv6`)',
  },
  'adopt-legacy-setting': {
    level: 'warning',
    description:
      'a legacy federation setting of the running release that the config drops, and what replaces it (`tags.federator`, the federator allow list, `setFederationDomainConfigsUpdateFreq`, …)',
  },
});

/** The id of an adopt check. */
export type AdoptRuleId = keyof typeof ADOPT_RULES;
