/** An account's provisioned users: search, connection and status filters, cursor paging. */
import { api } from '../../../shared/api.js';
import { formatDateTime } from '../../../shared/format.js';
import { Link, seg, setQuery, useLocation } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { SelectField } from '../../../shared/ui/Field.js';
import { Badge, Card, CursorPager } from '../../../shared/ui/Layout.js';
import { SearchField } from '../../../shared/ui/SearchField.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi, useCursorPager } from '../../../shared/use-api.js';
import { AccountLayout } from '../accounts/AccountLayout.js';
import { ConnectionFilter, ConnectionHint, ConnectionName } from './ConnectionFilter.js';
import type { UserPage } from './types.js';
import { useTenantConnections } from './useTenantConnections.js';

const PAGE_SIZE = 50;

export function UsersPage({ tenantId }: { tenantId: string }) {
  return <AccountLayout tenantId={tenantId} section="users">{() => <UserList tenantId={tenantId} />}</AccountLayout>;
}

function UserList({ tenantId }: { tenantId: string }) {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const connectionId = query.get('connectionId') ?? '';
  const activeRaw = query.get('active');
  const active = activeRaw === 'true' || activeRaw === 'false' ? activeRaw : '';
  const connections = useTenantConnections(tenantId);
  const pager = useCursorPager(JSON.stringify([tenantId, q, connectionId, active]));

  const users = useApi(() => {
    const params = { q, active, cursor: pager.cursor, limit: PAGE_SIZE };
    return connectionId
      ? api.get<UserPage>(`/api/v1/connections/${seg(connectionId)}/users`, params)
      : api.get<UserPage>(`/api/v1/tenants/${seg(tenantId)}/users`, params);
  }, [tenantId, q, connectionId, active, pager.cursor]);

  const filtered = Boolean(q || active);
  const base = `/dashboard/accounts/${seg(tenantId)}`;
  let body;
  if (users.error) body = <ErrorState error={users.error} retry={users.reload} title="The users could not be loaded" />;
  else if (!users.data) body = <Loading label="Loading users…" />;
  else if (users.data.items.length === 0)
    body = filtered ? (
      <EmptyState title="No users match these filters" action={<Button onClick={() => setQuery({ q: undefined, active: undefined })}>Clear the filters</Button>} />
    ) : (
      <EmptyState title={connectionId ? 'This connection has not provisioned any users' : 'No users yet'}>
        Users appear here once the customer’s identity provider pushes them through a SCIM connection (see Provisioning).
      </EmptyState>
    );
  else
    body = (
      <>
        <div className="table-wrap">
          <table aria-busy={users.loading || undefined}>
            <caption className="sr-only">Users</caption>
            <thead>
              <tr>
                <th scope="col">User name</th>
                <th scope="col">Display name</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Connection</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <tr key={user.id}>
                  <td>
                    <Link to={`${base}/users/${seg(user.id)}`}>{user.userName}</Link>
                  </td>
                  <td>{user.displayName ?? <span className="muted">—</span>}</td>
                  <td>{user.email ?? <span className="muted">—</span>}</td>
                  <td>
                    <span className="inline">
                      {user.active ? <Badge tone="good">Active</Badge> : <Badge tone="warn">Inactive</Badge>}
                      {user.detached ? <Badge>Detached</Badge> : null}
                    </span>
                  </td>
                  <td>
                    <ConnectionName id={user.connectionId} byId={connections.byId} detached={user.detached} />
                  </td>
                  <td>{formatDateTime(user.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <CursorPager pager={pager} nextCursor={users.data.nextCursor} />
      </>
    );

  return (
    <Card>
      <div className="toolbar">
        <SearchField label="Search users" placeholder="Name, user name, email or external ID" value={q} onSearch={(text) => setQuery({ q: text })} />
        <ConnectionFilter connections={connections.connections} value={connectionId} failed={Boolean(connections.error)} onChange={(id) => setQuery({ connectionId: id })} />
        <SelectField label="Status" value={active} onChange={(e) => setQuery({ active: e.target.value })}>
          <option value="">All</option>
          <option value="true">Active</option>
          <option value="false">Inactive</option>
        </SelectField>
      </div>
      <ConnectionHint kind="users" filtered={Boolean(connectionId)} />
      {body}
    </Card>
  );
}
