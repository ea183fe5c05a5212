/**
 * Monitoring: the SCIM request log of every connection, filtered by account, connection, status and
 * time (all kept in the URL), with a chart of requests and errors, a per-connection summary, and an
 * explanation of each failed request.
 */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useLocation } from '../../../shared/router.js';
import { Card, CursorPager, PageHeader } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi, useCursorPager } from '../../../shared/use-api.js';
import { ConnectionSummaryStrip } from './ConnectionSummaryStrip.js';
import { bucketFor, RANGE_LABELS, readFilters, summaryHours, timeWindow, type LogFilters } from './filters.js';
import { MonitoringFilters } from './MonitoringFilters.js';
import { RequestChart } from './RequestChart.js';
import { RequestLogTable } from './RequestLogTable.js';
import type { LogPage, Timeseries } from './types.js';
import { useConnections } from './useConnections.js';

const PAGE_SIZE = 50;

export function MonitoringPage() {
  const { query } = useLocation();
  const filters = readFilters(query);
  // The clock the presets count back from: reset by Refresh and by a new time range.
  const rangeKey = `${filters.range}|${filters.from}|${filters.to}`;
  const [clock, setClock] = useState(() => ({ key: rangeKey, now: Date.now() }));
  if (clock.key !== rangeKey) setClock({ key: rangeKey, now: Date.now() });
  const now = clock.now;
  const connections = useConnections(filters.tenantId);
  const nameOf = (id: string) => connections.byId.get(id)?.connectionName ?? id;
  const span = timeWindow(filters, now);

  return (
    <>
      <PageHeader title="Monitoring" subtitle="Every SCIM request your customers’ identity providers send, for troubleshooting." />
      <Card>
        <MonitoringFilters filters={filters} connections={connections.list} onRefresh={() => setClock({ key: rangeKey, now: Date.now() })} />
        {span.error !== undefined ? (
          <p className="form-error" role="alert">
            {span.error}
          </p>
        ) : null}
      </Card>
      {span.error === undefined ? <MonitoringResults filters={filters} from={span.from} to={span.to} refreshKey={now} nameOf={nameOf} /> : null}
    </>
  );
}

function MonitoringResults({ filters, from, to, refreshKey, nameOf }: { filters: LogFilters; from: string; to: string; refreshKey: number; nameOf: (id: string) => string }) {
  const { tenantId, connectionId, status } = filters;
  const bucket = bucketFor(from, to);
  const series = useApi(() => api.get<Timeseries>('/api/v1/logs/timeseries', { tenantId, connectionId, from, to, bucket }), [tenantId, connectionId, from, to, bucket, refreshKey]);
  const pager = useCursorPager(JSON.stringify([tenantId, connectionId, status, from, to, refreshKey]));
  const log = useApi(
    () => api.get<LogPage>('/api/v1/logs', { tenantId, connectionId, status, from, to, cursor: pager.cursor, limit: PAGE_SIZE }),
    [tenantId, connectionId, status, from, to, pager.cursor, refreshKey],
  );
  // The summary API counts back from now: a custom range is summarised from its start until now.
  const hours = summaryHours(from, new Date(refreshKey).toISOString());
  const periodLabel = filters.range === 'custom' ? `last ${hours} hours` : RANGE_LABELS[filters.range].toLowerCase();

  let chart;
  if (series.error) chart = <ErrorState error={series.error} retry={series.reload} title="The chart could not be loaded" />;
  else if (!series.data) chart = <Loading label="Loading the chart…" />;
  else if (series.data.items.length === 0) chart = <EmptyState title="No SCIM requests in this period">Requests appear here once an identity provider calls a provisioning URL.</EmptyState>;
  else chart = <RequestChart series={series.data} nameOf={nameOf} />;

  let table;
  if (log.error) table = <ErrorState error={log.error} retry={log.reload} title="The request log could not be loaded" />;
  else if (!log.data) table = <Loading label="Loading requests…" />;
  else if (log.data.items.length === 0)
    table = (
      <EmptyState title={status ? 'No requests match these filters' : 'No requests in this period'}>
        {status ? 'Try another status or a longer time range.' : 'The log is written a moment after each request; refresh to see the latest.'}
      </EmptyState>
    );
  else
    table = (
      <>
        <RequestLogTable entries={log.data.items} nameOf={nameOf} busy={log.loading} />
        <CursorPager pager={pager} nextCursor={log.data.nextCursor} />
      </>
    );

  return (
    <>
      <Card title="Requests and errors">{chart}</Card>
      <Card title={`Connections — ${periodLabel}`}>
        <ConnectionSummaryStrip tenantId={tenantId} connectionId={connectionId} hours={hours} nameOf={nameOf} refreshKey={refreshKey} />
      </Card>
      <Card title="Request log">{table}</Card>
    </>
  );
}
