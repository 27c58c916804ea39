/**
 * Federated calling: coturn federating over DTLS, sftd with multiSFT, brig's SFT settings
 * (docs/federate-calls.md). The endpoints model is pure (the verifier reads it).
 */
export * from './endpoints';
