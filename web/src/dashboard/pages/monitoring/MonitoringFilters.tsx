/** The filter bar of the monitoring page; every value lives in the URL query. */
import { useState } from 'react';
import { setQuery } from '../../../shared/router.js';
import type { Connection } from '../../../shared/types.js';
import { Button } from '../../../shared/ui/Button.js';
import { SelectField, TextField } from '../../../shared/ui/Field.js';
import type { LabelOf } from './connection-labels.js';
import { isStatusCode, RANGE_LABELS, type LogFilters, type RangeKey } from './filters.js';
import { TenantSelect } from './TenantSelect.js';

const CODE = 'code';

export function MonitoringFilters({ filters, connections, labelOf, onRefresh }: { filters: LogFilters; connections: Connection[]; labelOf: LabelOf; onRefresh: () => void }) {
  const [choosingCode, setChoosingCode] = useState(false);
  const [code, setCode] = useState(isStatusCode(filters.status) ? filters.status : '');
  const specific = choosingCode || isStatusCode(filters.status);
  const knownConnection = connections.some((c) => c.id === filters.connectionId);

  return (
    <div className="toolbar" role="group" aria-label="Filters">
      <TenantSelect value={filters.tenantId} onChange={(tenantId) => setQuery({ tenantId, connectionId: undefined })} />
      <SelectField label="Connection" value={filters.connectionId} onChange={(e) => setQuery({ connectionId: e.target.value })}>
        <option value="">All connections</option>
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.connectionName}
            {filters.tenantId ? '' : ` — ${c.tenantId}`}
          </option>
        ))}
        {filters.connectionId && !knownConnection ? <option value={filters.connectionId}>{labelOf(filters.connectionId)}</option> : null}
      </SelectField>
      <SelectField
        label="Status"
        value={specific ? CODE : filters.status}
        onChange={(e) => {
          const value = e.target.value;
          if (value === CODE) {
            setChoosingCode(true);
            if (isStatusCode(code)) setQuery({ status: code });
            return;
          }
          setChoosingCode(false);
          setQuery({ status: value });
        }}
      >
        <option value="">All</option>
        <option value="error">Errors (400 and above)</option>
        <option value="2xx">2xx success</option>
        <option value="4xx">4xx client errors</option>
        <option value="5xx">5xx server errors</option>
        <option value={CODE}>A specific code…</option>
      </SelectField>
      {specific ? (
        <TextField
          label="Status code"
          inputMode="numeric"
          size={5}
          maxLength={3}
          placeholder="409"
          value={code}
          error={code.length === 3 && !isStatusCode(code) ? 'A code from 100 to 599' : undefined}
          onChange={(e) => {
            const next = e.target.value.replace(/\D/g, '');
            setCode(next);
            if (isStatusCode(next)) setQuery({ status: next });
          }}
        />
      ) : null}
      <SelectField label="Time range" value={filters.range} onChange={(e) => setQuery({ range: e.target.value === '24h' ? undefined : e.target.value, from: undefined, to: undefined })}>
        {(Object.keys(RANGE_LABELS) as RangeKey[]).map((key) => (
          <option key={key} value={key}>
            {RANGE_LABELS[key]}
          </option>
        ))}
      </SelectField>
      {filters.range === 'custom' ? (
        <>
          <TextField label="From" type="datetime-local" value={filters.from} onChange={(e) => setQuery({ from: e.target.value })} />
          <TextField label="To" type="datetime-local" value={filters.to} onChange={(e) => setQuery({ to: e.target.value })} />
        </>
      ) : null}
      <Button onClick={onRefresh}>
        Refresh
      </Button>
    </div>
  );
}
