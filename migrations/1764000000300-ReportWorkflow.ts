import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suspicious-activity report workflow (triage, escalation, abuse limits):
 *
 * - sar_owner_created_idx: the per-agency submission rate limit counts an agency's reports of
 *   the last window;
 * - sar_duplicate_idx, sar_vessel_idx, sar_imo_idx, sar_mmsi_idx: "possible duplicates" look for
 *   reports of the same category and vessel observed close together;
 * - vessel_alerts_report_idx: a report is escalated to at most one alert, whatever races.
 */
export class ReportWorkflow1764000000300 implements MigrationInterface {
  name = 'ReportWorkflow1764000000300';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX sar_owner_created_idx ON suspicious_activity_reports (owner_agency, created_at);
      CREATE INDEX sar_duplicate_idx ON suspicious_activity_reports (category, observed_at);
      CREATE INDEX sar_vessel_idx ON suspicious_activity_reports (vessel_id) WHERE vessel_id IS NOT NULL;
      CREATE INDEX sar_imo_idx ON suspicious_activity_reports (imo) WHERE imo IS NOT NULL;
      CREATE INDEX sar_mmsi_idx ON suspicious_activity_reports (mmsi) WHERE mmsi IS NOT NULL;
      CREATE UNIQUE INDEX vessel_alerts_report_idx ON vessel_alerts (report_id) WHERE report_id IS NOT NULL;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX vessel_alerts_report_idx, sar_mmsi_idx, sar_imo_idx, sar_vessel_idx, sar_duplicate_idx, sar_owner_created_idx;
    `);
  }
}
