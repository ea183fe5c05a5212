/** "How to embed": mint a user token from the vendor's backend, then open or frame the portal with it. */
import { Card } from '../../../shared/ui/Layout.js';

export function EmbedGuide() {
  const origin = window.location.origin;
  const mint = `curl -X POST ${origin}/api/v1/user-tokens \\
  -H "authorization: Bearer $ROLLCALL_TOKEN" -H 'content-type: application/json' \\
  -d '{"tenantId":"acme","userId":"u-42","email":"admin@acme.example","roles":["admin"],"expiresIn":3600}'
# → {"token":"eyJ…","expiresIn":3600,"portalUrl":"${origin}/portal?token=eyJ…"}`;
  const frame = `<iframe id="rollcall-portal" src="${origin}/portal" title="Provisioning"
        style="width: 100%; height: 640px; border: 0"></iframe>
<script>
  const portal = document.getElementById('rollcall-portal');
  window.addEventListener('message', async (event) => {
    if (event.origin !== '${origin}' || event.source !== portal.contentWindow) return;
    // The portal asks for a token when it loads ("rollcall:ready") and when its session ends.
    if (event.data?.type !== 'rollcall:ready' && event.data?.type !== 'rollcall:session-ended') return;
    const { token } = await fetch('/your-backend/rollcall-token', { method: 'POST' }).then((r) => r.json());
    portal.contentWindow.postMessage({ type: 'rollcall:token', token }, '${origin}');
  });
</script>`;
  return (
    <Card title="How to embed the portal">
      <ol className="steps">
        <li>
          <strong>Mint a user token</strong> from your backend when one of your customers' admins opens the page: <code>POST /api/v1/user-tokens</code> with{' '}
          <code>tenantId</code>, <code>userId</code> and optionally <code>email</code>, <code>roles</code> (role keys), <code>permissions</code> and{' '}
          <code>expiresIn</code> (60 s to 24 h, default 1 h). Without roles or permissions the token gets the default role's permissions. The call needs an
          environment token (<code>$ROLLCALL_TOKEN</code>, from <code>POST /auth/vendor</code> with your client ID and secret).
          <pre className="code-sample" tabIndex={0}>{mint}</pre>
        </li>
        <li>
          <strong>Open the portal</strong> at the <code>portalUrl</code> of the answer (<code>/portal?token=…</code>), in a new tab or a popup.
        </li>
        <li>
          <strong>Or embed it</strong> in an iframe and hand the token over with <code>postMessage</code>, so it never appears in a URL. The portal says{' '}
          <code>rollcall:ready</code> when it can take a token, and <code>rollcall:session-ended</code> when it needs a new one; your backend mints it (never the
          browser):
          <pre className="code-sample" tabIndex={0}>{frame}</pre>
        </li>
        <li>
          <strong>Allow your origin to frame Rollcall.</strong> By default nothing may frame it. Set <code>FRAME_ANCESTORS</code> to your app's origins (space- or
          comma-separated), e.g. <code>FRAME_ANCESTORS="https://app.example.com"</code>, and restart. The dashboard itself can never be framed.
        </li>
      </ol>
      <p className="hint">
        Reference: <code>docs/self-service.md</code> (user tokens, permissions, roles) and <code>docs/security.md</code> (framing and the other browser protections);
        the API reference is at <a href="/docs">/docs</a>.
      </p>
    </Card>
  );
}
