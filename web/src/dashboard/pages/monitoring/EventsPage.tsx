/** PLACEHOLDER — to be built. */
export function EventsPage() {
  return <p>EventsPage (not built yet)</p>;
}
