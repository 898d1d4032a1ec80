/**
 * A page about one record fetched by id: loading, failed (with a retry), not found or not shared
 * with the agency (the hub answers both alike), or the record. Every such page shows these states
 * the same way, with its way back.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { t } from '../i18n';

export interface LoadedRecord<T> {
  /** undefined while loading; null when the hub has no such record for this agency. */
  record: T | null | undefined;
  error: string | undefined;
  reload: () => Promise<void>;
}

/** Fetches the record now, and again on reload() or when `fetch` changes (give it from useCallback). */
export function useLoadedRecord<T>(fetch: () => Promise<T | null>): LoadedRecord<T> {
  const [record, setRecord] = useState<T | null>();
  const [error, setError] = useState<string>();
  const reload = useCallback(async () => {
    setError(undefined);
    try {
      setRecord(await fetch());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [fetch]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { record, error, reload };
}

/** What the page shows until its record is there (call it while `loaded.error` is set or `loaded.record` is not), below `back`. */
export function RecordStates<T>(props: { loaded: LoadedRecord<T>; back: ReactNode; notFound: string }) {
  const { loaded, back, notFound } = props;
  if (loaded.error)
    return (
      <section>
        {back}
        <div role="alert">
          <p className="error">{t('common.error', { reason: loaded.error })}</p>
          <button type="button" className="secondary" onClick={() => void loaded.reload()}>
            {t('common.retry')}
          </button>
        </div>
      </section>
    );
  if (loaded.record === undefined) return <p role="status">{t('common.loading')}</p>;
  return (
    <section>
      {back}
      <p role="status" className="notice">
        {notFound}
      </p>
    </section>
  );
}
