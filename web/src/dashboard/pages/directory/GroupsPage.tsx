/** An account's provisioned groups with their member counts: search, connection filter, cursor paging. */
import { api } from '../../../shared/api.js';
import { formatCount, formatDateTime } from '../../../shared/format.js';
import { Link, seg, setQuery, useLocation } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { Badge, Card, CursorPager } from '../../../shared/ui/Layout.js';
import { SearchField } from '../../../shared/ui/SearchField.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi, useCursorPager } from '../../../shared/use-api.js';
import { AccountLayout } from '../accounts/AccountLayout.js';
import { ConnectionFilter, ConnectionHint, ConnectionName } from './ConnectionFilter.js';
import type { GroupPage } from './types.js';
import { useTenantConnections } from './useTenantConnections.js';

const PAGE_SIZE = 50;

export function GroupsPage({ tenantId }: { tenantId: string }) {
  return <AccountLayout tenantId={tenantId} section="groups">{() => <GroupList tenantId={tenantId} />}</AccountLayout>;
}

function GroupList({ tenantId }: { tenantId: string }) {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const connectionId = query.get('connectionId') ?? '';
  const connections = useTenantConnections(tenantId);
  const pager = useCursorPager(JSON.stringify([tenantId, q, connectionId]));

  const groups = useApi(() => {
    const params = { q, cursor: pager.cursor, limit: PAGE_SIZE };
    return connectionId
      ? api.get<GroupPage>(`/api/v1/connections/${seg(connectionId)}/groups`, params)
      : api.get<GroupPage>(`/api/v1/tenants/${seg(tenantId)}/groups`, params);
  }, [tenantId, q, connectionId, pager.cursor]);

  const base = `/dashboard/accounts/${seg(tenantId)}`;
  const items = groups.data?.items ?? [];
  let body;
  if (groups.error) body = <ErrorState error={groups.error} retry={groups.reload} title="The groups could not be loaded" />;
  else if (!groups.data) body = <Loading label="Loading groups…" />;
  else if (items.length === 0)
    body = q ? (
      <EmptyState title="No groups match your search" action={<Button onClick={() => setQuery({ q: undefined })}>Clear the search</Button>}>
        No group has “{q}” in its name or external ID.
      </EmptyState>
    ) : (
      <EmptyState title={connectionId ? 'This connection has not provisioned any groups' : 'No groups yet'}>
        Groups appear here once the customer’s identity provider pushes them through a SCIM connection.
      </EmptyState>
    );
  else
    body = (
      <>
        <div className="table-wrap">
          <table aria-busy={groups.loading || undefined}>
            <caption className="sr-only">Groups</caption>
            <thead>
              <tr>
                <th scope="col">Display name</th>
                <th scope="col" className="num">
                  Members
                </th>
                <th scope="col">Connection</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {items.map((group) => (
                <tr key={group.id}>
                  <td>
                    <span className="inline">
                      <Link to={`${base}/groups/${seg(group.id)}`}>{group.displayName}</Link>
                      {group.detached ? <Badge>Detached</Badge> : null}
                    </span>
                  </td>
                  <td className="num">{formatCount(group.memberCount)}</td>
                  <td>
                    <ConnectionName id={group.connectionId} byId={connections.byId} detached={group.detached} />
                  </td>
                  <td>{formatDateTime(group.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <CursorPager pager={pager} nextCursor={groups.data.nextCursor} />
      </>
    );

  return (
    <Card>
      <div className="toolbar">
        <SearchField label="Search groups" placeholder="Name or external ID" value={q} onSearch={(text) => setQuery({ q: text })} />
        <ConnectionFilter connections={connections.connections} value={connectionId} failed={Boolean(connections.error)} onChange={(id) => setQuery({ connectionId: id })} />
      </div>
      <ConnectionHint kind="groups" filtered={Boolean(connectionId)} />
      {body}
    </Card>
  );
}
