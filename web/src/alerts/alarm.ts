/**
 * The duty officer's alarm for HIGH and CRITICAL alerts: a desktop notification (only once the
 * officer granted it by pressing a button; a page never asks on load) and a short tone made with
 * WebAudio, so no audio file is fetched. The sound preference is a harmless UI setting and the
 * only thing kept in localStorage.
 */
const SOUND_KEY = 'portcullis.alerts.sound';

export function soundPreference(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function saveSoundPreference(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    // Storage may be disabled; the toggle still holds for this page.
  }
}

export const ALARMING: ReadonlySet<string> = new Set(['HIGH', 'CRITICAL']);

export type NotificationState = 'unsupported' | NotificationPermission;

export function notificationState(): NotificationState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function askNotificationPermission(): Promise<NotificationState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

export function notify(title: string, body: string, tag: string): void {
  if (notificationState() !== 'granted') return;
  try {
    new Notification(title, { body, tag });
  } catch {
    // Some platforms only notify from a service worker: the board itself still shows the alert.
  }
}

let audio: AudioContext | undefined;

/**
 * Browsers only let a page make sound after the user interacted with it: call this from a click
 * (the sound toggle, the notification button) so later alarms can play.
 */
export function unlockSound(): void {
  if (typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  if (audio.state === 'suspended') void audio.resume();
}

/** Two short tones, higher and repeated for CRITICAL. */
export function playAlarm(severity: string): void {
  if (typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  if (audio.state === 'suspended') void audio.resume();
  const ctx = audio;
  const beeps = severity === 'CRITICAL' ? [0, 0.25, 0.5] : [0, 0.25];
  const frequency = severity === 'CRITICAL' ? 988 : 784;
  for (const offset of beeps) {
    const start = ctx.currentTime + offset;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + 0.2);
  }
}
