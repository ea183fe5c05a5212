/** The frame of one account's pages: its name, id and the section tabs. */
import type { ReactNode } from 'react';
import { api } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import type { Tenant } from '../../../shared/types.js';
import { PageHeader, Tabs } from '../../../shared/ui/Layout.js';
import { ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';

export type AccountSection = 'provisioning' | 'users' | 'groups' | 'roles';

export function AccountLayout({ tenantId, section, children, actions }: { tenantId: string; section: AccountSection; children: (tenant: Tenant) => ReactNode; actions?: ReactNode }) {
  const tenant = useApi(() => api.get<Tenant>(`/tenants/resources/tenants/v1/${seg(tenantId)}`), [tenantId]);
  const base = `/dashboard/accounts/${seg(tenantId)}`;
  if (tenant.error) return <ErrorState error={tenant.error} retry={tenant.reload} title="This account could not be opened" />;
  if (!tenant.data) return <Loading />;
  return (
    <>
      <PageHeader title={tenant.data.name} subtitle={<>Tenant ID <code>{tenant.data.tenantId}</code></>} back={{ to: '/dashboard/accounts', label: 'Accounts' }} actions={actions} />
      <Tabs
        label="Account sections"
        current={section}
        items={[
          { id: 'provisioning', label: 'Provisioning', to: `${base}/provisioning` },
          { id: 'users', label: 'Users', to: `${base}/users` },
          { id: 'groups', label: 'Groups', to: `${base}/groups` },
          { id: 'roles', label: 'Roles', to: `${base}/roles` },
        ]}
      />
      {children(tenant.data)}
    </>
  );
}
