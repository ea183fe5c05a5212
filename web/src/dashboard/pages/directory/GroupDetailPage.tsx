/** One provisioned group: its fields, members (cursor-paged), roles (read-only) and raw SCIM resource. */
import { api } from '../../../shared/api.js';
import { formatCount, formatDateTime } from '../../../shared/format.js';
import { Link, seg } from '../../../shared/router.js';
import { Badge, Card, RawJson } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import { AccountLayout } from '../accounts/AccountLayout.js';
import { ConnectionName } from './ConnectionFilter.js';
import { FieldList } from './FieldList.js';
import { GroupMembers } from './GroupMembers.js';
import type { GroupRoles as GroupRoleMapping } from '../roles/types.js';
import type { DirectoryGroupDetail } from './types.js';
import { useTenantConnections } from './useTenantConnections.js';

export function GroupDetailPage({ tenantId, groupId }: { tenantId: string; groupId: string }) {
  return <AccountLayout tenantId={tenantId} section="groups">{() => <GroupDetail tenantId={tenantId} groupId={groupId} />}</AccountLayout>;
}

function GroupDetail({ tenantId, groupId }: { tenantId: string; groupId: string }) {
  const group = useApi(() => api.get<DirectoryGroupDetail>(`/api/v1/groups/${seg(groupId)}`), [groupId]);
  const connections = useTenantConnections(tenantId);
  const base = `/dashboard/accounts/${seg(tenantId)}`;
  const back = (
    <Link className="back-link" to={`${base}/groups`}>
      ← Groups
    </Link>
  );
  if (group.error) return <>{back}<ErrorState error={group.error} retry={group.reload} title="This group could not be loaded" /></>;
  if (!group.data) return <Loading label="Loading the group…" />;
  const g = group.data;
  if (g.tenantId !== tenantId)
    return (
      <>
        {back}
        <EmptyState title="This group belongs to another account">
          It was provisioned for <code>{g.tenantId}</code>.
        </EmptyState>
      </>
    );

  return (
    <>
      {back}
      <Card
        title={
          <span className="inline">
            {g.displayName}
            {g.detached ? <Badge>Detached</Badge> : null}
          </span>
        }
      >
        {g.detached ? <p className="callout callout-warn">Detached: the connection that provisioned this group was deleted and its data was kept.</p> : null}
        <FieldList
          items={[
            ['Display name', g.displayName],
            ['External ID', g.externalId ? <code>{g.externalId}</code> : undefined],
            ['Members', formatCount(g.memberCount)],
            ['Connection', <ConnectionName id={g.connectionId} byId={connections.byId} detached={g.detached} />],
            ['Created', formatDateTime(g.createdAt)],
            ['Updated', formatDateTime(g.updatedAt)],
            ['Detached', g.detached ? 'Yes' : 'No'],
            ['Rollcall ID', <code>{g.id}</code>],
          ]}
        />
      </Card>
      <div className="grid-2">
        <Card title={`Members${typeof g.memberCount === 'number' ? ` (${formatCount(g.memberCount)})` : ''}`}>
          <GroupMembers tenantId={tenantId} groupId={g.id} />
        </Card>
        <GroupRoles tenantId={tenantId} groupId={g.id} />
      </div>
      <Card title="Raw SCIM resource">
        <p className="hint">The group as the identity provider sent it (members are listed above), with Rollcall’s ID.</p>
        <RawJson value={g.scim} label="Raw SCIM JSON" />
      </Card>
    </>
  );
}

/** The roles this group's members get; edited on the account's Roles page. */
function GroupRoles({ tenantId, groupId }: { tenantId: string; groupId: string }) {
  const roles = useApi(() => api.get<GroupRoleMapping>(`/api/v1/tenants/${seg(tenantId)}/groups/${seg(groupId)}/roles`), [tenantId, groupId]);
  return (
    <Card title="Roles" actions={<Link to={`/dashboard/accounts/${seg(tenantId)}/roles`}>Manage roles</Link>}>
      {roles.error ? (
        <ErrorState error={roles.error} retry={roles.reload} title="The roles could not be loaded" />
      ) : !roles.data ? (
        <Loading label="Loading roles…" />
      ) : roles.data.roleKeys.length === 0 ? (
        <p className="muted">No roles are mapped to this group.</p>
      ) : (
        <div className="badge-list" role="group" aria-label="Roles of this group">
          {roles.data.roleKeys.map((key) => (
            <Badge key={key}>{key}</Badge>
          ))}
        </div>
      )}
      <p className="hint">Members of this group get these roles in addition to the default role.</p>
    </Card>
  );
}
