/** Waits of the webhook loops, each cut short when the worker stops. */

/** Resolves after `ms`, or as soon as `signal` aborts (at once if it already has). */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** Waits for the first of `wakes` or `ms`, and lets go of the timer and its abort listener then. */
export async function napUntil(ms: number, signal: AbortSignal, ...wakes: Promise<unknown>[]): Promise<void> {
  if (signal.aborted) return;
  const nap = new AbortController();
  const stop = () => nap.abort();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.race([...wakes, sleep(ms, nap.signal)]);
  } finally {
    nap.abort();
    signal.removeEventListener('abort', stop);
  }
}
