/** The accounts (tenants) of the environment: search, offset paging, and "Create account". */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { formatCount, formatDateTime } from '../../../shared/format.js';
import { Link, navigate, seg, setQuery, useLocation } from '../../../shared/router.js';
import type { TenantPage } from '../../../shared/types.js';
import { Button } from '../../../shared/ui/Button.js';
import { Card, PageHeader, Pager } from '../../../shared/ui/Layout.js';
import { SearchField } from '../../../shared/ui/SearchField.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import { CreateAccountDialog } from './CreateAccountDialog.js';

const PAGE_SIZE = 25;

function offsetOf(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function AccountsPage() {
  const { query } = useLocation();
  const search = query.get('q') ?? '';
  const offset = offsetOf(query.get('offset'));
  const [creating, setCreating] = useState(false);
  const tenants = useApi(() => api.get<TenantPage>('/tenants/resources/tenants/v1', { _limit: PAGE_SIZE, _offset: offset, _filter: search }), [search, offset]);

  const total = tenants.data?._metadata.totalItems ?? 0;
  const items = tenants.data?.items ?? [];
  const createButton = (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create account
    </Button>
  );

  let body;
  if (tenants.error) body = <ErrorState error={tenants.error} retry={tenants.reload} title="The accounts could not be loaded" />;
  else if (!tenants.data) body = <Loading label="Loading accounts…" />;
  else if (items.length === 0 && search)
    body = (
      <EmptyState title="No accounts match your search" action={<Button onClick={() => setQuery({ q: undefined, offset: undefined })}>Clear the search</Button>}>
        Nothing has “{search}” in its name or tenant ID.
      </EmptyState>
    );
  else if (items.length === 0 && offset > 0)
    body = <EmptyState title="No accounts on this page" action={<Button onClick={() => setQuery({ offset: undefined })}>Go to the first page</Button>} />;
  else if (items.length === 0)
    body = (
      <EmptyState title="No accounts yet" action={createButton}>
        An account is one of your customers. Create one, then give it a SCIM connection for its identity provider.
      </EmptyState>
    );
  else
    body = (
      <>
        <div className="table-wrap">
          <table aria-busy={tenants.loading || undefined}>
            <caption className="sr-only">Accounts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Tenant ID</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {items.map((tenant) => (
                <tr key={tenant.tenantId}>
                  <td>
                    <Link to={`/dashboard/accounts/${seg(tenant.tenantId)}/provisioning`}>{tenant.name}</Link>
                  </td>
                  <td>
                    <code>{tenant.tenantId}</code>
                  </td>
                  <td>{formatDateTime(tenant.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager
          label={`${formatCount(offset + 1)}–${formatCount(offset + items.length)} of ${formatCount(total)}`}
          hasPrevious={offset > 0}
          hasNext={offset + items.length < total}
          onPrevious={() => setQuery({ offset: Math.max(0, offset - PAGE_SIZE) || undefined }, { replace: false })}
          onNext={() => setQuery({ offset: offset + PAGE_SIZE }, { replace: false })}
        />
      </>
    );

  return (
    <>
      <PageHeader title="Accounts" subtitle="Your customers. Open one to manage its SCIM connections, users and groups." actions={createButton} />
      <Card>
        <div className="toolbar">
          <SearchField label="Search accounts" placeholder="Name or tenant ID" value={search} onSearch={(text) => setQuery({ q: text, offset: undefined })} />
        </div>
        {body}
      </Card>
      <CreateAccountDialog open={creating} onClose={() => setCreating(false)} onCreated={(tenant) => navigate(`/dashboard/accounts/${seg(tenant.tenantId)}/provisioning`)} />
    </>
  );
}
