/**
 * The reports the caller may see, newest first. For a private operator those are its own, with
 * their status; the analysts' notes never reach it (the hub withholds them, and this list does not
 * ask for them). For a public agency, the reports shared with it, filtered by status and port.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { AccessLine } from '../access/access';
import type { ReportFilter, ReportListQuery, ReportStatus } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { useSession } from '../session/session';
import { PortTime } from '../time/port-time';
import { portLabel } from '../time/ports';
import { ReportListDocument } from './queries';
import { REPORT_STATUSES } from '../i18n/vocabulary';
import './reports.css';

type Row = ReportListQuery['reports']['edges'][number]['node'];

const PAGE = 50;

export function OurReports() {
  const { api, principal } = useSession();
  const operator = principal.agency.kind === 'PRIVATE_OPERATOR';
  const [filter, setFilter] = useState<ReportFilter>({});
  const [rows, setRows] = useState<Row[]>();
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (f: ReportFilter, after: string | null) => {
      setLoading(true);
      setError(undefined);
      try {
        const data = await api.must(ReportListDocument, { first: PAGE, after, filter: f });
        const page = data.reports.edges.map((e) => e.node);
        setRows((old) => (after && old ? [...old, ...page] : page));
        setTotal(data.reports.totalCount);
        setNext(data.reports.pageInfo.hasNextPage ? (data.reports.pageInfo.endCursor ?? null) : null);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        setLoading(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void load(filter, null);
  }, [load, filter]);

  return (
    <section>
      <h1>{t(operator ? 'reports.list.title' : 'reports.list.titleAnalyst')}</h1>
      <p className="help">{t(operator ? 'reports.list.introOperator' : 'reports.list.introAnalyst')}</p>
      {!operator && <Filter ports={principal.agency.ports} onApply={setFilter} />}
      {error && (
        <div role="alert">
          <p className="error">{t('common.error', { reason: error })}</p>
          <button type="button" className="secondary" onClick={() => void load(filter, null)}>
            {t('common.retry')}
          </button>
        </div>
      )}
      <p role="status" className="help">
        {rows === undefined ? (loading ? t('common.loading') : '') : t('reports.list.count', { shown: rows.length, total })}
      </p>
      {rows && rows.length === 0 && <p className="notice">{t('reports.list.empty')}</p>}
      {rows && rows.length > 0 && (
        <>
          <div className="reports-table-wrap wide-only">
            <table className="reports-table">
              <caption className="sr-only">{t('reports.list.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.list.reference')}</th>
                  <th scope="col">{t('common.field.port')}</th>
                  <th scope="col">{t('common.field.category')}</th>
                  <th scope="col">{t('reports.list.observedAt')}</th>
                  <th scope="col">{t('common.field.status')}</th>
                  <th scope="col">{t('reports.list.access')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} data-report={r.reference}>
                    <th scope="row">
                      <Link href={`/reports/${encodeURIComponent(r.id)}`}>{r.reference}</Link>
                    </th>
                    <td>{portLabel(r.port)}</td>
                    <td>{t(`reports.category.${r.category}` as MessageKey)}</td>
                    <td>
                      <PortTime at={r.observedAt} port={r.port} />
                    </td>
                    <td>
                      <StatusText status={r.status} />
                    </td>
                    <td>
                      <AccessLine tlp={r.tlp} access={r.access} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {/* On a phone, one card per report instead of a table wider than the screen. */}
          <ul className="report-cards narrow-only" aria-label={t('reports.list.caption')}>
            {rows.map((r) => (
              <li key={r.id} className="panel" data-report={r.reference}>
                <h2>
                  <Link href={`/reports/${encodeURIComponent(r.id)}`}>{r.reference}</Link>
                </h2>
                <dl className="record">
                  <ReportBasics report={r} />
                  <dt>{t('reports.list.access')}</dt>
                  <dd>
                    <AccessLine tlp={r.tlp} access={r.access} />
                  </dd>
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
      {next && (
        <p>
          <button type="button" className="secondary" disabled={loading} onClick={() => void load(filter, next)}>
            {t('reports.list.more')}
          </button>
        </p>
      )}
    </section>
  );
}

/** Status, category, port and time observed: the first lines of a report, in a card or on its page. */
export function ReportBasics({ report: r }: { report: { status: ReportStatus; category: string; port: string; observedAt: string } }) {
  return (
    <>
      <dt>{t('common.field.status')}</dt>
      <dd>
        <StatusText status={r.status} />
      </dd>
      <dt>{t('common.field.category')}</dt>
      <dd>{t(`reports.category.${r.category}` as MessageKey)}</dd>
      <dt>{t('common.field.port')}</dt>
      <dd>{portLabel(r.port)}</dd>
      <dt>{t('reports.list.observedAt')}</dt>
      <dd>
        <PortTime at={r.observedAt} port={r.port} />
      </dd>
    </>
  );
}

export function StatusText({ status }: { status: ReportStatus }) {
  return <span className={`report-status status-${status.toLowerCase()}`}>{t(`reports.status.${status}` as MessageKey)}</span>;
}

function Filter(props: { ports: readonly string[]; onApply: (f: ReportFilter) => void }) {
  const id = useId();
  const [status, setStatus] = useState<ReportStatus | ''>('');
  const [port, setPort] = useState('');
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const code = port.trim().toUpperCase();
    props.onApply({ ...(status ? { status: [status] } : {}), ...(code ? { port: code } : {}) });
  };
  return (
    <form className="panel reports-filter" onSubmit={apply} aria-label={t('reports.list.filter')}>
      <div className="field">
        <label htmlFor={`${id}-status`}>{t('reports.list.filterStatus')}</label>
        <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as ReportStatus | '')}>
          <option value="">{t('reports.list.anyStatus')}</option>
          {REPORT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`reports.status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-port`}>{t('reports.list.filterPort')}</label>
        <input
          id={`${id}-port`}
          list={`${id}-ports`}
          value={port}
          maxLength={5}
          autoComplete="off"
          aria-describedby={`${id}-port-help`}
          onChange={(e) => setPort(e.target.value)}
        />
        <datalist id={`${id}-ports`}>
          {props.ports.map((p) => (
            <option key={p} value={p}>
              {portLabel(p)}
            </option>
          ))}
        </datalist>
        <p id={`${id}-port-help`} className="help">
          {t('reports.list.portHelp')}
        </p>
      </div>
      <button type="submit">{t('reports.list.apply')}</button>
    </form>
  );
}
