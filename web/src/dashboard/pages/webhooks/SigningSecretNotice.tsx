/** A new webhook's signing secret, shown once, and how to verify signatures with it. */
import { CopyField } from '../../../shared/ui/CopyField.js';

const SAMPLE = `import { verifyRollcallSignature } from 'rollcall/webhooks';

// Verify the raw body, before parsing it:
if (!verifyRollcallSignature(process.env.ROLLCALL_WEBHOOK_SECRET, req.get('rollcall-signature'), rawBody)) {
  return res.sendStatus(400);
}`;

export function SigningSecretNotice({ secret, url }: { secret: string; url: string }) {
  return (
    <>
      <p>
        Rollcall will POST events to <code>{url}</code>.
      </p>
      <div className="callout callout-warn" role="note">
        <strong>Copy the signing secret now.</strong> It won't be shown again: if you lose it, delete this webhook and add a new one.
      </div>
      <CopyField label="Signing secret" value={secret} secret testId="webhook-secret" />
      <h3>Verify signatures</h3>
      <p className="hint">
        Every delivery carries a <code>Rollcall-Signature</code> header (an HMAC-SHA256 of the timestamp and the raw body). Check it with the helper the{' '}
        <code>rollcall</code> package exports, or in a few lines of <code>node:crypto</code> — see docs/events-webhooks.md.
      </p>
      <pre className="code-sample" tabIndex={0}>{SAMPLE}</pre>
    </>
  );
}
