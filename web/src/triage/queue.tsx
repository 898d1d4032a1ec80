/**
 * The triage queue: reports of the agency's jurisdiction by status (new and under review first)
 * and port, newest first as the hub lists them. Each opens the triage
 * page, where the analyst compares it with its possible duplicates and moves it on.
 */
import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { AccessLine } from '../access/access';
import type { ReportFilter, ReportStatus } from '../gql/graphql';
import { t } from '../i18n';
import { categoryText, REPORT_STATUSES } from '../i18n/vocabulary';
import { useSession } from '../session/session';
import { PortTime } from '../time/port-time';
import { portLabel } from '../time/ports';
import { ReportListDocument } from '../reports/queries';
import { StatusText } from '../reports/our-reports';
import { pageOf, usePaged } from '../watchlists/paged';
import { More } from '../watchlists/watchlists';
import './triage.css';

const PAGE = 50;
const OPEN: ReportStatus[] = ['SUBMITTED', 'UNDER_REVIEW'];

export function TriageQueue() {
  const { api, principal } = useSession();
  const [filter, setFilter] = useState<ReportFilter>({ status: OPEN });
  const reports = usePaged(
    useCallback(
      async (after: string | null) => pageOf((await api.must(ReportListDocument, { first: PAGE, after, filter })).reports),
      [api, filter],
    ),
  );
  return (
    <section className="triage">
      <h1>{t('triage.title')}</h1>
      <p className="help">{t('triage.intro')}</p>
      <QueueFilter ports={principal.agency.ports} onApply={setFilter} />
      {reports.error && (
        <div role="alert">
          <p className="error">{t('common.error', { reason: reports.error })}</p>
          <button type="button" className="secondary" onClick={reports.reload}>
            {t('common.retry')}
          </button>
        </div>
      )}
      <p role="status" className="help">
        {reports.rows === undefined
          ? reports.loading
            ? t('common.loading')
            : ''
          : t('triage.count', { shown: reports.rows.length, total: reports.total })}
      </p>
      {reports.rows && reports.rows.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('triage.caption')}>
          <table>
            <caption className="sr-only">{t('triage.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('triage.reference')}</th>
                <th scope="col">{t('common.field.status')}</th>
                <th scope="col">{t('common.field.port')}</th>
                <th scope="col">{t('common.field.category')}</th>
                <th scope="col">{t('triage.vessel')}</th>
                <th scope="col">{t('triage.observedAt')}</th>
                <th scope="col">{t('triage.access')}</th>
              </tr>
            </thead>
            <tbody>
              {reports.rows.map((r) => (
                <tr key={r.id} data-report={r.reference}>
                  <th scope="row">
                    <Link href={`/triage/${encodeURIComponent(r.id)}`}>{r.reference}</Link>
                  </th>
                  <td>
                    <StatusText status={r.status} />
                  </td>
                  <td>{portLabel(r.port)}</td>
                  <td>{categoryText(r.category)}</td>
                  <td>{[r.vesselName, r.imo && `IMO ${r.imo}`].filter(Boolean).join(' · ') || t('common.none')}</td>
                  <td>
                    <PortTime at={r.observedAt} port={r.port} />
                  </td>
                  <td>
                    <AccessLine tlp={r.tlp} access={r.access} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <More paged={reports} />
    </section>
  );
}

function QueueFilter(props: { ports: readonly string[]; onApply(f: ReportFilter): void }) {
  const id = useId();
  const [statuses, setStatuses] = useState<ReportStatus[]>(OPEN);
  const [port, setPort] = useState('');
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const code = port.trim().toUpperCase();
    props.onApply({ ...(statuses.length ? { status: statuses } : {}), ...(code ? { port: code } : {}) });
  };
  const toggle = (s: ReportStatus, on: boolean) => setStatuses((old) => (on ? [...old, s] : old.filter((x) => x !== s)));
  return (
    <form className="panel triage-filter" onSubmit={apply} aria-label={t('triage.filter')}>
      <fieldset className="field">
        <legend>{t('common.field.status')}</legend>
        <div>
          {REPORT_STATUSES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={statuses.includes(s)} onChange={(e) => toggle(s, e.target.checked)} />{' '}
              <StatusText status={s} />
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-port`}>{t('common.field.port')}</label>
        <input
          id={`${id}-port`}
          list={`${id}-ports`}
          value={port}
          maxLength={5}
          autoComplete="off"
          onChange={(e) => setPort(e.target.value)}
        />
        <datalist id={`${id}-ports`}>
          {props.ports.map((p) => (
            <option key={p} value={p}>
              {portLabel(p)}
            </option>
          ))}
        </datalist>
      </div>
      <button type="submit">{t('triage.apply')}</button>
    </form>
  );
}
