/** Placeholder until this screen is built. */
export function AlertDetail(_props: { id: string }) {
  return <h1>AlertDetail</h1>;
}
