/**
 * The wire-server secrets every example environment needs (the chart refuses to render without
 * them): listed by Helm path only. Their values come from the sensitive variable
 * `wire_server_secret_values` (`TF_VAR_wire_server_secret_values='{"brig.secrets.smtpPassword":"…", …}'`)
 * and reach Helm through `set_sensitive`, never through a file.
 */
export const WIRE_SERVER_SECRETS: readonly string[] = [
  'brig.secrets.smtpPassword',
  'brig.secrets.turn.secret',
  'brig.secrets.zAuth.privateKeys',
  'brig.secrets.zAuth.publicKeys',
  'cargohold.secrets.awsKeyId',
  'cargohold.secrets.awsSecretKey',
  'nginz.secrets.basicAuth',
  'nginz.secrets.zAuth.publicKeys',
];
