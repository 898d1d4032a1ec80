/**
 * One watchlist: what it is, its entries (searchable), and, for analysts of the owning agency,
 * adding an entry by hand and importing a file of them.
 */
import { useCallback, useId, useState } from 'react';
import { Link } from 'wouter';
import { AccessLine } from '../access/access';
import { t } from '../i18n';
import { hasRole, useSession } from '../session/session';
import { RecordStates, useLoadedRecord } from '../ui/loaded-record';
import { PortTime } from '../time/port-time';
import { AddEntry } from './entry-form';
import { ImportPanel } from './import-panel';
import { WatchlistHeadDocument } from './operations';
import { EntrySearch } from './watchlists';
import './watchlists.css';

export function WatchlistPage({ id }: { id: string }) {
  const { api, principal } = useSession();
  const hid = useId();
  const [changes, setChanges] = useState(0);
  const loaded = useLoadedRecord(useCallback(async () => (await api.must(WatchlistHeadDocument, { id })).watchlist ?? null, [api, id]));
  const back = (
    <p>
      <Link href="/watchlists">{t('wl.back')}</Link>
    </p>
  );
  if (loaded.error || !loaded.record) return <RecordStates loaded={loaded} back={back} notFound={t('wl.notFound')} />;
  const list = loaded.record;

  const owner = list.access.basis === 'OWNER' && hasRole(principal, 'analyst');
  const changed = () => setChanges((n) => n + 1);
  return (
    <section className="watchlists">
      {back}
      <h1>{t('wl.list.title', { name: list.name })}</h1>
      <p>
        <AccessLine tlp={list.tlp} access={list.access} />
      </p>
      <div className="panel" aria-labelledby={`${hid}-about`}>
        <h2 id={`${hid}-about`} className="sr-only">
          {t('wl.list.about')}
        </h2>
        <dl className="record">
          <dt>{t('wl.field.description')}</dt>
          <dd>{list.description ?? t('common.none')}</dd>
          <dt>{t('common.field.owner')}</dt>
          <dd>{list.ownerAgency.name}</dd>
          <dt>{t('wl.field.jurisdiction')}</dt>
          <dd>{list.jurisdiction}</dd>
          <dt>{t('wl.field.recipients')}</dt>
          <dd>{list.recipients.length > 0 ? list.recipients.join(', ') : t('common.none')}</dd>
          <dt>{t('wl.field.created')}</dt>
          <dd>
            <PortTime at={list.createdAt} />
          </dd>
        </dl>
      </div>
      {owner && (
        <>
          <ImportPanel watchlistId={list.id} onImported={changed} />
          <AddEntry watchlistId={list.id} onAdded={changed} />
        </>
      )}
      <EntrySearch watchlistId={list.id} refresh={changes} />
    </section>
  );
}
