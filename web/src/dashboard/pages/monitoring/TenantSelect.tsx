/**
 * The "Account" filter of the monitoring and event pages: a select of the environment's accounts, or a
 * tenant ID text box when there are too many accounts to list.
 */
import { api } from '../../../shared/api.js';
import type { TenantPage } from '../../../shared/types.js';
import { SelectField } from '../../../shared/ui/Field.js';
import { SearchField } from '../../../shared/ui/SearchField.js';
import { useApi } from '../../../shared/use-api.js';

const MAX_LISTED = 500;

export function TenantSelect({ value, onChange }: { value: string; onChange: (tenantId: string) => void }) {
  const tenants = useApi(() => api.get<TenantPage>('/tenants/resources/tenants/v1', { _limit: MAX_LISTED, _offset: 0 }), []);
  const tooMany = (tenants.data?._metadata.totalItems ?? 0) > MAX_LISTED;
  if (tenants.error || tooMany) return <SearchField label="Account (tenant ID)" placeholder="All accounts" value={value} onSearch={onChange} />;
  const items = tenants.data?.items ?? [];
  return (
    <SelectField label="Account" value={value} onChange={(e) => onChange(e.target.value)} aria-busy={tenants.loading || undefined}>
      <option value="">All accounts</option>
      {items.map((t) => (
        <option key={t.tenantId} value={t.tenantId}>
          {t.name} ({t.tenantId})
        </option>
      ))}
      {value && !items.some((t) => t.tenantId === value) ? <option value={value}>{value}</option> : null}
    </SelectField>
  );
}
