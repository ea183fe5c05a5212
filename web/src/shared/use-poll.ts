/** Polling while something runs on the server (a background re-evaluation): one request at a time. */
import { useEffect, useRef } from 'react';

/**
 * Calls `poll` every `intervalMs` while `active`, waiting for each call to settle before the next
 * timer starts, so a slow answer never piles requests up. Stops on unmount.
 */
export function usePoll(poll: () => Promise<unknown>, intervalMs: number, active: boolean): void {
  const latest = useRef(poll);
  latest.current = poll;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: number | undefined;
    const tick = () => {
      timer = window.setTimeout(() => {
        void latest.current()
          .catch(() => undefined)
          .finally(() => !stopped && tick());
      }, intervalMs);
    };
    tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [active, intervalMs]);
}
