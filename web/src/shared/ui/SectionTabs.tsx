/**
 * Tabs inside a dialog (the WAI-ARIA tabs pattern): a tablist of buttons, one panel shown. Arrow keys,
 * Home and End move between tabs and select them; Tab goes from the selected tab into its panel.
 * Navigation between pages uses Tabs (links) in Layout.tsx instead.
 */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface SectionTab<K extends string> {
  key: K;
  label: ReactNode;
}

export function SectionTabs<K extends string>({ label, tabs, current, onSelect, children }: { label: string; tabs: SectionTab<K>[]; current: K; onSelect: (key: K) => void; children: ReactNode }) {
  const id = useId();
  const buttons = useRef(new Map<K, HTMLButtonElement>());
  const move = (event: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const to = event.key === 'ArrowRight' ? (index === last ? 0 : index + 1) : event.key === 'ArrowLeft' ? (index === 0 ? last : index - 1) : event.key === 'Home' ? 0 : event.key === 'End' ? last : -1;
    if (to < 0) return;
    event.preventDefault();
    onSelect(tabs[to].key);
    buttons.current.get(tabs[to].key)?.focus();
  };
  return (
    <>
      <div className="section-tabs" role="tablist" aria-label={label}>
        {tabs.map((tab, index) => (
          <button
            key={tab.key}
            ref={(el) => {
              if (el) buttons.current.set(tab.key, el);
              else buttons.current.delete(tab.key);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${tab.key}`}
            aria-selected={tab.key === current}
            aria-controls={`${id}-panel`}
            tabIndex={tab.key === current ? 0 : -1}
            className={tab.key === current ? 'tab active' : 'tab'}
            onClick={() => onSelect(tab.key)}
            onKeyDown={(event) => move(event, index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${current}`} className="section-tab-panel">
        {children}
      </div>
    </>
  );
}
