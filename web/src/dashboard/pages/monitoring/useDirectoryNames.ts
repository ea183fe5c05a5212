/**
 * The names of the users, groups and connections a page of events points at: from the events' own
 * data, then from the directory API (`?ids=`, one request per tenant and kind) for the users and
 * groups of membership events that the page does not name. Each id is asked for once; one the
 * directory no longer has (a deleted user whose user.deleted is on another page) stays an id.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import { missingNames, namesInEvents, type Names } from './directory-names.js';
import type { FeedEvent } from './types.js';

type Found = { items: { id: string; userName?: string; displayName?: string | null }[] };

export function useDirectoryNames(events: readonly FeedEvent[]): Names {
  const own = useMemo(() => namesInEvents(events), [events]);
  const [found, setFound] = useState<Pick<Names, 'users' | 'groups'>>(() => ({ users: new Map(), groups: new Map() }));
  const asked = useRef(new Set<string>());

  useEffect(() => {
    const known = (kind: 'users' | 'groups', id: string) => own[kind].has(id) || found[kind].has(id);
    for (const lookup of missingNames(events, known, asked.current)) {
      for (const id of lookup.ids) asked.current.add(`${lookup.kind}:${lookup.tenantId}:${id}`);
      api.get<Found>(`/api/v1/tenants/${seg(lookup.tenantId)}/${lookup.kind}`, { ids: lookup.ids.join(','), limit: lookup.ids.length }).then(
        (page) =>
          setFound((current) => {
            const next = new Map(current[lookup.kind]);
            for (const item of page.items) next.set(item.id, (lookup.kind === 'users' ? item.userName : item.displayName) ?? item.id);
            return { ...current, [lookup.kind]: next };
          }),
        // A name that cannot be looked up leaves its id showing.
        () => undefined,
      );
    }
  }, [events, own, found]);

  return useMemo(
    () => ({ users: new Map([...found.users, ...own.users]), groups: new Map([...found.groups, ...own.groups]), connections: own.connections }),
    [own, found],
  );
}
