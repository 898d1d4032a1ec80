/**
 * At most `slots` holders at once; up to `queue` more wait their turn, in order, each until its
 * own deadline. Beyond the queue, or past the deadline, `acquire` refuses at once instead of
 * letting waiters pile up behind a resource that is already fully used.
 */
export class Semaphore {
  private busy = 0;
  private readonly waiting: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly slots: number,
    private readonly queue: number,
  ) {}

  /** Resolves to a release function, or to 'busy' (queue full) or 'timeout' (deadline passed while waiting). */
  acquire(deadline: number): Promise<(() => void) | 'busy' | 'timeout'> {
    if (this.busy < this.slots) {
      this.busy++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queue) return Promise.resolve('busy');
    return new Promise((resolve) => {
      const waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve(this.releaser());
        },
        timer: setTimeout(
          () => {
            this.waiting.splice(this.waiting.indexOf(waiter), 1);
            resolve('timeout');
          },
          Math.max(0, deadline - Date.now()),
        ),
      };
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter: `busy` stays as it is.
      if (next) next.grant();
      else this.busy--;
    };
  }
}
