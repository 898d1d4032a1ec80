/** The console's text lookup: `t('key', { name: value })`. English is the only language so far. */
import { en, type MessageKey, type Messages } from './en';

const messages: Messages = en;

export type { MessageKey };

export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The console's locale for numbers and dates: the browser's, which the user controls. */
export const locale = typeof navigator === 'undefined' ? 'en' : navigator.language;
