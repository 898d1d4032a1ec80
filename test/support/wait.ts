/** Waiting in tests: a plain delay, and polling for something that must happen (with a deadline). */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Calls `probe` every `intervalMs` until `done` accepts its value or `timeoutMs` has passed, and
 * returns the last value either way: the caller asserts on it, so a timeout fails there with
 * what was seen. For things that must arrive; absence is proven by a later event, not by waiting.
 */
export async function pollUntil<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 25 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await sleep(intervalMs);
    value = await probe();
  }
  return value;
}
