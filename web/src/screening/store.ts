/**
 * The last screening of this tab, kept in memory (never in storage) while the analyst opens an
 * entry and comes back, and while a long list is still being screened. It belongs to the principal
 * that screened it: another sign-in (another agency, subject, purpose or roles) starts empty.
 */
import { useSyncExternalStore } from 'react';
import type { Principal } from '../session/session';
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

const EMPTY: ScreeningState = { complete: false };

let owner = '';
let state: ScreeningState = EMPTY;
const listeners = new Set<() => void>();

const ownerOf = (p: Principal) => JSON.stringify([p.agency.code, p.subject, p.purpose ?? null, [...p.roles].sort()]);

export function updateScreening(principal: Principal, next: Partial<ScreeningState>): void {
  const who = ownerOf(principal);
  state = { ...(who === owner ? state : EMPTY), ...next };
  owner = who;
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useScreening(principal: Principal): ScreeningState {
  const who = ownerOf(principal);
  return useSyncExternalStore(subscribe, () => (owner === who ? state : EMPTY));
}
