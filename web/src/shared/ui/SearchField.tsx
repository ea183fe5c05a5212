/**
 * A search box that reports its text after the person stops typing (debounced), for lists whose
 * search lives in the URL. Follows `value` when it changes from outside (back/forward, a reset).
 */
import { useEffect, useId, useRef, useState } from 'react';

export function SearchField({ label, value, onSearch, placeholder, delay = 300 }: { label: string; value: string; onSearch: (text: string) => void; placeholder?: string; delay?: number }) {
  const id = useId();
  const [text, setText] = useState(value);
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef(onSearch);
  latest.current = onSearch;

  // A new value from the URL (not the one this box just sent) replaces what is typed.
  useEffect(() => {
    setText((current) => (current.trim() === value ? current : value));
  }, [value]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const change = (next: string) => {
    setText(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => latest.current(next.trim()), delay);
  };

  return (
    <div className="field search-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        // Wide enough for the whole placeholder: `size` counts average characters, a little wider than most.
        size={Math.max(34, (placeholder?.length ?? 0) + 4)}
        autoComplete="off"
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            window.clearTimeout(timer.current);
            latest.current(text.trim());
          }
        }}
      />
    </div>
  );
}
