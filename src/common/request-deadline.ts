/**
 * The deadline of the request whose work is running (REQUEST_TIMEOUT_MS), carried through all it
 * starts, so the database client refuses its statements once it has passed and cancels the one
 * running when it passes (src/db/deadline-client.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const deadlines = new AsyncLocalStorage<number>();

/** Runs `fn`, and everything it starts, under a deadline `ms` from now. */
export const withDeadline = <T>(ms: number, fn: () => T): T => deadlines.run(Date.now() + ms, fn);

/** When the current request must be done (epoch ms), or undefined outside one. */
export const currentDeadline = (): number | undefined => deadlines.getStore();

/** Runs `fn` free of the current deadline: what must happen even for a request that ran late (its audit records). */
export const outsideDeadline = <T>(fn: () => T): T => deadlines.exit(fn);
