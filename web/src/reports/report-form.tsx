/** Placeholder until this screen is built. */
export function ReportForm() {
  return <h1>ReportForm</h1>;
}
