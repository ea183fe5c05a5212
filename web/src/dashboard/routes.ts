/** The dashboard's pages by path. Each page takes the path's params as props. */
import type { ComponentType } from 'react';
import { AccountsPage } from './pages/accounts/AccountsPage.js';
import { AccountRedirect } from './pages/accounts/AccountRedirect.js';
import { ProvisioningPage } from './pages/provisioning/ProvisioningPage.js';
import { UsersPage } from './pages/directory/UsersPage.js';
import { UserDetailPage } from './pages/directory/UserDetailPage.js';
import { GroupsPage } from './pages/directory/GroupsPage.js';
import { GroupDetailPage } from './pages/directory/GroupDetailPage.js';
import { AccountRolesPage } from './pages/roles/AccountRolesPage.js';
import { MonitoringPage } from './pages/monitoring/MonitoringPage.js';
import { EventsPage } from './pages/monitoring/EventsPage.js';
import { WebhooksPage } from './pages/webhooks/WebhooksPage.js';
import { WebhookDetailPage } from './pages/webhooks/WebhookDetailPage.js';
import { RolesPage } from './pages/roles/RolesPage.js';
import { BuilderPage } from './pages/builder/BuilderPage.js';
import { AttributesPage } from './pages/attributes/AttributesPage.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const routes: { path: string; page: ComponentType<any> }[] = [
  { path: '/dashboard/accounts', page: AccountsPage },
  { path: '/dashboard/accounts/:tenantId', page: AccountRedirect },
  { path: '/dashboard/accounts/:tenantId/provisioning', page: ProvisioningPage },
  { path: '/dashboard/accounts/:tenantId/users', page: UsersPage },
  { path: '/dashboard/accounts/:tenantId/users/:userId', page: UserDetailPage },
  { path: '/dashboard/accounts/:tenantId/groups', page: GroupsPage },
  { path: '/dashboard/accounts/:tenantId/groups/:groupId', page: GroupDetailPage },
  { path: '/dashboard/accounts/:tenantId/roles', page: AccountRolesPage },
  { path: '/dashboard/monitoring', page: MonitoringPage },
  { path: '/dashboard/events', page: EventsPage },
  { path: '/dashboard/webhooks', page: WebhooksPage },
  { path: '/dashboard/webhooks/:webhookId', page: WebhookDetailPage },
  { path: '/dashboard/roles', page: RolesPage },
  { path: '/dashboard/attributes', page: AttributesPage },
  { path: '/dashboard/builder', page: BuilderPage },
];
