/**
 * A connection's bearer tokens: issue a new one (shown once; the old ones keep working, so the IdP can
 * be switched first) and revoke old ones. The API refuses to revoke the last live token (409).
 */
import { useState } from 'react';
import { api, ApiError } from '../../../shared/api.js';
import { formatDateTime, formatRelative } from '../../../shared/format.js';
import { seg } from '../../../shared/router.js';
import type { ApiBody, Connection } from '../../../shared/types.js';
import { Button } from '../../../shared/ui/Button.js';
import { CopyField } from '../../../shared/ui/CopyField.js';
import { Dialog } from '../../../shared/ui/Dialog.js';
import { Badge } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, FormError, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';

type TokenList = ApiBody<'/api/v1/connections/{id}/tokens', 'get'>;
/** POST …/tokens: the token record with the token itself, shown once. */
type IssuedToken = ApiBody<'/api/v1/connections/{id}/tokens', 'post', 201>;

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));

export function TokensDialog({ connection, onClose }: { connection: Connection | undefined; onClose: () => void }) {
  return connection ? <TokensContent key={connection.id} connection={connection} onClose={onClose} /> : null;
}

function TokensContent({ connection, onClose }: { connection: Connection; onClose: () => void }) {
  const base = `/api/v1/connections/${seg(connection.id)}/tokens`;
  const tokens = useApi(() => api.get<TokenList>(base), [base]);
  const [issued, setIssued] = useState<IssuedToken | undefined>();
  const [issuing, setIssuing] = useState(false);
  const [issueError, setIssueError] = useState<ApiError | undefined>();
  const [confirming, setConfirming] = useState<string | undefined>();
  const [revoking, setRevoking] = useState<string | undefined>();
  const [revokeError, setRevokeError] = useState<ApiError | undefined>();

  const issue = async () => {
    setIssuing(true);
    setIssueError(undefined);
    try {
      setIssued(await api.post<IssuedToken>(base, {}));
      tokens.reload();
    } catch (e) {
      setIssueError(asApiError(e));
    } finally {
      setIssuing(false);
    }
  };

  const revoke = async (tokenId: string) => {
    setRevoking(tokenId);
    setRevokeError(undefined);
    try {
      await api.delete(`${base}/${seg(tokenId)}`);
      setConfirming(undefined);
      tokens.reload();
    } catch (e) {
      setRevokeError(asApiError(e));
    } finally {
      setRevoking(undefined);
    }
  };

  return (
    <Dialog
      title={`Tokens of ${connection.connectionName}`}
      open
      wide
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      }
    >
      <p>
        Rotate the token without downtime: issue a new token, paste it into the identity provider, check its requests succeed, then revoke the old
        token.
      </p>
      {issued ? (
        <>
          <CopyField label="New token" value={issued.token} secret testId="new-token" />
          <div className="callout callout-warn" role="note">
            <strong>Copy the new token now: it will not be shown again.</strong> The old token keeps working until you revoke it below.
          </div>
        </>
      ) : (
        <Button variant="primary" onClick={issue} busy={issuing}>
          Issue new token
        </Button>
      )}
      <FormError error={issueError} />

      <h3 style={{ marginTop: 18 }}>Tokens</h3>
      {tokens.error ? (
        <ErrorState error={tokens.error} retry={tokens.reload} title="The tokens could not be loaded" />
      ) : !tokens.data ? (
        <Loading />
      ) : tokens.data.items.length === 0 ? (
        <EmptyState title="No tokens">This connection has no token: issue one so the identity provider can connect.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((token) => (
                <tr key={token.id}>
                  <td>
                    <code>{token.prefix}…</code> {token.id === issued?.id ? <Badge tone="good">New</Badge> : null}{' '}
                    {token.expired ? <Badge tone="warn">Expired</Badge> : null}
                  </td>
                  <td title={formatDateTime(token.createdAt)}>{formatRelative(token.createdAt)}</td>
                  <td title={formatDateTime(token.lastUsedAt)}>{token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'Never'}</td>
                  <td>{token.expiresAt ? formatDateTime(token.expiresAt) : 'Never'}</td>
                  <td>
                    {confirming === token.id ? (
                      <span className="inline">
                        <Button variant="danger" busy={revoking === token.id} onClick={() => revoke(token.id)} aria-label={`Revoke ${token.prefix} now`}>
                          Revoke now
                        </Button>
                        <Button onClick={() => setConfirming(undefined)}>Keep</Button>
                      </span>
                    ) : (
                      <Button
                        onClick={() => {
                          setRevokeError(undefined);
                          setConfirming(token.id);
                        }}
                        aria-label={`Revoke ${token.prefix}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError error={revokeError} />
    </Dialog>
  );
}
