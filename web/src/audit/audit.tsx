/**
 * The audit view for an agency's auditors: who read or changed the agency's data, under which
 * basis and agreement, for which purpose; filtered by the agency that acted, the person, the
 * operation and the time (auditTrail), with the reads per partner in the same window
 * (auditReadVolume) and the state of the hash chain: the newest signed checkpoint, its signature
 * checked here with WebCrypto (chain.tsx). The hub decides what is in scope; this only asks.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { graphql } from '../gql';
import type { AuditTrailFilter, AuditTrailQuery, AuditReadVolumeQuery } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { useSession } from '../session/session';
import { ChainState } from './chain';
import './audit.css';

const AuditTrailDocument = graphql(`
  query AuditTrail($filter: AuditTrailFilter, $first: Int!, $after: String) {
    auditTrail(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          at
          subject
          agency {
            code
            name
          }
          operation
          recordIds
          basis
          agreementId
          purpose
          requestId
        }
      }
    }
  }
`);

const AuditReadVolumeDocument = graphql(`
  query AuditReadVolume($from: DateTime!, $to: DateTime!) {
    auditReadVolume(from: $from, to: $to, groupBy: AGENCY) {
      key
      events
      records
    }
  }
`);

const AuditAgenciesDocument = graphql(`
  query AuditAgencies {
    agencies(includeDeparted: true) {
      code
      name
    }
  }
`);

type Event = AuditTrailQuery['auditTrail']['edges'][number]['node'];
type Volume = AuditReadVolumeQuery['auditReadVolume'];

const PAGE = 50;
/** Operations an auditor usually asks for; any other can be typed. */
const KNOWN_OPERATIONS = ['readSensitiveFields', 'readRecords', 'readTriageNotes'];
/** The read volume's window when the filter gives no start: the last 30 days. */
const DEFAULT_WINDOW_MS = 30 * 86_400_000;

/** datetime-local inputs are read as UTC here (the trail is kept in UTC, and so is this form). */
const fromUtcInput = (value: string) => (value ? new Date(`${value}:00Z`).toISOString() : null);
const utc = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

interface Criteria {
  agency: string;
  subject: string;
  operation: string;
  from: string;
  to: string;
}

const EMPTY: Criteria = { agency: '', subject: '', operation: '', from: '', to: '' };

function toFilter(c: Criteria): AuditTrailFilter {
  return {
    agency: c.agency || null,
    subject: c.subject.trim() || null,
    operation: c.operation.trim() || null,
    from: fromUtcInput(c.from),
    to: fromUtcInput(c.to),
  };
}

