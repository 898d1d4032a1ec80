/**
 * The webhook worker: one per hub instance, safe with several. It runs fan-out (fan-out.ts, and
 * feedback-fan-out.ts for partners' feedback on the agency's entries),
 * sending (sender.ts) and retention (retention.ts) side by side, and asks fan-out for a recheck
 * when what the webhooks may see can have changed.
 */
import { checkWebhookSelection } from './payload';
import { FanOut } from './fan-out';
import { feedbackLoop } from './feedback-fan-out';
import { pruneLoop } from './retention';
import { Sender, type SenderOptions } from './sender';

export { pruneWebhookHistory } from './retention';

/** The worker needs what its sender needs (fan-out takes a part of it). */
export type WebhookWorkerOptions = SenderOptions;

export class WebhookWorker {
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly sender: Sender;
  private readonly fanOut: FanOut;
  private stopWindowWatch?: () => void;
  private unsubscribeReload?: () => void;

  constructor(private readonly o: WebhookWorkerOptions) {
    this.sender = new Sender(o);
    this.fanOut = new FanOut({ ...o, queued: () => this.sender.wake() });
  }

  start(): void {
    checkWebhookSelection(this.o.schema);
    const requestRecheck = () => this.fanOut.requestRecheck();
    // Visibility changes with the policy set (reload) or with time, when an agreement's validity
    // window opens or closes: re-check then, not on every tick.
    this.stopWindowWatch = this.o.policies.onAgreementWindow(this.o.runtime.settings.recheckMs, requestRecheck);
    this.unsubscribeReload = this.o.policies.onReload(requestRecheck);
    const { signal } = this.abort;
    this.loops.push(
      this.fanOut.run(signal),
      feedbackLoop({ ...this.o, queued: () => this.sender.wake() }, signal),
      this.sender.run(signal),
      pruneLoop(this.o, signal),
    );
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.stopWindowWatch?.();
    this.unsubscribeReload?.();
    this.sender.wake();
    this.fanOut.wake();
    await Promise.all(this.loops);
    await this.sender.drain();
  }
}
