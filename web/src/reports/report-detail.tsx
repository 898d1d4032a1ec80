/**
 * One report, every field the caller may see. The reporter's identity (reporterContact,
 * submittedBy) is sensitive: the hub gives it to the submitting operator and to the analysts of
 * the report's jurisdiction, and withholds it from an agreement partner unless the agreement
 * releases it; a withheld field says so, with the reason. The status history shows who changed
 * what; the analysts' notes only where the hub gives them.
 */
import { useCallback, type ReactNode } from 'react';
import { Link } from 'wouter';
import { AccessLine, FieldValue } from '../access/access';
import { t, type MessageKey } from '../i18n';
import { hasRole, useSession } from '../session/session';
import { RecordStates, useLoadedRecord } from '../ui/loaded-record';
import { PortTime } from '../time/port-time';
import { portLabel } from '../time/ports';
import { ReportBasics, StatusText } from './our-reports';
import { ReportDetailDocument } from './queries';
import './reports.css';

export function ReportDetail(props: { id: string }) {
  const { id } = props;
  const { api, principal } = useSession();
  // Only analysts of public agencies can hold the jurisdiction right that reads triage notes; others are not asked.
  const withTriage = principal.agency.kind !== 'PRIVATE_OPERATOR' && hasRole(principal, 'analyst');
  const loaded = useLoadedRecord(
    useCallback(async () => (await api.must(ReportDetailDocument, { id, withTriage })).report ?? null, [api, id, withTriage]),
  );
  const back = (
    <p>
      <Link href="/reports">{t('reports.detail.back')}</Link>
    </p>
  );
  if (loaded.error || !loaded.record) return <RecordStates loaded={loaded} back={back} notFound={t('reports.detail.notFound', { id })} />;
  const r = loaded.record;
  const field = (name: string, value: ReactNode) => <FieldValue access={r.access} field={name} value={value} />;

  return (
    <section>
      {back}
      <h1>{t('reports.detail.title', { reference: r.reference })}</h1>
      <p>
        <AccessLine tlp={r.tlp} access={r.access} />
      </p>
      <div className="panel">
        <dl className="record report">
          <ReportBasics report={r} />
          <dt>{t('reports.detail.description')}</dt>
          <dd className="report-description">{field('description', r.description)}</dd>
          <dt>{t('common.field.imo')}</dt>
          <dd>{field('imo', r.imo)}</dd>
          <dt>{t('common.field.mmsi')}</dt>
          <dd>{field('mmsi', r.mmsi)}</dd>
          <dt>{t('reports.detail.vesselName')}</dt>
          <dd>{field('vesselName', r.vesselName)}</dd>
          <dt>{t('reports.detail.knownVessel')}</dt>
          <dd>
            {field('vessel', r.vessel && [r.vessel.name ?? '', `IMO ${r.vessel.imo}`, r.vessel.flag ?? ''].filter(Boolean).join(' · '))}
          </dd>
          <dt>{t('reports.detail.location')}</dt>
          <dd>{field('location', r.location && `${r.location.lat.toFixed(4)}, ${r.location.lon.toFixed(4)}`)}</dd>
          <dt>{t('reports.detail.securityLevel')}</dt>
          <dd>{field('securityLevel', r.securityLevel)}</dd>
          <dt>{t('reports.detail.actionsTaken')}</dt>
          <dd className="report-description">{field('actionsTaken', r.actionsTaken)}</dd>
          <dt>{t('reports.detail.reporterContact')}</dt>
          <dd data-field="reporterContact">{field('reporterContact', r.reporterContact)}</dd>
          <dt>{t('reports.detail.submittedBy')}</dt>
          <dd data-field="submittedBy">{field('submittedBy', r.submittedBy)}</dd>
          <dt>{t('reports.detail.ownerAgency')}</dt>
          <dd>{r.ownerAgency.name}</dd>
          <dt>{t('reports.detail.jurisdiction')}</dt>
          <dd>{r.jurisdiction}</dd>
          <dt>{t('reports.detail.createdAt')}</dt>
          <dd>
            <PortTime at={r.createdAt} port={r.port} />
          </dd>
          <dt>{t('reports.detail.escalatedAlert')}</dt>
          <dd>
            {field(
              'escalatedAlert',
              r.escalatedAlert && <Link href={`/alerts/${encodeURIComponent(r.escalatedAlert.id)}`}>{r.escalatedAlert.title}</Link>,
            )}
          </dd>
        </dl>
      </div>

      <h2>{t('reports.detail.history')}</h2>
      <div className="reports-table-wrap">
        <table className="report-history">
          <caption className="sr-only">{t('reports.detail.historyCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.detail.when')}</th>
              <th scope="col">{t('reports.detail.change')}</th>
              <th scope="col">{t('reports.detail.by')}</th>
              {withTriage && <th scope="col">{t('reports.detail.note')}</th>}
            </tr>
          </thead>
          <tbody>
            {r.history.map((h, i) => (
              <tr key={i}>
                <td>
                  <PortTime at={h.at} port={r.port} />
                </td>
                <td>
                  {h.from
                    ? t('reports.detail.transition', {
                        from: t(`reports.status.${h.from}` as MessageKey),
                        to: t(`reports.status.${h.status}` as MessageKey),
                      })
                    : t('reports.detail.submitted')}
                </td>
                <td>{[h.agency.name, h.actor].filter(Boolean).join(' · ')}</td>
                {withTriage && <td className="report-description">{h.note ?? ''}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {r.possibleDuplicates.length > 0 && (
        <>
          <h2>{t('reports.detail.duplicates')}</h2>
          <p className="help">{t('reports.detail.duplicatesHelp')}</p>
          <ul>
            {r.possibleDuplicates.map((d) => (
              <li key={d.id}>
                <Link href={`/reports/${encodeURIComponent(d.id)}`}>{d.reference}</Link> · {portLabel(d.port)} ·{' '}
                <PortTime at={d.observedAt} port={d.port} /> · <StatusText status={d.status} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
