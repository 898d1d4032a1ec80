/**
 * Importing a file of entries into a list (CSV, JSON, OFAC SDN). The file is read in the browser
 * and sent in parts that each fit the hub's body limit (file-parts.ts), one after another, with
 * the progress shown; the bad rows come back at the file's own line numbers. Importing is
 * idempotent per row, so after a failure part-way the same file can simply be imported again.
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiFailure } from '../api/client';
import type { ImportFormat, ImportWatchlistEntriesMutation } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { useSession } from '../session/session';
import { nextPart, splitFile, utf8Bytes, type SplitFile } from './file-parts';
import { ImportWatchlistEntriesDocument } from './operations';

/** Half of the hub's default 2 MiB body limit for the part's text: escaped in JSON it may double. */
const PART_BYTES = 512 * 1024;
/** Below this a part that the hub still finds too large is not cut further. */
const SMALLEST_PART_BYTES = 4 * 1024;
const FORMATS: ImportFormat[] = ['CSV', 'JSON', 'OFAC_SDN'];
/** Read in the browser up to this size; a larger file is for `npm run import`, which streams it. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Bad rows listed on the screen; the hub reports the first 1,000 of each part. */
const SHOWN_ERRORS = 1000;

type Report = Omit<ImportWatchlistEntriesMutation['importWatchlistEntries'], '__typename'>;

interface Progress {
  sentRecords: number;
  totalRecords: number;
  parts: number;
}

const emptyReport = (): Report => ({ rows: 0, created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, errors: [] });

export function ImportPanel(props: { watchlistId: string; onImported(): void }) {
  const { api } = useSession();
  const id = useId();
  const [format, setFormat] = useState<ImportFormat>('CSV');
  const [file, setFile] = useState<File>();
  const [source, setSource] = useState('');
  const [progress, setProgress] = useState<Progress>();
  const [report, setReport] = useState<Report>();
  const [failure, setFailure] = useState<{ reason: string; loadedUpTo?: number }>();
  const [busy, setBusy] = useState(false);

  async function sendPart(content: string) {
    const defaults = format === 'OFAC_SDN' && source.trim() ? { source: source.trim() } : null;
    return (await api.must(ImportWatchlistEntriesDocument, { watchlistId: props.watchlistId, format, content, defaults }))
      .importWatchlistEntries;
  }

  async function run(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFailure({ reason: t('wl.import.tooLarge', { megabytes: MAX_FILE_BYTES / 1024 / 1024 }) });
      return;
    }
    setBusy(true);
    setFailure(undefined);
    setReport(undefined);
    const text = await file.text();
    const total = emptyReport();
    const split: SplitFile | undefined = splitFile(text, format);
    let lastLine: number | undefined;
    try {
      if (!split) {
        // A JSON array goes whole: its line numbers are the array's.
        setProgress({ sentRecords: 0, totalRecords: 1, parts: 1 });
        add(total, await sendPart(text), 0);
        setProgress({ sentRecords: 1, totalRecords: 1, parts: 1 });
      } else {
        let budget = PART_BYTES;
        let from = 0;
        let parts = 0;
        setProgress({ sentRecords: 0, totalRecords: split.records.length, parts: 0 });
        while (from < split.records.length || (from === 0 && parts === 0)) {
          const part = nextPart(split, from, budget);
          try {
            add(total, await sendPart(part.content), part.lineOffset);
          } catch (err) {
            // A hub with a smaller MAX_BODY_BYTES than the default: cut smaller and send again.
            if (err instanceof ApiFailure && err.code === 'PAYLOAD_TOO_LARGE' && utf8Bytes(part.content) > SMALLEST_PART_BYTES) {
              budget = Math.max(SMALLEST_PART_BYTES, Math.floor(utf8Bytes(part.content) / 4));
              continue;
            }
            throw err;
          }
          parts++;
          from += part.records;
          lastLine = from > 0 ? (split.startLines[from] ?? Number.MAX_SAFE_INTEGER) - 1 : undefined;
          setProgress({ sentRecords: from, totalRecords: split.records.length, parts });
          if (part.records === 0) break;
        }
      }
      setReport(total);
      props.onImported();
    } catch (err) {
      setReport(total.rows > 0 ? total : undefined);
      setFailure({ reason: err instanceof Error ? err.message : String(err), loadedUpTo: lastLine });
      if (total.rows > 0) props.onImported();
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="panel" open>
      <summary>{t('wl.import.title')}</summary>
      <form className="wl-form" onSubmit={(e) => void run(e)} aria-label={t('wl.import.title')}>
        <p className="help">{t('wl.import.help')}</p>
        <div className="field">
          <label htmlFor={`${id}-format`}>{t('wl.import.format')}</label>
          <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.target.value as ImportFormat)}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`wl.import.format.${f}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-file`}>{t('wl.import.file')}</label>
          <input
            id={`${id}-file`}
            type="file"
            required
            accept=".csv,.json,.jsonl,.txt,text/csv,application/json"
            onChange={(e) => setFile(e.target.files?.[0])}
          />
        </div>
        {format === 'OFAC_SDN' && (
          <div className="field">
            <label htmlFor={`${id}-source`}>{t('wl.import.source')}</label>
            <input id={`${id}-source`} maxLength={200} value={source} onChange={(e) => setSource(e.target.value)} />
          </div>
        )}
        <button type="submit" disabled={busy || !file}>
          {t('wl.import.submit')}
        </button>
      </form>
      {progress && (
        <div className="wl-progress">
          <label htmlFor={`${id}-progress`}>{t('wl.import.progress')}</label>{' '}
          <progress id={`${id}-progress`} max={progress.totalRecords || 1} value={progress.sentRecords} />
          <p role="status" className="help">
            {busy
              ? t('wl.import.sending', { sent: progress.sentRecords, total: progress.totalRecords })
              : t('wl.import.sent', { parts: progress.parts })}
          </p>
        </div>
      )}
      {failure && (
        <div role="alert" className="error">
          <p>{t('wl.import.failed', { reason: failure.reason })}</p>
          <p>{failure.loadedUpTo ? t('wl.import.partly', { line: failure.loadedUpTo }) : t('wl.import.nothing')}</p>
        </div>
      )}
      {report && <ImportReportView report={report} />}
    </details>
  );
}

/** Adds a part's report to the file's, its bad rows moved to the file's line numbers. */
function add(total: Report, part: Report, lineOffset: number) {
  total.rows += part.rows;
  total.created += part.created;
  total.updated += part.updated;
  total.unchanged += part.unchanged;
  total.failed += part.failed;
  total.skipped += part.skipped;
  const room = SHOWN_ERRORS - total.errors.length;
  if (room > 0) total.errors = [...total.errors, ...part.errors.slice(0, room).map((e) => ({ ...e, line: e.line + lineOffset }))];
}

function ImportReportView({ report }: { report: Report }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-h`} className="wl-report">
      <h3 id={`${id}-h`}>{t('wl.import.report')}</h3>
      <p role="status">
        {t('wl.import.summary', {
          rows: report.rows,
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          failed: report.failed,
          skipped: report.skipped,
        })}
      </p>
      {report.errors.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('wl.import.badRows')}>
          <table className="wl-bad-rows">
            <caption>{t('wl.import.badRows')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('wl.import.line')}</th>
                <th scope="col">{t('wl.import.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.line}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.failed > report.errors.length && <p className="help">{t('wl.import.moreBadRows', { shown: report.errors.length })}</p>}
    </section>
  );
}
