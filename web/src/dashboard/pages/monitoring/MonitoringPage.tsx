/**
 * Monitoring: the SCIM request log of every connection, filtered by account, connection, status and
 * time (all kept in the URL), with a chart of requests and errors, a per-connection summary, and an
 * explanation of each failed request. A Google Workspace connection, which sends no requests, shows its syncs.
 */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { plural } from '../../../shared/format.js';
import { useLocation } from '../../../shared/router.js';
import type { Connection } from '../../../shared/types.js';
import { Card, CursorPager, PageHeader } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi, useCursorPager } from '../../../shared/use-api.js';
import { loadChartSeries } from './chart-range.js';
import { connectionLabeller, loggedNames } from './connection-labels.js';
import { ConnectionSummaryStrip } from './ConnectionSummaryStrip.js';
import { GoogleSyncsCard } from './GoogleSyncsCard.js';
import { heldCounts, HeldForReview, OneRequestNote } from './HeldForReview.js';
import { RANGE_LABELS, readFilters, summaryHours, timeWindow, type LogFilters } from './filters.js';
import { MonitoringFilters } from './MonitoringFilters.js';
import { RequestChart } from './RequestChart.js';
import { RequestLogTable } from './RequestLogTable.js';
import type { LogPage, LogSummary } from './types.js';
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
  const connections = useConnections(filters.tenantId, [filters.connectionId]);
  const span = timeWindow(filters, now);
  const selected = filters.connectionId ? connections.byId.get(filters.connectionId) : undefined;

  return (
    <>
      <PageHeader title="Monitoring" subtitle="Every SCIM request your customers’ identity providers send, for troubleshooting." />
      <Card>
        <MonitoringFilters filters={filters} connections={connections.list} labelOf={connectionLabeller(connections.live, new Map())} onRefresh={() => setClock({ key: rangeKey, now: Date.now() })} />
        {span.error !== undefined ? (
          <p className="form-error" role="alert">
            {span.error}
          </p>
        ) : null}
      </Card>
      {selected?.type === 'google-workspace' ? (
        <GoogleSyncsCard key={`${selected.id}|${now}`} connection={selected} />
      ) : span.error === undefined ? (
        <MonitoringResults filters={filters} from={span.from} to={span.to} refreshKey={now} live={connections.live} connections={connections.list} />
      ) : null}
    </>
  );
}

function MonitoringResults({ filters, from, to, refreshKey, live, connections }: { filters: LogFilters; from: string; to: string; refreshKey: number; live: ReadonlyMap<string, Connection> | undefined; connections: Connection[] }) {
  const { tenantId, connectionId, status, requestId } = filters;
  const series = useApi(() => loadChartSeries({ tenantId, connectionId, from, to }), [tenantId, connectionId, from, to, refreshKey]);
  const pager = useCursorPager(JSON.stringify([tenantId, connectionId, status, from, to, refreshKey, requestId]));
  // One request (linked from a held change) is shown whatever the time range and status.
  const log = useApi(
    () =>
      api.get<LogPage>('/api/v1/logs', requestId ? { tenantId, connectionId, requestId, cursor: pager.cursor, limit: PAGE_SIZE } : { tenantId, connectionId, status, from, to, cursor: pager.cursor, limit: PAGE_SIZE }),
    [tenantId, connectionId, status, from, to, pager.cursor, refreshKey, requestId],
  );
  // The summary API counts back from now: a custom range is summarised from its start until now.
  const hours = summaryHours(from, new Date(refreshKey).toISOString());
  const summary = useApi(() => api.get<LogSummary>('/api/v1/logs/summary', { tenantId, sinceHours: hours }), [tenantId, hours, refreshKey]);
  const periodLabel = filters.range === 'custom' ? `last ${plural(hours, 'hour')}` : RANGE_LABELS[filters.range].toLowerCase();
  // The summary covers the chart's period and more: its names label the chart's deleted connections too.
  const labelOf = connectionLabeller(live, loggedNames(summary.data?.items ?? []));

  let chart;
  if (series.error) chart = <ErrorState error={series.error} retry={series.reload} title="The chart could not be loaded" />;
  else if (!series.data) chart = <Loading label="Loading the chart…" />;
  else if (series.data.series.items.length === 0) chart = <EmptyState title="No SCIM requests in this period">Requests appear here once an identity provider calls a provisioning URL.</EmptyState>;
  else chart = <RequestChart series={series.data.series} fitted={series.data.fitted} nameOf={(id) => labelOf(id)} />;

  let table;
  if (log.error) table = <ErrorState error={log.error} retry={log.reload} title="The request log could not be loaded" />;
  else if (!log.data) table = <Loading label="Loading requests…" />;
  else if (log.data.items.length === 0 && requestId)
    table = <EmptyState title="This request is not in the log">It may be older than the log keeps, or belong to another connection.</EmptyState>;
  else if (log.data.items.length === 0)
    table = (
      <EmptyState title={status ? 'No requests match these filters' : 'No requests in this period'}>
        {status ? 'Try another status or a longer time range.' : 'The log is written a moment after each request; refresh to see the latest.'}
      </EmptyState>
    );
  else
    table = (
      <>
        <RequestLogTable entries={log.data.items} labelOf={labelOf} busy={log.loading} />
        <CursorPager pager={pager} nextCursor={log.data.nextCursor} />
      </>
    );

  return (
    <>
      <Card title="Requests and errors">{chart}</Card>
      <Card title={`Connections — ${periodLabel}`}>
        <HeldForReview connections={connections} connectionId={connectionId} />
        <ConnectionSummaryStrip summary={summary} connectionId={connectionId} labelOf={labelOf} heldOf={heldCounts(connections)} />
      </Card>
      <Card title="Request log">
        {requestId ? <OneRequestNote requestId={requestId} /> : null}
        {table}
      </Card>
    </>
  );
}
