/** Limits of the Bulk endpoint (RFC 7644 §3.7.4), enforced there and advertised by ServiceProviderConfig. */
export const BULK_LIMITS = {
  maxOperations: 1000,
  maxPayloadSize: 1_048_576,
} as const;
