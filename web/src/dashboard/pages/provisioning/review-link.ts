/**
 * A link to a connection's review of held changes (from Monitoring): the account's Provisioning page
 * with `?review=<connectionId>`, which opens the connection's Deprovisioning dialog once its list has
 * loaded, and takes the parameter out of the address.
 */
import { useEffect, useRef, useState } from 'react';
import { seg, setQuery } from '../../../shared/router.js';
import type { ConnectionOverview } from '../../../shared/types.js';

const REVIEW_PARAM = 'review';

/** The Provisioning page of the connection's account, opening its review. */
export const reviewLink = (tenantId: string, connectionId: string) => `/dashboard/accounts/${seg(tenantId)}/provisioning?${REVIEW_PARAM}=${seg(connectionId)}`;

/** The request log filtered to one SCIM request of the connection. */
export const requestLink = (connection: { tenantId: string; id: string }, requestId: string) =>
  `/dashboard/monitoring?tenantId=${seg(connection.tenantId)}&connectionId=${seg(connection.id)}&requestId=${seg(requestId)}`;

/** Opens the review the address names, once `items` has loaded. */
export function useReviewParam(items: readonly ConnectionOverview[] | undefined, open: (connection: ConnectionOverview) => void): void {
  const [wanted] = useState(() => new URLSearchParams(window.location.search).get(REVIEW_PARAM) ?? undefined);
  const done = useRef(false);
  useEffect(() => {
    if (!wanted || !items || done.current) return;
    done.current = true;
    setQuery({ [REVIEW_PARAM]: undefined });
    const connection = items.find((c) => c.id === wanted);
    if (connection) open(connection);
  }, [wanted, items, open]);
}
