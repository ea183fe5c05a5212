/** PLACEHOLDER — to be built. */
export function BuilderPage() {
  return <p>BuilderPage (not built yet)</p>;
}
