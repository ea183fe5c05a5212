/** A group's direct members (users and nested groups), cursor-paged. */
import { api } from '../../../shared/api.js';
import { Link, seg } from '../../../shared/router.js';
import { Badge, CursorPager } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi, useCursorPager } from '../../../shared/use-api.js';
import type { MemberPage } from './types.js';

const PAGE_SIZE = 50;

export function GroupMembers({ tenantId, groupId }: { tenantId: string; groupId: string }) {
  const pager = useCursorPager(groupId);
  const members = useApi(() => api.get<MemberPage>(`/api/v1/groups/${seg(groupId)}/members`, { cursor: pager.cursor, limit: PAGE_SIZE }), [groupId, pager.cursor]);
  const base = `/dashboard/accounts/${seg(tenantId)}`;
  if (members.error) return <ErrorState error={members.error} retry={members.reload} title="The members could not be loaded" />;
  if (!members.data) return <Loading label="Loading members…" />;
  if (members.data.items.length === 0 && !pager.hasPrevious) return <EmptyState title="No members">The identity provider has not added anyone to this group.</EmptyState>;
  return (
    <>
      <div className="table-wrap">
        <table aria-busy={members.loading || undefined}>
          <caption className="sr-only">Members</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {members.data.items.map((m) =>
              m.type === 'group' ? (
                <tr key={`g-${m.id}`}>
                  <td>
                    <span className="inline">
                      <Link to={`${base}/groups/${seg(m.id)}`}>{m.displayName}</Link>
                      <Badge>Group</Badge>
                    </span>
                  </td>
                  <td className="muted">Nested group</td>
                </tr>
              ) : (
                <tr key={`u-${m.id}`}>
                  <td>
                    <Link to={`${base}/users/${seg(m.id)}`}>{m.userName}</Link>
                  </td>
                  <td>
                    <span className="inline">
                      <span>{m.displayName ?? m.email ?? ''}</span>
                      {m.active ? null : <Badge tone="warn">Inactive</Badge>}
                    </span>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      <CursorPager pager={pager} nextCursor={members.data.nextCursor} />
    </>
  );
}
