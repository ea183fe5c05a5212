/**
 * Signing and verifying webhook deliveries, under the names `rollcall/webhooks` has always exported. The
 * implementation lives in @rollcall/client (clients/node/src/webhook-signature.ts), which vendors install
 * to verify deliveries; the server's sender signs with the same functions.
 *
 * Header: `Rollcall-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 */
export {
  WEBHOOK_SIGNATURE_HEADER as SIGNATURE_HEADER,
  signWebhookPayload as signRollcallPayload,
  verifyWebhookSignature as verifyRollcallSignature,
  webhookSignatureHeader as rollcallSignatureHeader,
  type VerifyWebhookOptions as VerifyOptions,
} from '@rollcall/client';
