/**
 * A Google Workspace connection's state, kept fresh while a sync runs: polled every 2 seconds while the
 * server says it is syncing, and after "Sync now" (or a new selection) until a sync other than the one
 * before has finished, for at most two minutes (a busy server may take a while to start it).
 */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api.js';
import { usePoll } from '../../use-poll.js';
import { googlePath, type GoogleState } from './types.js';

const POLL_MS = 2000;
const WAIT_MS = 120_000;

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));

interface Awaited {
  /** The last sync before the request: a finished sync with another id is the answer. */
  before: string | null;
  until: number;
}

/** Whether `state` answers the wait: a newer sync finished, the connection stopped being active, or time ran out. */
function answered(state: GoogleState, wait: Awaited): boolean {
  if (Date.now() > wait.until) return true;
  if (state.syncing) return false;
  if (state.status !== 'active') return true;
  const last = state.lastSync;
  return last !== null && last.id !== wait.before && last.status !== 'running';
}

export interface GoogleStateHandle {
  state: GoogleState | undefined;
  error: ApiError | undefined;
  reload: () => void;
  /** A newer state from an action's answer (a save, an authorisation). */
  set: (state: GoogleState) => void;
  /** Follows the connection until a sync newer than the current last one finished. */
  awaitSync: () => void;
  /** A sync is running or awaited. */
  busy: boolean;
}

export function useGoogleState(connectionId: string): GoogleStateHandle {
  const url = googlePath(connectionId);
  const [state, setState] = useState<GoogleState | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [wait, setWait] = useState<Awaited | undefined>();

  const load = useCallback(
    () =>
      api.get<GoogleState>(url).then(
        (next) => {
          setState(next);
          setError(undefined);
          setWait((current) => (current && answered(next, current) ? undefined : current));
        },
        (e: unknown) => setError(asApiError(e)),
      ),
    [url],
  );
  useEffect(() => {
    void load();
  }, [load]);
  usePoll(load, POLL_MS, Boolean(state?.syncing || wait));

  return {
    state,
    error,
    reload: () => void load(),
    set: setState,
    awaitSync: () => setWait({ before: state?.lastSync?.id ?? null, until: Date.now() + WAIT_MS }),
    busy: Boolean(state?.syncing || wait),
  };
}
