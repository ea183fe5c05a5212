/** Which rows of a table are expanded: a set of keys, and a toggle for one key. */
import { useState } from 'react';

export function useToggleSet<K>(): [ReadonlySet<K>, (key: K) => void] {
  const [open, setOpen] = useState<ReadonlySet<K>>(new Set());
  const toggle = (key: K) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return [open, toggle];
}
