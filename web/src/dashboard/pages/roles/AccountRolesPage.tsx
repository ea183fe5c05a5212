/** An account's group → role mapping: its SCIM groups, the roles each gives its members, and "Edit roles". */
import { useEffect, useState } from 'react';
import { api } from '../../../shared/api.js';
import { Link, seg } from '../../../shared/router.js';
import { TextField } from '../../../shared/ui/Field.js';
import { Card, CursorPager } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi, useCursorPager } from '../../../shared/use-api.js';
import { AccountLayout } from '../accounts/AccountLayout.js';
import { GroupRolesRow } from './GroupRolesRow.js';
import type { GroupPage } from '../directory/types.js';
import type { RoleList } from './types.js';
import './roles.css';

const PAGE_SIZE = 25;

export function AccountRolesPage({ tenantId }: { tenantId: string }) {
  return <AccountLayout tenantId={tenantId} section="roles">{() => <GroupRoleMapping tenantId={tenantId} />}</AccountLayout>;
}

function GroupRoleMapping({ tenantId }: { tenantId: string }) {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  // Search as the user types, once they pause.
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(search.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [search]);
  const pager = useCursorPager(q);
  const groups = useApi(
    () => api.get<GroupPage>(`/api/v1/tenants/${seg(tenantId)}/groups`, { limit: PAGE_SIZE, cursor: pager.cursor, q }),
    [tenantId, q, pager.cursor],
  );
  const roles = useApi(() => api.get<RoleList>('/api/v1/roles'), []);

  let body;
  if (groups.error) body = <ErrorState error={groups.error} retry={groups.reload} title="Groups could not be loaded" />;
  else if (roles.error) body = <ErrorState error={roles.error} retry={roles.reload} title="Roles could not be loaded" />;
  else if (!groups.data || !roles.data) body = <Loading label="Loading groups…" />;
  else if (groups.data.items.length === 0)
    body = q ? (
      <EmptyState title="No matching groups">No group of this account has “{q}” in its name or external ID.</EmptyState>
    ) : (
      <EmptyState title="No groups yet">
        Groups appear here once an identity provider pushes them through one of this account's SCIM connections (staging connections, which do not sync to user
        management, are not listed).
      </EmptyState>
    );
  else
    body = (
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Mapped roles</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.data.items.map((group) => (
              <GroupRolesRow key={group.id} tenantId={tenantId} group={group} roles={roles.data!.items} />
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <>
      <div className="callout callout-info" role="note">
        Members of a mapped group get the group's roles: the directory API lists them in each user's effective <code>roles</code> (with the default role), and
        when your backend passes those roles as it mints a user token, the user gets their permissions in the self-service portal. Manage the roles themselves
        under <Link to="/dashboard/roles">Roles</Link>.
      </div>
      <Card title="Group → role mapping">
        <div className="toolbar">
          <TextField label="Search groups" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or external ID" maxLength={200} />
        </div>
        {body}
        <CursorPager pager={pager} nextCursor={groups.data?.nextCursor} />
      </Card>
    </>
  );
}
