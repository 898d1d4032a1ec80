/**
 * The watchlists the agency sees and a search over their entries, with the API's filters. An
 * agency's analysts create lists here; a list's page adds, imports and ends its entries.
 */
import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { AccessLine } from '../access/access';
import type { RiskLevel, ThreatCategory, Tlp, WatchlistEntryFilter, WatchlistEntrySearchQuery, WatchlistListQuery } from '../gql/graphql';
import { t } from '../i18n';
import { categoryText, riskText, RISK_LEVELS, THREAT_CATEGORIES } from '../i18n/vocabulary';
import { hasRole, useSession } from '../session/session';
import { PortTime } from '../time/port-time';
import { imoDigits, mmsiDigits, newIdempotencyKey } from '../reports/vessel-ids';
import { CreateWatchlistDocument, WatchlistEntrySearchDocument, WatchlistListDocument } from './operations';
import { pageOf, usePaged, type Paged } from './paged';
import { TLP_LEVELS, tlpText } from './tlp';
import './watchlists.css';

const PAGE = 50;

export function Watchlists() {
  const { api, principal } = useSession();
  const analyst = hasRole(principal, 'analyst');
  const lists = usePaged(
    useCallback(async (after: string | null) => pageOf((await api.must(WatchlistListDocument, { first: PAGE, after })).watchlists), [api]),
  );
  return (
    <section className="watchlists">
      <h1>{t('wl.title')}</h1>
      <p className="help">{t('wl.intro')}</p>
      <WatchlistTable lists={lists} />
      {analyst && <CreateWatchlist country={principal.agency.country} onCreated={lists.reload} />}
      <EntrySearch />
    </section>
  );
}

type ListRow = WatchlistListQuery['watchlists']['edges'][number]['node'];

function WatchlistTable({ lists }: { lists: Paged<ListRow> }) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('wl.lists.title')}</h2>
      <Status paged={lists} countKey="wl.lists.count" />
      {lists.rows && lists.rows.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-h`}>
          <table>
            <caption className="sr-only">{t('wl.lists.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('wl.field.name')}</th>
                <th scope="col">{t('common.field.owner')}</th>
                <th scope="col">{t('wl.field.jurisdiction')}</th>
                <th scope="col">{t('wl.field.entries')}</th>
                <th scope="col">{t('wl.field.access')}</th>
              </tr>
            </thead>
            <tbody>
              {lists.rows.map((l) => (
                <tr key={l.id} data-watchlist={l.name}>
                  <th scope="row">
                    <Link href={`/watchlists/${encodeURIComponent(l.id)}`}>{l.name}</Link>
                    {l.description && <div className="help">{l.description}</div>}
                  </th>
                  <td>{l.ownerAgency.name}</td>
                  <td>{l.jurisdiction}</td>
                  <td>{l.entries.totalCount}</td>
                  <td>
                    <AccessLine tlp={l.tlp} access={l.access} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <More paged={lists} />
    </section>
  );
}

/** The count shown, the loading state and a failure with a retry. */
function Status<T>({ paged, countKey }: { paged: Paged<T>; countKey: 'wl.lists.count' | 'wl.entries.count' }) {
  return (
    <>
      {paged.error && (
        <div role="alert">
          <p className="error">{t('common.error', { reason: paged.error })}</p>
          <button type="button" className="secondary" onClick={paged.reload}>
            {t('common.retry')}
          </button>
        </div>
      )}
      <p role="status" className="help">
        {paged.rows === undefined
          ? paged.loading
            ? t('common.loading')
            : ''
          : t(countKey, { shown: paged.rows.length, total: paged.total })}
      </p>
    </>
  );
}

export function More<T>({ paged }: { paged: Paged<T> }) {
  if (!paged.hasMore) return null;
  return (
    <p>
      <button type="button" className="secondary" disabled={paged.loading} onClick={paged.more}>
        {t('wl.more')}
      </button>
    </p>
  );
}

function CreateWatchlist(props: { country: string; onCreated(): void }) {
  const { api } = useSession();
  const id = useId();
  const [key, setKey] = useState(newIdempotencyKey);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tlp, setTlp] = useState<Tlp>('AMBER');
  const [jurisdiction, setJurisdiction] = useState(props.country);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<{ id: string; name: string }>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const input = { name: name.trim(), description: description.trim() || null, tlp, jurisdiction: jurisdiction.trim().toUpperCase() };
      const data = await api.must(CreateWatchlistDocument, { idempotencyKey: key, input });
      setCreated(data.createWatchlist);
      setName('');
      setDescription('');
      setKey(newIdempotencyKey());
      props.onCreated();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="panel">
      <summary>{t('wl.create.title')}</summary>
      <form onSubmit={(e) => void submit(e)} aria-label={t('wl.create.title')} className="wl-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('wl.field.name')}</label>
          <input id={`${id}-name`} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-desc`}>{t('wl.field.description')}</label>
          <textarea id={`${id}-desc`} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-tlp`}>{t('common.field.tlp')}</label>
          <select id={`${id}-tlp`} value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
            {TLP_LEVELS.map((l) => (
              <option key={l} value={l}>
                {tlpText(l)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-jur`}>{t('wl.field.jurisdiction')}</label>
          <input
            id={`${id}-jur`}
            required
            maxLength={2}
            value={jurisdiction}
            aria-describedby={`${id}-jur-help`}
            onChange={(e) => setJurisdiction(e.target.value)}
          />
          <p id={`${id}-jur-help`} className="help">
            {t('wl.field.jurisdictionHelp')}
          </p>
        </div>
        <button type="submit" disabled={busy}>
          {t('wl.create.submit')}
        </button>
        {error && (
          <p role="alert" className="error">
            {t('wl.create.failed', { reason: error })}
          </p>
        )}
        {created && (
          <p role="status" className="ok">
            {t('wl.create.done', { name: created.name })}{' '}
            <Link href={`/watchlists/${encodeURIComponent(created.id)}`}>{t('wl.create.open')}</Link>
          </p>
        )}
      </form>
    </details>
  );
}

