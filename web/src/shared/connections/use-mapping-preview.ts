/**
 * The live preview of the mapping editor: POST …/attribute-mappings/preview with the draft's
 * mappings, sent once the inputs have been still for `delayMs`. A stale answer never overwrites a
 * newer one, so what shows always matches what was typed last.
 */
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api.js';
import type { MappingPreview } from './attribute-mapping-draft.js';

/** What the preview shows: the latest answer, or the error of the latest request, and whether one is under way. */
export interface PreviewState {
  data: MappingPreview | undefined;
  error: ApiError | undefined;
  loading: boolean;
}

export function useMappingPreview(url: string, mappings: Record<string, string | null>, userId: string | undefined, delayMs = 400): PreviewState {
  // The request as text: a new object with the same content sends nothing new.
  const body = JSON.stringify({ mappings, userId });
  const [state, setState] = useState<PreviewState>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  const sentOnce = useRef(false);
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    // The first preview goes at once; later ones wait for typing to pause.
    const delay = sentOnce.current ? delayMs : 0;
    sentOnce.current = true;
    const timer = window.setTimeout(() => {
      api.post<MappingPreview>(url, JSON.parse(body)).then(
        (data) => mine === generation.current && setState({ data, error: undefined, loading: false }),
        (error: unknown) =>
          mine === generation.current &&
          setState({ data: undefined, error: error instanceof ApiError ? error : new ApiError(0, 'Something went wrong. Try again.'), loading: false }),
      );
    }, delay);
    return () => window.clearTimeout(timer);
  }, [url, body, delayMs]);
  return state;
}
