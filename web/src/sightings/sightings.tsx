/**
 * What partners reported on the agency's own entries: confirmed sightings and false positives,
 * newest first (`sightings(filter: { reportedByMe: false })`). Each links to its entry, whose page
 * shows the entry's history and every sighting of it.
 */
import { useCallback, useId, useState } from 'react';
import { Link } from 'wouter';
import { graphql } from '../gql';
import type { SightingOutcome } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { useSession } from '../session/session';
import { PortTime } from '../time/port-time';
import { portLabel } from '../time/ports';
import { pageOf, usePaged } from '../watchlists/paged';
import { More } from '../watchlists/watchlists';

const OwnEntrySightingsDocument = graphql(`
  query OwnEntrySightings($first: Int, $after: String, $filter: SightingFilter) {
    sightings(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          port
          observedAt
          createdAt
          outcome
          note
          reportedBy {
            code
            name
          }
          entry {
            id
            category
            vesselAsGiven {
              imo
              name
            }
            watchlist {
              id
              name
            }
          }
        }
      }
    }
  }
`);

const PAGE = 50;
const OUTCOMES: SightingOutcome[] = ['CONFIRMED', 'FALSE_POSITIVE'];

export function Sightings() {
  const { api } = useSession();
  const id = useId();
  const [outcome, setOutcome] = useState<SightingOutcome | ''>('');
  const sightings = usePaged(
    useCallback(
      async (after: string | null) => {
        const filter = { reportedByMe: false, ...(outcome ? { outcome } : {}) };
        return pageOf((await api.must(OwnEntrySightingsDocument, { first: PAGE, after, filter })).sightings);
      },
      [api, outcome],
    ),
  );
  return (
    <section>
      <h1>{t('sightings.title')}</h1>
      <p className="help">{t('sightings.intro')}</p>
      <div className="field sightings-filter">
        <label htmlFor={`${id}-outcome`}>{t('sightings.filter')}</label>
        <select id={`${id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.target.value as SightingOutcome | '')}>
          <option value="">{t('sightings.any')}</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`sighting.outcome.${o}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      {sightings.error && (
        <div role="alert">
          <p className="error">{t('common.error', { reason: sightings.error })}</p>
          <button type="button" className="secondary" onClick={sightings.reload}>
            {t('common.retry')}
          </button>
        </div>
      )}
      <p role="status" className="help">
        {sightings.rows === undefined
          ? sightings.loading
            ? t('common.loading')
            : ''
          : sightings.rows.length === 0
            ? t('sightings.none')
            : t('sightings.count', { shown: sightings.rows.length, total: sightings.total })}
      </p>
      {sightings.rows && sightings.rows.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('sightings.caption')}>
          <table>
            <caption className="sr-only">{t('sightings.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sightings.entry')}</th>
                <th scope="col">{t('entry.sightings.outcome')}</th>
                <th scope="col">{t('entry.sightings.when')}</th>
                <th scope="col">{t('entry.sightings.where')}</th>
                <th scope="col">{t('entry.sightings.by')}</th>
                <th scope="col">{t('entry.sightings.note')}</th>
              </tr>
            </thead>
            <tbody>
              {sightings.rows.map((s) => (
                <tr key={s.id} data-sighting={s.entry.vesselAsGiven.imo}>
                  <th scope="row">
                    <Link href={`/entries/${encodeURIComponent(s.entry.id)}`}>
                      {t('screening.vessel.label', { name: s.entry.vesselAsGiven.name, imo: s.entry.vesselAsGiven.imo })}
                    </Link>
                    <div className="help">{s.entry.watchlist.name}</div>
                  </th>
                  <td>
                    <strong className={s.outcome === 'FALSE_POSITIVE' ? 'error' : 'ok'}>
                      {t(`sighting.outcome.${s.outcome}` as MessageKey)}
                    </strong>
                  </td>
                  <td>
                    <PortTime at={s.observedAt} port={s.port} />
                  </td>
                  <td>{s.port ? portLabel(s.port) : t('sighting.atSea')}</td>
                  <td>{s.reportedBy.name}</td>
                  <td>{s.note ?? t('common.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <More paged={sightings} />
    </section>
  );
}
