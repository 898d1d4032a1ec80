/** Placeholder until this screen is built. */
export function OurReports() {
  return <h1>OurReports</h1>;
}
