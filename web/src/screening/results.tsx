/**
 * Screening results: vessels with hits first (best hit first), each hit with the entry's vessel,
 * category, risk level, how it matched, its access line and owner, and the actions on it; the
 * identity warnings of every vessel in plain words; a "hits only" filter and a CSV download.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import Papa from 'papaparse';
import { Link } from 'wouter';
import { AccessLine } from '../access/access';
import type { ScreeningResultFieldsFragment } from '../gql/graphql';
import { locale, t, type MessageKey } from '../i18n';
import { SightingActions } from './sighting-form';
import { categoryText, riskText } from '../i18n/vocabulary';

export interface ScreenedVessel {
  /** Position in the list as given (0-based). */
  index: number;
  /** The line of the uploaded list, when there was one. */
  line?: number;
  input: { imo?: string; mmsi?: string; name?: string; flag?: string };
  result?: ScreeningResultFieldsFragment;
  error?: string;
}

type Hit = ScreeningResultFieldsFragment['hits'][number];

/** Vessels shown at first, and added by each "show more": a long list stays quick to read and to use. */
const PAGE = 100;

const nf = (n: number) => new Intl.NumberFormat(locale).format(n);
const score = (s: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(s);

/** Hits by score, highest first (the hub sends them so; kept whatever it sends). */
const rankedHits = (v: ScreenedVessel): Hit[] => [...(v.result?.hits ?? [])].sort((a, b) => b.score - a.score);
const topScore = (v: ScreenedVessel) => rankedHits(v)[0]?.score ?? -1;

/** Vessels with hits first, best top hit first; then the rest in the order given. */
function rankVessels(vessels: readonly ScreenedVessel[]): ScreenedVessel[] {
  return [...vessels].sort((a, b) => {
    const ha = rankedHits(a).length > 0;
    const hb = rankedHits(b).length > 0;
    if (ha !== hb) return ha ? -1 : 1;
    if (ha && topScore(a) !== topScore(b)) return topScore(b) - topScore(a);
    return a.index - b.index;
  });
}

function vesselLabel(v: ScreenedVessel): string {
  const parts = [
    v.input.name,
    v.input.imo && t('screening.vessel.imo', { imo: v.input.imo }),
    v.input.mmsi && t('screening.vessel.mmsi', { mmsi: v.input.mmsi }),
  ].filter(Boolean);
  return parts.join(t('screening.vessel.separator'));
}

/** One CSV row per hit, and one with empty hit columns for a vessel without hits. */
function resultsCsv(vessels: readonly ScreenedVessel[]): string {
  const rows: Record<string, string | number>[] = [];
  for (const v of rankVessels(vessels)) {
    const base = {
      line: v.line ?? v.index + 1,
      imo: v.input.imo ?? '',
      mmsi: v.input.mmsi ?? '',
      name: v.input.name ?? '',
      flag: v.input.flag ?? '',
      warnings: (v.result?.warnings ?? []).map((w) => w.code).join(' '),
      error: v.error ?? '',
    };
    const empty = {
      hit_rank: '',
      score: '',
      matched_on: '',
      matched_name: '',
      entry_id: '',
      entry_imo: '',
      entry_name: '',
      category: '',
      risk_level: '',
      tlp: '',
      basis: '',
      agreement: '',
      owner: '',
    };
    const hits = rankedHits(v);
    if (hits.length === 0) rows.push({ ...base, ...empty });
    hits.forEach((h, i) =>
      rows.push({
        ...base,
        hit_rank: i + 1,
        score: h.score.toFixed(3),
        matched_on: h.matchedOn,
        matched_name: h.matchedName ?? '',
        entry_id: h.entry.id,
        entry_imo: h.entry.vesselAsGiven.imo,
        entry_name: h.entry.vesselAsGiven.name,
        category: h.entry.category,
        risk_level: h.entry.riskLevel,
        tlp: h.entry.tlp,
        basis: h.entry.access.basis,
        agreement: h.entry.access.agreementId ?? '',
        owner: h.entry.ownerAgency.code,
      }),
    );
  }
  // A cell starting with = + - @ is not run as a formula by a spreadsheet.
  return Papa.unparse(rows, { escapeFormulae: true, newline: '\r\n' });
}

function Warnings({ warnings }: { warnings: ScreeningResultFieldsFragment['warnings'] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="warnings" aria-label={t('screening.warnings')}>
      {warnings.map((w) => (
        <li key={w.code + w.message}>
          <strong>{t(`screening.warning.${w.code}` as MessageKey)}</strong> <span className="warning-detail">{w.message}</span>
        </li>
      ))}
    </ul>
  );
}

function HitItem({ hit, rank, vessel }: { hit: Hit; rank: number; vessel: ScreenedVessel }) {
  const e = hit.entry;
  const label = t('screening.vessel.label', { name: e.vesselAsGiven.name, imo: e.vesselAsGiven.imo });
  return (
    <li className="hit" data-score={hit.score}>
      <div className="hit-head">
        <span className="hit-score">{t('screening.hit.score', { rank, score: score(hit.score) })}</span>
        <span>
          {t(`screening.matchedOn.${hit.matchedOn}` as MessageKey)}
          {hit.matchedName && <> {t('screening.hit.matchedName', { name: hit.matchedName })}</>}
        </span>
        <AccessLine tlp={e.tlp} access={e.access} />
      </div>
      <dl className="record hit-record">
        <dt>{t('screening.hit.entryVessel')}</dt>
        <dd>
          {[
            e.vesselAsGiven.name,
            t('screening.vessel.imo', { imo: e.vesselAsGiven.imo }),
            e.vesselAsGiven.mmsi && t('screening.vessel.mmsi', { mmsi: e.vesselAsGiven.mmsi }),
            e.vesselAsGiven.flag,
          ]
            .filter(Boolean)
            .join(t('screening.vessel.separator'))}
        </dd>
        <dt>{t('common.field.category')}</dt>
        <dd>{categoryText(e.category)}</dd>
        <dt>{t('screening.riskLevel')}</dt>
        <dd className={`severity severity-${e.riskLevel.toLowerCase()}`}>{riskText(e.riskLevel)}</dd>
        <dt>{t('common.field.owner')}</dt>
        <dd>{e.ownerAgency.name}</dd>
      </dl>
      <p className="hit-links">
        <Link href={`/entries/${encodeURIComponent(e.id)}`} aria-label={t('screening.hit.openFor', { vessel: label })}>
          {t('screening.hit.open')}
        </Link>
      </p>
      <SightingActions entryId={e.id} vesselLabel={`${label}, ${t('screening.hit.screenedAs', { vessel: vesselLabel(vessel) })}`} />
    </li>
  );
}

function VesselItem({ v }: { v: ScreenedVessel }) {
  const hits = rankedHits(v);
  const more = (v.result?.totalHits ?? 0) - hits.length;
  return (
    <li className={`screened ${hits.length > 0 ? 'with-hits' : 'no-hits'}`}>
      <h3>
        {v.line !== undefined && <span className="line">{t('screening.result.line', { line: v.line })} </span>}
        {vesselLabel(v)}
        {v.input.flag && t('screening.vessel.separator') + t('screening.result.flag', { flag: v.input.flag })}
      </h3>
      {v.result?.vessel && (
        <p className="help">
          {t('screening.result.registry', {
            name: v.result.vessel.name ?? t('common.none'),
            imo: v.result.vessel.imo,
            flag: v.result.vessel.flag ?? t('common.none'),
          })}
        </p>
      )}
      {v.error && <p className="error">{t('screening.result.failed', { reason: v.error })}</p>}
      {v.result && <Warnings warnings={v.result.warnings} />}
      {v.result && hits.length === 0 && <p className="no-hit">{t('screening.result.noHits')}</p>}
      {hits.length > 0 && (
        <ol className="hits" aria-label={t('screening.result.hitsOf', { vessel: vesselLabel(v), count: hits.length })}>
          {hits.map((h, i) => (
            <HitItem key={h.entry.id} hit={h} rank={i + 1} vessel={v} />
          ))}
        </ol>
      )}
      {more > 0 && <p className="help">{t('screening.result.moreHits', { count: more })}</p>}
    </li>
  );
}

export function ScreeningResults({ vessels, complete }: { vessels: readonly ScreenedVessel[]; complete: boolean }) {
  const id = useId();
  const [hitsOnly, setHitsOnly] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const ranked = useMemo(() => rankVessels(vessels), [vessels]);
  const filtered = hitsOnly ? ranked.filter((v) => (v.result?.hits.length ?? 0) > 0) : ranked;
  const shown = filtered.slice(0, limit);
  const withHits = ranked.filter((v) => (v.result?.hits.length ?? 0) > 0).length;
  const hitCount = ranked.reduce((n, v) => n + (v.result?.hits.length ?? 0), 0);
  const warned = ranked.filter((v) => (v.result?.warnings.length ?? 0) > 0).length;
  const failed = ranked.filter((v) => v.error).length;
  const url = useRef<string>(undefined);
  useEffect(() => () => (url.current ? URL.revokeObjectURL(url.current) : undefined), []);

  const download = () => {
    if (url.current) URL.revokeObjectURL(url.current);
    const blob = new Blob(['\uFEFF', resultsCsv(vessels)], { type: 'text/csv;charset=utf-8' });
    url.current = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url.current;
    const now = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    a.download = `screening-${now}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
  };

  return (
    <section className="panel screening-results" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('screening.results.title')}</h2>
      <p>
        {t(vessels.length === 1 ? 'screening.results.summaryOne' : 'screening.results.summary', {
          vessels: nf(vessels.length),
          withHits: nf(withHits),
          hits: nf(hitCount),
          warned: nf(warned),
        })}
        {failed > 0 && <span className="error"> {t('screening.results.failedCount', { count: failed })}</span>}
      </p>
      <div className="results-tools">
        <label className="check">
          <input type="checkbox" checked={hitsOnly} onChange={(e) => setHitsOnly(e.target.checked)} />
          {t('screening.results.hitsOnly')}
        </label>
        <button type="button" className="secondary" onClick={download} disabled={!complete}>
          {t('screening.results.download')}
        </button>
      </div>
      {shown.length === 0 ? (
        <p>{t('screening.results.noneShown')}</p>
      ) : (
        <ol className="screened-list" aria-label={t('screening.results.listLabel')}>
          {shown.map((v) => (
            <VesselItem key={v.index} v={v} />
          ))}
        </ol>
      )}
      {filtered.length > shown.length && (
        <div className="results-more">
          <p>{t('screening.results.showing', { shown: nf(shown.length), total: nf(filtered.length) })}</p>
          <button type="button" className="secondary" onClick={() => setLimit(limit + PAGE)}>
            {t('screening.results.showMore', { count: Math.min(PAGE, filtered.length - shown.length) })}
          </button>
        </div>
      )}
    </section>
  );
}
