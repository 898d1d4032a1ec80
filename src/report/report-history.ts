/** A report's history and its possible duplicates, batched per request. */
import DataLoader from 'dataloader';
import { agencyByCode } from '../agency/agency.service';
import type { ReportStatus } from '../graphql/enums';
import { defineLoader, type RequestContext } from '../request/context';
import { ReportTransition } from './report-transition.type';
import { SuspiciousActivityReport } from './report.entity';

/** Reports of the same vessel and category observed within this many hours of each other. */
export const DUPLICATE_WINDOW_HOURS = 24;

interface TransitionRow {
  report_id: string;
  from_status: ReportStatus | null;
  to_status: ReportStatus;
  note: string | null;
  actor: string;
  actor_agency: string;
  at: Date;
}

const historyLoader = defineLoader(
  (ctx) =>
    new DataLoader<SuspiciousActivityReport, ReportTransition[], string>(
      async (reports) => {
        const rows: TransitionRow[] = await ctx.db.query(
          `SELECT report_id, from_status, to_status, note, actor, actor_agency, at
         FROM report_transitions WHERE report_id = ANY($1) ORDER BY report_id, id`,
          [reports.map((r) => r.id)],
        );
        return reports.map((report) =>
          rows
            .filter((row) => row.report_id === report.id)
            .map((row) =>
              Object.assign(new ReportTransition(), {
                from: row.from_status,
                status: row.to_status,
                at: row.at,
                agency: agencyByCode(ctx.policy, row.actor_agency),
                actor: row.actor,
                note: row.note,
                report,
                actorAgency: row.actor_agency,
              }),
            ),
        );
      },
      { cacheKeyFn: (r) => r.id },
    ),
);

// Other reports the caller may see (the same SQL row filter as every list) of the same vessel,
// same category, observed within the window. A vessel matches by linked vessel, IMO or MMSI;
// by name only when one of the two reports has no identifier to compare.
const duplicatesLoader = defineLoader(
  (ctx) =>
    new DataLoader<SuspiciousActivityReport, SuspiciousActivityReport[], string>(
      async (reports) => {
        const filter = ctx.access.filter('SuspiciousActivityReport', 'd');
        const { entities, raw } = await ctx.db
          .getRepository(SuspiciousActivityReport)
          .createQueryBuilder('d')
          .innerJoin(
            SuspiciousActivityReport,
            's',
            `s.id = ANY(:dup_ids) AND s.id <> d.id AND s.category = d.category
        AND d.observed_at BETWEEN s.observed_at - make_interval(hours => :dup_hours) AND s.observed_at + make_interval(hours => :dup_hours)
        AND (s.vessel_id = d.vessel_id OR s.imo = d.imo OR s.mmsi = d.mmsi
             OR ((s.imo IS NULL OR d.imo IS NULL) AND (s.mmsi IS NULL OR d.mmsi IS NULL)
                 AND upper(s.vessel_name) = upper(d.vessel_name)))`,
            { dup_ids: reports.map((r) => r.id), dup_hours: DUPLICATE_WINDOW_HOURS },
          )
          .where(filter.sql, filter.params)
          .addSelect('s.id', 'dup_source')
          .orderBy('d.observed_at', 'ASC')
          .addOrderBy('d.id', 'ASC')
          .getRawAndEntities();
        const byId = new Map(entities.map((e) => [e.id, e]));
        const pairs = (raw as { dup_source: string; d_id: string }[]).map((row) => [row.dup_source, row.d_id] as const);
        return reports.map((report) => {
          const ids = [...new Set(pairs.filter(([src]) => src === report.id).map(([, dup]) => dup))];
          return ids.map((dupId) => byId.get(dupId)!).filter(Boolean);
        });
      },
      { cacheKeyFn: (r) => r.id },
    ),
);

export const reportHistory = (ctx: RequestContext, report: SuspiciousActivityReport) => ctx.loaders.get(historyLoader).load(report);
export const possibleDuplicates = (ctx: RequestContext, report: SuspiciousActivityReport) => ctx.loaders.get(duplicatesLoader).load(report);
