/** Placeholder until this screen is built. */
export function ReportDetail(_props: { id: string }) {
  return <h1>ReportDetail</h1>;
}
