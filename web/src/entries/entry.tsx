/** Placeholder until this screen is built. */
export function EntryDetail(_props: { id: string }) {
  return <h1>EntryDetail</h1>;
}
