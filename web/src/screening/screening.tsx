/** Placeholder until this screen is built. */
export function Screening() {
  return <h1>Screening</h1>;
}