type EntryRow = WatchlistEntrySearchQuery['watchlistEntries']['edges'][number]['node'];

/** Entries across the lists the agency sees, or of one list (`watchlistId`), with the API's filters. */
export function EntrySearch(props: { watchlistId?: string; refresh?: number }) {
  const { api } = useSession();
  const id = useId();
  const [filter, setFilter] = useState<WatchlistEntryFilter>({ activeOnly: true });
  const { watchlistId, refresh } = props;
  const entries = usePaged(
    useCallback(
      async (after: string | null) => {
        void refresh;
        const f = { ...filter, ...(watchlistId ? { watchlistId } : {}) };
        return pageOf((await api.must(WatchlistEntrySearchDocument, { first: PAGE, after, filter: f })).watchlistEntries);
      },
      [api, filter, watchlistId, refresh],
    ),
  );
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t(watchlistId ? 'wl.entries.ofList' : 'wl.entries.title')}</h2>
      <EntryFilter onApply={setFilter} />
      <Status paged={entries} countKey="wl.entries.count" />
      {entries.rows && entries.rows.length > 0 && <EntryTable rows={entries.rows} showList={!watchlistId} />}
      <More paged={entries} />
    </section>
  );
}

function EntryTable({ rows, showList }: { rows: EntryRow[]; showList: boolean }) {
  const now = Date.now();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('wl.entries.caption')}>
      <table>
        <caption className="sr-only">{t('wl.entries.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('wl.field.vessel')}</th>
            <th scope="col">{t('common.field.category')}</th>
            <th scope="col">{t('wl.field.risk')}</th>
            {showList && <th scope="col">{t('wl.field.list')}</th>}
            <th scope="col">{t('wl.field.validity')}</th>
            <th scope="col">{t('wl.field.access')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => {
            const ended = e.validUntil !== null && e.validUntil !== undefined && new Date(e.validUntil).getTime() <= now;
            return (
              <tr key={e.id} data-entry={e.vesselAsGiven.imo}>
                <th scope="row">
                  <Link href={`/entries/${encodeURIComponent(e.id)}`}>
                    {t('wl.entries.vessel', { name: e.vesselAsGiven.name, imo: e.vesselAsGiven.imo })}
                  </Link>
                </th>
                <td>{categoryText(e.category)}</td>
                <td className={`severity severity-${e.riskLevel.toLowerCase()}`}>{riskText(e.riskLevel)}</td>
                {showList && (
                  <td>
                    <Link href={`/watchlists/${encodeURIComponent(e.watchlist.id)}`}>{e.watchlist.name}</Link> ({e.ownerAgency.name})
                  </td>
                )}
                <td>
                  <PortTime at={e.validFrom} /> – {e.validUntil ? <PortTime at={e.validUntil} /> : t('wl.entries.openEnded')}
                  {ended && <strong className="error"> {t('wl.entries.ended')}</strong>}
                </td>
                <td>
                  <AccessLine tlp={e.tlp} access={e.access} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function EntryFilter({ onApply }: { onApply(f: WatchlistEntryFilter): void }) {
  const id = useId();
  const [imo, setImo] = useState('');
  const [mmsi, setMmsi] = useState('');
  const [category, setCategory] = useState<ThreatCategory | ''>('');
  const [minRisk, setMinRisk] = useState<RiskLevel | ''>('');
  const [jurisdiction, setJurisdiction] = useState('');
  const [tlp, setTlp] = useState<Tlp | ''>('');
  const [activeOnly, setActiveOnly] = useState(true);
  const [invalid, setInvalid] = useState<string>();

  function apply(e: FormEvent) {
    e.preventDefault();
    const imoValue = imo.trim() ? imoDigits(imo) : undefined;
    const mmsiValue = mmsi.trim() ? mmsiDigits(mmsi) : undefined;
    if (imo.trim() && !imoValue) return setInvalid(t('wl.filter.badImo'));
    if (mmsi.trim() && !mmsiValue) return setInvalid(t('wl.filter.badMmsi'));
    setInvalid(undefined);
    onApply({
      activeOnly,
      ...(imoValue ? { imo: imoValue } : {}),
      ...(mmsiValue ? { mmsi: mmsiValue } : {}),
      ...(category ? { categories: [category] } : {}),
      ...(minRisk ? { minRiskLevel: minRisk } : {}),
      ...(jurisdiction.trim() ? { jurisdiction: jurisdiction.trim().toUpperCase() } : {}),
      ...(tlp ? { tlp: [tlp] } : {}),
    });
  }

  return (
    <form className="wl-filter" onSubmit={apply} aria-label={t('wl.filter.label')}>
      <div className="field">
        <label htmlFor={`${id}-imo`}>{t('common.field.imo')}</label>
        <input id={`${id}-imo`} value={imo} maxLength={12} inputMode="numeric" onChange={(e) => setImo(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-mmsi`}>{t('common.field.mmsi')}</label>
        <input id={`${id}-mmsi`} value={mmsi} maxLength={11} inputMode="numeric" onChange={(e) => setMmsi(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-cat`}>{t('common.field.category')}</label>
        <select id={`${id}-cat`} value={category} onChange={(e) => setCategory(e.target.value as ThreatCategory | '')}>
          <option value="">{t('wl.filter.any')}</option>
          {THREAT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryText(c)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-risk`}>{t('wl.filter.minRisk')}</label>
        <select id={`${id}-risk`} value={minRisk} onChange={(e) => setMinRisk(e.target.value as RiskLevel | '')}>
          <option value="">{t('wl.filter.any')}</option>
          {RISK_LEVELS.map((r) => (
            <option key={r} value={r}>
              {riskText(r)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-jur`}>{t('wl.field.jurisdiction')}</label>
        <input id={`${id}-jur`} value={jurisdiction} maxLength={2} onChange={(e) => setJurisdiction(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-tlp`}>{t('common.field.tlp')}</label>
        <select id={`${id}-tlp`} value={tlp} onChange={(e) => setTlp(e.target.value as Tlp | '')}>
          <option value="">{t('wl.filter.any')}</option>
          {TLP_LEVELS.map((l) => (
            <option key={l} value={l}>
              {tlpText(l)}
            </option>
          ))}
        </select>
      </div>
      <label className="check">
        <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} /> {t('wl.filter.activeOnly')}
      </label>
      <button type="submit">{t('wl.filter.apply')}</button>
      {invalid && (
        <p role="alert" className="error">
          {invalid}
        </p>
      )}
    </form>
  );
}