export function AuditView() {
  const { api } = useSession();
  const [filter, setFilter] = useState<AuditTrailFilter>(toFilter(EMPTY));
  const [events, setEvents] = useState<Event[]>();
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [volume, setVolume] = useState<Volume>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (f: AuditTrailFilter, after: string | null) => {
      setLoading(true);
      setError(undefined);
      try {
        const data = await api.must(AuditTrailDocument, { filter: f, first: PAGE, after });
        const page = data.auditTrail.edges.map((e) => e.node);
        setEvents((old) => (after && old ? [...old, ...page] : page));
        setTotal(data.auditTrail.totalCount);
        setNext(data.auditTrail.pageInfo.hasNextPage ? (data.auditTrail.pageInfo.endCursor ?? null) : null);
        if (!after) {
          const to = f.to ?? new Date().toISOString();
          const from = f.from ?? new Date(new Date(to).getTime() - DEFAULT_WINDOW_MS).toISOString();
          setVolume((await api.must(AuditReadVolumeDocument, { from, to })).auditReadVolume);
        }
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
      <h1>{t('audit.title')}</h1>
      <p className="help">{t('audit.intro')}</p>
      <ChainState />
      <FilterForm onApply={(c) => setFilter(toFilter(c))} />
      {error && (
        <p role="alert" className="error">
          {t('common.error', { reason: error })}
        </p>
      )}
      <p role="status" className="help">
        {events === undefined ? (loading ? t('common.loading') : '') : t('audit.count', { shown: events.length, total })}
      </p>
      {volume && <VolumeTable volume={volume} />}
      {events && events.length === 0 && <p className="notice">{t('audit.empty')}</p>}
      {events && events.length > 0 && <EventTable events={events} />}
      {next && (
        <button type="button" className="secondary" disabled={loading} onClick={() => void load(filter, next)}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}

function FilterForm({ onApply }: { onApply: (c: Criteria) => void }) {
  const { api } = useSession();
  const [c, setC] = useState<Criteria>(EMPTY);
  const [agencies, setAgencies] = useState<{ code: string; name: string }[]>([]);
  const id = useId();
  useEffect(() => {
    api.must(AuditAgenciesDocument, {}).then(
      (data) => setAgencies(data.agencies),
      () => setAgencies([]), // the list only helps to pick; the code can still be chosen as "any"
    );
  }, [api]);
  const set = (key: keyof Criteria) => (e: { target: { value: string } }) => setC((old) => ({ ...old, [key]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(c);
  };
  return (
    <form className="panel audit-filter" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('audit.filter')}</h2>
      <div className="audit-filter-grid">
        <div className="field">
          <label htmlFor={`${id}-agency`}>{t('audit.agency')}</label>
          <select id={`${id}-agency`} value={c.agency} onChange={set('agency')}>
            <option value="">{t('audit.anyAgency')}</option>
            {agencies.map((a) => (
              <option key={a.code} value={a.code}>
                {a.name} ({a.code})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-subject`}>{t('audit.subject')}</label>
          <input id={`${id}-subject`} value={c.subject} maxLength={256} onChange={set('subject')} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-operation`}>{t('audit.operation')}</label>
          <input
            id={`${id}-operation`}
            list={`${id}-operations`}
            value={c.operation}
            maxLength={256}
            onChange={set('operation')}
            autoComplete="off"
            aria-describedby={`${id}-operation-help`}
          />
          <datalist id={`${id}-operations`}>
            {KNOWN_OPERATIONS.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
          <p id={`${id}-operation-help`} className="help">
            {t('audit.operationHelp')}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('audit.from')}</label>
          <input id={`${id}-from`} type="datetime-local" value={c.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('audit.to')}</label>
          <input id={`${id}-to`} type="datetime-local" value={c.to} onChange={set('to')} />
        </div>
      </div>
      <button type="submit">{t('audit.apply')}</button>
    </form>
  );
}

function VolumeTable({ volume }: { volume: Volume }) {
  if (volume.length === 0) return null;
  return (
    <table className="audit-volume">
      <caption>{t('audit.volumeCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('audit.agency')}</th>
          <th scope="col">{t('audit.volumeEvents')}</th>
          <th scope="col">{t('audit.volumeRecords')}</th>
        </tr>
      </thead>
      <tbody>
        {volume.map((v) => (
          <tr key={v.key}>
            <td>{v.key}</td>
            <td>{v.events}</td>
            <td>{v.records}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EventTable({ events }: { events: Event[] }) {
  return (
    <div className="audit-table-wrap">
      <table className="audit-table">
        <caption className="sr-only">{t('audit.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.operation')}</th>
            <th scope="col">{t('audit.records')}</th>
            <th scope="col">{t('audit.basis')}</th>
            <th scope="col">{t('audit.purpose')}</th>
            <th scope="col">{t('audit.requestId')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{utc(e.at)}</td>
              <td>
                {e.subject}
                <br />
                <small>
                  {e.agency.name} ({e.agency.code})
                </small>
              </td>
              <td>{e.operation}</td>
              <td className="audit-ids">{e.recordIds.join(', ')}</td>
              <td>{e.basis ? t(`basis.${e.basis}` as MessageKey, { agreement: e.agreementId ?? '' }) : t('common.none')}</td>
              <td>{e.purpose ? t(`purpose.${e.purpose}` as MessageKey) : t('common.none')}</td>
              <td className="audit-ids">{e.requestId ?? t('common.none')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
