/** PLACEHOLDER — to be built. */
export function MonitoringPage() {
  return <p>MonitoringPage (not built yet)</p>;
}
