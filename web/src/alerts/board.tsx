/** Placeholder until this screen is built. */
export function AlertBoard() {
  return <h1>AlertBoard</h1>;
}
