/**
 * Triage of one report for the analysts of its jurisdiction: the report beside its possible
 * duplicates, field by field; moving it on (under review, closed) with the note each step needs;
 * and, from under review, escalation to an alert (escalation-form.tsx). What may move where is the
 * hub's rule: the buttons offer the steps it documents and a refusal is shown as it comes.
 */
import { useCallback, useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'wouter';
import { AccessLine, FieldValue } from '../access/access';
import type { ReportStatus, TriageReportFieldsFragment, TriageReportQuery } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { categoryText } from '../i18n/vocabulary';
import { useSession } from '../session/session';
import { RecordStates, useLoadedRecord } from '../ui/loaded-record';
import { PortTime } from '../time/port-time';
import { portLabel } from '../time/ports';
import { StatusText } from '../reports/our-reports';
import { EscalationForm } from './escalation-form';
import { TriageMoveDocument, TriageReportDocument } from './operations';
import './triage.css';

type Report = NonNullable<TriageReportQuery['report']>;
type Fields = TriageReportFieldsFragment;

/** The steps triageReport takes from each status (README, Suspicious-activity reports). */
const NEXT: Record<ReportStatus, ReportStatus[]> = {
  SUBMITTED: ['UNDER_REVIEW', 'CLOSED'],
  UNDER_REVIEW: ['CLOSED'],
  ESCALATED: [],
  CLOSED: [],
};

export function TriageReport({ id }: { id: string }) {
  const { api } = useSession();
  const loaded = useLoadedRecord(useCallback(async () => (await api.must(TriageReportDocument, { id })).report ?? null, [api, id]));
  const back = (
    <p>
      <Link href="/triage">{t('triage.back')}</Link>
    </p>
  );
  if (loaded.error || !loaded.record) return <RecordStates loaded={loaded} back={back} notFound={t('triage.notFound')} />;
  const report = loaded.record;

  return (
    <section className="triage">
      {back}
      <h1>{t('triage.report.title', { reference: report.reference })}</h1>
      <p>
        <StatusText status={report.status} /> <AccessLine tlp={report.tlp} access={report.access} />
      </p>
      <Comparison report={report} duplicates={report.possibleDuplicates} />
      <Actions report={report} onMoved={() => void loaded.reload()} />
      <History report={report} />
    </section>
  );
}

/** Each row a field, each column a report: the report first, then its possible duplicates. */
function Comparison({ report, duplicates }: { report: Fields; duplicates: readonly Fields[] }) {
  const id = useId();
  const columns = [report, ...duplicates];
  const row = (label: MessageKey, value: (r: Fields) => ReactNode, field?: string) => (
    <tr>
      <th scope="row">{t(label)}</th>
      {columns.map((r) => (
        <td key={r.id}>{field ? <FieldValue access={r.access} field={field} value={value(r)} /> : value(r)}</td>
      ))}
    </tr>
  );
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{duplicates.length > 0 ? t('triage.compare.title', { count: duplicates.length }) : t('triage.compare.single')}</h2>
      {duplicates.length > 0 && <p className="help">{t('triage.compare.help')}</p>}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-h`}>
        <table className="triage-compare">
          <caption className="sr-only">{t('triage.compare.caption')}</caption>
          <thead>
            <tr>
              <td />
              {columns.map((r, i) => (
                <th scope="col" key={r.id}>
                  {i === 0 ? (
                    t('triage.compare.this', { reference: r.reference })
                  ) : (
                    <Link href={`/triage/${encodeURIComponent(r.id)}`}>{r.reference}</Link>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {row('common.field.status', (r) => (
              <StatusText status={r.status} />
            ))}
            {row('common.field.port', (r) => portLabel(r.port))}
            {row('common.field.category', (r) => categoryText(r.category))}
            {row('triage.observedAt', (r) => (
              <PortTime at={r.observedAt} port={r.port} />
            ))}
            {row('common.field.imo', (r) => r.imo, 'imo')}
            {row('common.field.mmsi', (r) => r.mmsi, 'mmsi')}
            {row('triage.vesselName', (r) => r.vesselName, 'vesselName')}
            {row(
              'triage.knownVessel',
              (r) => r.vessel && [r.vessel.name, `IMO ${r.vessel.imo}`, r.vessel.flag].filter(Boolean).join(' · '),
              'vessel',
            )}
            {row(
              'triage.description',
              (r) => (
                <span className="multiline">{r.description}</span>
              ),
              'description',
            )}
            {row('triage.actionsTaken', (r) => r.actionsTaken, 'actionsTaken')}
            {row('triage.securityLevel', (r) => r.securityLevel, 'securityLevel')}
            {row('triage.reporterContact', (r) => r.reporterContact, 'reporterContact')}
            {row('triage.submittedBy', (r) => r.submittedBy, 'submittedBy')}
            {row('triage.reportingAgency', (r) => r.ownerAgency.name)}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Actions({ report, onMoved }: { report: Report; onMoved(): void }) {
  const steps = NEXT[report.status];
  const [escalated, setEscalated] = useState<{ id: string; title: string }>();
  if (escalated || report.escalatedAlert) {
    const alert = escalated ?? report.escalatedAlert!;
    return (
      <p role="status" className="ok panel">
        {t('triage.escalated')} <Link href={`/alerts/${encodeURIComponent(alert.id)}`}>{alert.title}</Link>
      </p>
    );
  }
  if (steps.length === 0 && report.status !== 'UNDER_REVIEW') return <p className="notice">{t('triage.final')}</p>;
  return (
    <>
      <MoveForm report={report} steps={steps} onMoved={onMoved} />
      {report.status === 'UNDER_REVIEW' && (
        <EscalationForm
          report={report}
          onEscalated={(a) => {
            setEscalated(a);
            onMoved();
          }}
        />
      )}
    </>
  );
}

/** One step with its note; the note is required for closing (the hub refuses a close without one). */
function MoveForm({ report, steps, onMoved }: { report: Report; steps: ReportStatus[]; onMoved(): void }) {
  const { api } = useSession();
  const id = useId();
  const [status, setStatus] = useState<ReportStatus>(steps[0]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<ReportStatus>();
  const noteRequired = status === 'CLOSED';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.must(TriageMoveDocument, { id: report.id, status, note: note.trim() || null });
      setDone(status);
      setNote('');
      onMoved();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel triage-move" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('triage.move.title')}</h2>
      <fieldset className="field">
        <legend>{t('triage.move.to')}</legend>
        {steps.map((s) => (
          <label key={s} className="check">
            <input type="radio" name={`${id}-status`} value={s} checked={status === s} onChange={() => setStatus(s)} />
            {t(`triage.move.${s}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-note`}>{noteRequired ? t('triage.move.noteRequired') : t('triage.move.note')}</label>
        <textarea id={`${id}-note`} required={noteRequired} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        {t('triage.move.submit')}
      </button>
      {error && (
        <p role="alert" className="error">
          {t('triage.move.failed', { reason: error })}
        </p>
      )}
      {done && !error && (
        <p role="status" className="ok">
          {t('triage.move.done', { status: t(`reports.status.${done}` as MessageKey) })}
        </p>
      )}
    </form>
  );
}

function History({ report }: { report: Report }) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('reports.detail.history')}</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-h`}>
        <table>
          <caption className="sr-only">{t('reports.detail.historyCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.detail.when')}</th>
              <th scope="col">{t('reports.detail.change')}</th>
              <th scope="col">{t('reports.detail.by')}</th>
              <th scope="col">{t('reports.detail.note')}</th>
            </tr>
          </thead>
          <tbody>
            {report.history.map((h, i) => (
              <tr key={i}>
                <td>
                  <PortTime at={h.at} port={report.port} />
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
                <td className="multiline">{h.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
