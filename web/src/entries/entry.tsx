/**
 * A watchlist entry with every field the caller may see. Sensitive fields (source, notes) go
 * through FieldValue, so a partner the agreement does not release them to sees "withheld" and why;
 * the owner's bookkeeping (false positives, history) is shown to the owner only. An analyst reports
 * from here what a hit on this entry turned out to be.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { Link } from 'wouter';
import { AccessLine, FieldValue } from '../access/access';
import type { WatchlistEntryDetailQuery } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { hasRole, useSession } from '../session/session';
import { EditEntry } from '../watchlists/entry-form';
import { PortTime } from '../time/port-time';
import { portLabel } from '../time/ports';
import { SightingActions } from '../screening/sighting-form';
import { WatchlistEntryDocument } from './operations';
import './entry.css';
import { categoryText, riskText } from '../i18n/vocabulary';

type Node = NonNullable<WatchlistEntryDetailQuery['node']>;
type Entry = Extract<Node, { vesselAsGiven: unknown }>;

const isEntry = (n: WatchlistEntryDetailQuery['node']): n is Entry => !!n && 'vesselAsGiven' in n;

export function EntryDetail({ id }: { id: string }) {
  const { api } = useSession();
  const entryId = decodeURIComponent(id);
  const [entry, setEntry] = useState<Entry | null>();
  const [failure, setFailure] = useState<string>();

  const load = useCallback(async () => {
    try {
      const data = await api.must(WatchlistEntryDocument, { id: entryId });
      setEntry(isEntry(data.node) ? data.node : null);
      setFailure(undefined);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
  }, [api, entryId]);

  useEffect(() => {
    void load();
  }, [load]);

  if (failure)
    return (
      <>
        <h1>{t('entry.section.entry')}</h1>
        <p role="alert" className="error">
          {t('entry.failed', { reason: failure })}
        </p>
        <BackLink />
      </>
    );
  if (entry === undefined) return <p role="status">{t('entry.loading')}</p>;
  if (entry === null)
    return (
      <>
        <h1>{t('entry.section.entry')}</h1>
        <p role="alert" className="error">
          {t('entry.notFound')}
        </p>
        <BackLink />
      </>
    );
  return <EntryView entry={entry} onChanged={() => void load()} />;
}

function BackLink() {
  return (
    <p>
      <Link href="/screening">{t('entry.back')}</Link>
    </p>
  );
}

function EntryView({ entry, onChanged }: { entry: Entry; onChanged(): void }) {
  const id = useId();
  const { principal } = useSession();
  const owner = entry.access.basis === 'OWNER';
  const v = entry.vesselAsGiven;
  const now = Date.now();
  const inForce = new Date(entry.validFrom).getTime() <= now && (!entry.validUntil || new Date(entry.validUntil).getTime() > now);
  const sightings = [...entry.sightings].sort((a, b) => b.observedAt.localeCompare(a.observedAt));
  const label = t('screening.vessel.label', { name: v.name, imo: v.imo });

  return (
    <article className="entry-detail">
      <BackLink />
      <h1>{t('entry.title', { vessel: label })}</h1>
      <p>
        <AccessLine tlp={entry.tlp} access={entry.access} />
      </p>

      <section className="panel" aria-labelledby={`${id}-entry`}>
        <h2 id={`${id}-entry`}>{t('entry.section.entry')}</h2>
        <dl className="record">
          <dt>{t('common.field.category')}</dt>
          <dd>{categoryText(entry.category)}</dd>
          <dt>{t('screening.riskLevel')}</dt>
          <dd className={`severity severity-${entry.riskLevel.toLowerCase()}`}>{riskText(entry.riskLevel)}</dd>
          <dt>{t('entry.field.reason')}</dt>
          <dd>
            <FieldValue access={entry.access} field="reason" value={entry.reason} />
          </dd>
          <dt>{t('entry.field.source')}</dt>
          <dd>
            <FieldValue access={entry.access} field="source" value={entry.source} />
          </dd>
          <dt>{t('entry.field.notes')}</dt>
          <dd className="multiline">
            <FieldValue access={entry.access} field="notes" value={entry.notes} />
          </dd>
          <dt>{t('entry.field.watchlist')}</dt>
          <dd>
            {entry.watchlist.name} <AccessLine tlp={entry.watchlist.tlp} access={entry.watchlist.access} />
          </dd>
          <dt>{t('common.field.owner')}</dt>
          <dd>{entry.ownerAgency.name}</dd>
          <dt>{t('entry.field.jurisdiction')}</dt>
          <dd>{entry.jurisdiction}</dd>
          <dt>{t('entry.field.recipients')}</dt>
          <dd>
            <FieldValue access={entry.access} field="recipients" value={entry.recipients.join(', ')} />
          </dd>
          <dt>{t('entry.field.validFrom')}</dt>
          <dd>
            <PortTime at={entry.validFrom} />{' '}
            <strong className={inForce ? 'ok' : 'error'}>({inForce ? t('entry.inForce') : t('entry.notInForce')})</strong>
          </dd>
          <dt>{t('entry.field.validUntil')}</dt>
          <dd>{entry.validUntil ? <PortTime at={entry.validUntil} /> : t('entry.field.openEnded')}</dd>
          <dt>{t('entry.field.created')}</dt>
          <dd>
            <PortTime at={entry.createdAt} />
          </dd>
          <dt>{t('entry.field.updated')}</dt>
          <dd>
            <PortTime at={entry.updatedAt} />
          </dd>
          {owner && (
            <>
              <dt>{t('entry.field.falsePositives')}</dt>
              <dd>{entry.falsePositiveCount ?? t('common.none')}</dd>
            </>
          )}
        </dl>
      </section>

      {owner && hasRole(principal, 'analyst') && <EditEntry entry={entry} onChanged={onChanged} />}

      <div className="entry-vessels">
        <section className="panel" aria-labelledby={`${id}-given`}>
          <h2 id={`${id}-given`}>{t('entry.section.vesselAsGiven')}</h2>
          <VesselRecord vessel={entry.vesselAsGiven} />
        </section>
        <section className="panel" aria-labelledby={`${id}-vessel`}>
          <h2 id={`${id}-vessel`}>{t('entry.section.vessel')}</h2>
          <VesselRecord vessel={entry.vessel} />
        </section>
      </div>

      <SightingsSection id={`${id}-sightings`} entry={entry} sightings={sightings} label={label} onChanged={onChanged} />

      {owner && entry.history && (
        <section className="panel" aria-labelledby={`${id}-history`}>
          <h2 id={`${id}-history`}>{t('entry.section.history')}</h2>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('entry.history.caption')}>
            <table>
              <caption className="sr-only">{t('entry.history.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('entry.history.version')}</th>
                  <th scope="col">{t('entry.history.operation')}</th>
                  <th scope="col">{t('entry.history.when')}</th>
                  <th scope="col">{t('entry.history.by')}</th>
                  <th scope="col">{t('entry.history.changes')}</th>
                </tr>
              </thead>
              <tbody>
                {entry.history.map((h) => (
                  <tr key={h.version}>
                    <td>{h.version}</td>
                    <td>{h.operation}</td>
                    <td>
                      <PortTime at={h.changedAt} />
                    </td>
                    <td>
                      {h.changedBy}
                      {h.changedByAgency && <> ({h.changedByAgency.name})</>}
                    </td>
                    <td>{h.changes.map((c) => c.field).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </article>
  );
}

function VesselRecord({ vessel }: { vessel: Entry['vessel'] }) {
  const none = t('common.none');
  return (
    <dl className="record">
      <dt>{t('common.field.imo')}</dt>
      <dd>{vessel.imo}</dd>
      <dt>{t('common.field.mmsi')}</dt>
      <dd>{vessel.mmsi ?? none}</dd>
      <dt>{t('common.field.name')}</dt>
      <dd>{vessel.name ?? none}</dd>
      <dt>{t('common.field.flag')}</dt>
      <dd>{vessel.flag ?? none}</dd>
      <dt>{t('entry.field.callSign')}</dt>
      <dd>{vessel.callSign ?? none}</dd>
      <dt>{t('entry.field.vesselType')}</dt>
      <dd>{vessel.vesselType ?? none}</dd>
      <dt>{t('entry.field.formerNames')}</dt>
      <dd>{vessel.formerNames.length > 0 ? vessel.formerNames.join(', ') : none}</dd>
    </dl>
  );
}

function SightingsSection(props: { id: string; entry: Entry; sightings: Entry['sightings']; label: string; onChanged(): void }) {
  return (
    <section className="panel" aria-labelledby={props.id}>
      <h2 id={props.id}>{t('entry.section.sightings')}</h2>
      <SightingActions entryId={props.entry.id} vesselLabel={props.label} onReported={props.onChanged} />
      {props.sightings.length === 0 ? (
        <p>{t('entry.sightings.none')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('entry.sightings.caption')}>
          <table className="sightings">
            <caption className="sr-only">{t('entry.sightings.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('entry.sightings.when')}</th>
                <th scope="col">{t('entry.sightings.where')}</th>
                <th scope="col">{t('entry.sightings.outcome')}</th>
                <th scope="col">{t('entry.sightings.note')}</th>
                <th scope="col">{t('entry.sightings.by')}</th>
              </tr>
            </thead>
            <tbody>
              {props.sightings.map((s) => (
                <tr key={s.id}>
                  <td>
                    <PortTime at={s.observedAt} port={s.port} />
                  </td>
                  <td>{s.port ? portLabel(s.port) : t('sighting.atSea')}</td>
                  <td>{t(`sighting.outcome.${s.outcome}` as MessageKey)}</td>
                  <td>{s.note ?? t('common.none')}</td>
                  <td>{s.reportedBy.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
