/** One provisioned user: normalised fields, groups, effective roles and the raw SCIM resource. */
import { api } from '../../../shared/api.js';
import { attributeValueText } from '../../../shared/connections/attribute-values.js';
import { formatDateTime } from '../../../shared/format.js';
import { Link, seg } from '../../../shared/router.js';
import { Badge, Card, RawJson } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import { AccountLayout } from '../accounts/AccountLayout.js';
import { ConnectionName } from './ConnectionFilter.js';
import { FieldList } from './FieldList.js';
import type { DirectoryUser } from './types.js';
import { useTenantConnections } from './useTenantConnections.js';

interface ScimEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

/** The emails of the SCIM resource (whatever the IdP sent), the well-formed ones. */
function emailsOf(user: DirectoryUser): ScimEmail[] {
  const raw = Array.isArray(user.scim.emails) ? (user.scim.emails as unknown[]) : [];
  return raw.filter((e): e is ScimEmail => Boolean(e) && typeof (e as ScimEmail).value === 'string');
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export function UserDetailPage({ tenantId, userId }: { tenantId: string; userId: string }) {
  return <AccountLayout tenantId={tenantId} section="users">{() => <UserDetail tenantId={tenantId} userId={userId} />}</AccountLayout>;
}

function UserDetail({ tenantId, userId }: { tenantId: string; userId: string }) {
  const user = useApi(() => api.get<DirectoryUser>(`/api/v1/users/${seg(userId)}`), [userId]);
  const connections = useTenantConnections(tenantId);
  const base = `/dashboard/accounts/${seg(tenantId)}`;
  const back = (
    <Link className="back-link" to={`${base}/users`}>
      ← Users
    </Link>
  );
  if (user.error) return <>{back}<ErrorState error={user.error} retry={user.reload} title="This user could not be loaded" /></>;
  if (!user.data) return <Loading label="Loading the user…" />;
  const u = user.data;
  if (u.tenantId !== tenantId)
    return (
      <>
        {back}
        <EmptyState title="This user belongs to another account">
          It was provisioned for <code>{u.tenantId}</code>.
        </EmptyState>
      </>
    );

  const emails = emailsOf(u);
  const name = [u.firstName, u.lastName].filter(Boolean).join(' ');
  const groups = u.groups ?? [];
  const roles = u.roles ?? [];
  return (
    <>
      {back}
      <Card
        title={
          <span className="inline">
            {u.displayName ?? u.userName}
            {u.active ? <Badge tone="good">Active</Badge> : <Badge tone="warn">Inactive</Badge>}
            {u.detached ? <Badge>Detached</Badge> : null}
          </span>
        }
      >
        {u.detached ? (
          <p className="callout callout-warn">
            Detached: the connection that provisioned this user was deleted and its data was kept. No identity provider updates it any more.
          </p>
        ) : null}
        <FieldList
          items={[
            ['User name', <code>{u.userName}</code>],
            ['Name', name || undefined],
            ['Display name', u.displayName ?? undefined],
            [
              emails.length > 1 ? 'Emails' : 'Email',
              emails.length === 0 ? undefined : (
                <ul className="plain-list">
                  {emails.map((e, i) => (
                    <li key={`${e.value}-${i}`}>
                      {e.value}
                      {e.type ? <span className="muted"> ({e.type})</span> : null}
                      {e.primary ? (
                        <>
                          {' '}
                          <Badge>Primary</Badge>
                        </>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ),
            ],
            ['Active', u.active ? 'Yes' : 'No'],
            ['External ID', text(u.scim.externalId) ? <code>{text(u.scim.externalId)}</code> : undefined],
            ['Connection', <ConnectionName id={u.connectionId} byId={connections.byId} detached={u.detached} />],
            ['Created', formatDateTime(u.createdAt)],
            ['Updated', formatDateTime(u.updatedAt)],
            ['Detached', u.detached ? 'Yes' : 'No'],
            ['Rollcall ID', <code>{u.id}</code>],
          ]}
        />
      </Card>
      <UserAttributes attributes={u.attributes} />
      <div className="grid-2">
        <Card title="Groups">
          {groups.length === 0 ? (
            <p className="muted">Not a member of any group.</p>
          ) : (
            <ul className="plain-list" aria-label="Groups of this user">
              {groups.map((g) => (
                <li key={g.id}>
                  <Link to={`${base}/groups/${seg(g.id)}`}>{g.displayName}</Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Effective roles" actions={<Link to={`${base}/roles`}>Manage roles</Link>}>
          {roles.length === 0 ? (
            <p className="muted">No roles: there is no default role and none of this user’s groups is mapped to a role.</p>
          ) : (
            <div className="badge-list" role="group" aria-label="Effective roles">
              {roles.map((r) => (
                <Badge key={r}>{r}</Badge>
              ))}
            </div>
          )}
          <p className="hint">The default role plus the roles mapped to the user’s direct groups.</p>
        </Card>
      </div>
      <Card title="Raw SCIM resource">
        <p className="hint">The user as the identity provider sent it, with Rollcall’s ID.</p>
        <RawJson value={u.scim} label="Raw SCIM JSON" />
      </Card>
    </>
  );
}

/** The user's mapped attributes (the catalogue's, on the Attributes page): none shown while none is on. */
function UserAttributes({ attributes }: { attributes: DirectoryUser['attributes'] }) {
  const keys = Object.keys(attributes ?? {});
  if (!attributes || keys.length === 0) return null;
  return (
    <Card title="Attributes" actions={<Link to="/dashboard/attributes">Manage attributes</Link>}>
      <FieldList items={keys.map((key) => [key, attributeValueText(attributes[key])])} />
      <p className="hint" style={{ marginTop: 10 }}>
        Read from the SCIM user through the connection&apos;s attribute mappings; empty when the source sends nothing or a value that does not convert.
      </p>
    </Card>
  );
}
