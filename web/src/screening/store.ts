/**
 * The last screening of this session, kept in its memory (never in storage) while the analyst
 * opens an entry and comes back, and while a long list is still being screened. Signing out, or
 * signing in again, starts empty.
 */
import { useSyncExternalStore } from 'react';
import { sessionMemory, type Session } from '../session/session';
import type { ScreenedVessel } from './results';

export interface ListProgress {
  screened: number;
  total: number;
  requestsDone: number;
  requests: number;
  done: boolean;
  failed: number;
}

export interface ScreeningState {
  vessels?: ScreenedVessel[];
  complete: boolean;
  progress?: ListProgress;
}

export class ScreeningStore {
  private state: ScreeningState = { complete: false };
  private readonly listeners = new Set<() => void>();

  readonly get = (): ScreeningState => this.state;

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(next: Partial<ScreeningState>): void {
    this.state = { ...this.state, ...next };
    for (const l of this.listeners) l();
  }
}

export const screeningStore = (session: Session) => sessionMemory(session, 'screening', () => new ScreeningStore());

export function useScreening(store: ScreeningStore): ScreeningState {
  return useSyncExternalStore(store.subscribe, store.get);
}
