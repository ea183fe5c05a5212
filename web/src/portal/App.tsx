/** PLACEHOLDER — to be built. */
export function App() {
  return <p>Portal (not built yet)</p>;
}
