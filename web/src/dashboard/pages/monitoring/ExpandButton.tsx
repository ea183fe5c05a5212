/** The chevron button that opens a table row's details (request log, event feed). */
export function ExpandButton({ expanded, controls, title, label, onToggle }: { expanded: boolean; controls: string; title: string; label: string; onToggle: () => void }) {
  return (
    <button type="button" className="expand-button" title={title} aria-expanded={expanded} aria-controls={expanded ? controls : undefined} onClick={onToggle}>
      <span className="chevron" aria-hidden="true">
        ›
      </span>
      <span className="sr-only">{label}</span>
    </button>
  );
}
