/**
 * Escalating a report under review to an alert: the report's vessel, port and category filled in
 * (the port and category are the report's and cannot change), the rest written by the analyst.
 * The alert must never carry the reporter's identity; the hub decides what counts
 * (src/report/reporter-identity.ts). The form asks it early: when the analyst leaves a text field,
 * `escalationTextCheck` answers which fields escalation would refuse, and the form warns at them.
 * Should the escalation still be refused, the form keeps everything typed, marks the field the hub
 * names and moves the focus to it; nothing was published meanwhile.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiFailure } from '../api/client';
import type { RiskLevel, Tlp, TriageReportQuery } from '../gql/graphql';
import { t } from '../i18n';
import { categoryText, riskText, RISK_LEVELS } from '../i18n/vocabulary';
import { useSession } from '../session/session';
import { portLabel } from '../time/ports';
import { newIdempotencyKey } from '../reports/vessel-ids';
import { TLP_LEVELS, tlpText } from '../watchlists/tlp';
import { EscalateReportDocument, EscalationTextCheckDocument } from './operations';

type Report = NonNullable<TriageReportQuery['report']>;

/** The alert's free-text fields, as the hub names them in a refusal (`input.title` …). */
type TextField = 'title' | 'description' | 'intelligenceSummary';
const TEXT_FIELDS: TextField[] = ['title', 'description', 'intelligenceSummary'];

export function EscalationForm({ report, onEscalated }: { report: Report; onEscalated(alert: { id: string; title: string }): void }) {
  const { api } = useSession();
  const id = useId();
  const [key] = useState(newIdempotencyKey);
  const [vessel, setVessel] = useState({
    imo: report.imo ?? report.vessel?.imo ?? '',
    mmsi: report.mmsi ?? report.vessel?.mmsi ?? '',
    name: report.vesselName ?? report.vessel?.name ?? '',
    flag: report.vessel?.flag ?? '',
  });
  const [severity, setSeverity] = useState<RiskLevel>('HIGH');
  const [tlp, setTlp] = useState<Tlp>('AMBER');
  const [text, setText] = useState<Record<TextField, string>>({
    title: '',
    description: '',
    intelligenceSummary: '',
  });
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string }>();
  const [warnings, setWarnings] = useState<Partial<Record<TextField, string>>>({});
  const inputs = useRef<Partial<Record<string, HTMLInputElement | HTMLTextAreaElement | null>>>({});

  /** The hub's early check of the texts as they stand; a failed check only means no early warning. */
  async function check(texts: Record<TextField, string>) {
    try {
      const data = await api.must(EscalationTextCheckDocument, {
        id: report.id,
        title: texts.title.trim() || null,
        description: texts.description.trim() || null,
        intelligenceSummary: texts.intelligenceSummary.trim() || null,
      });
      setWarnings(Object.fromEntries(data.escalationTextCheck.map((p) => [p.field.replace(/^input\./, ''), p.message])));
    } catch {
      setWarnings({});
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const input = {
        vessel: {
          imo: vessel.imo.trim(),
          name: vessel.name.trim(),
          mmsi: vessel.mmsi.trim() || null,
          flag: vessel.flag.trim().toUpperCase() || null,
        },
        category: report.category,
        port: report.port,
        severity,
        tlp,
        title: text.title.trim(),
        description: text.description.trim(),
        intelligenceSummary: text.intelligenceSummary.trim() || null,
      };
      const data = await api.must(EscalateReportDocument, { id: report.id, input, note: note.trim() || null, idempotencyKey: key });
      onEscalated(data.escalateReport);
    } catch (err) {
      const field = err instanceof ApiFailure ? err.field?.replace(/^input\./, '') : undefined;
      setError({ message: err instanceof Error ? err.message : String(err), field });
      if (field) inputs.current[field]?.focus();
    } finally {
      setBusy(false);
    }
  }

  const invalid = (field: string) => error?.field === field;
  const describedBy = (field: string, help?: string) =>
    [help, invalid(field) ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const textLabel: Record<TextField, 'triage.escalate.title' | 'triage.escalate.description' | 'triage.escalate.summary'> = {
    title: 'triage.escalate.title',
    description: 'triage.escalate.description',
    intelligenceSummary: 'triage.escalate.summary',
  };

  return (
    <form className="panel triage-escalate" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-h`} noValidate={false}>
      <h2 id={`${id}-h`}>{t('triage.escalate.heading')}</h2>
      <p className="help" id={`${id}-identity`}>
        {t('triage.escalate.identityHelp')}
      </p>
      <dl className="record">
        <dt>{t('common.field.port')}</dt>
        <dd>{portLabel(report.port)}</dd>
        <dt>{t('common.field.category')}</dt>
        <dd>{categoryText(report.category)}</dd>
      </dl>
      <fieldset className="field triage-vessel">
        <legend>{t('triage.escalate.vessel')}</legend>
        {(['imo', 'mmsi', 'name', 'flag'] as const).map((f) => (
          <div className={`field${invalid(`vessel.${f}`) ? ' invalid' : ''}`} key={f}>
            <label htmlFor={`${id}-v-${f}`}>{t(`triage.escalate.vessel.${f}`)}</label>
            <input
              id={`${id}-v-${f}`}
              ref={(el) => {
                inputs.current[`vessel.${f}`] = el;
              }}
              value={vessel[f]}
              required={f === 'imo' || f === 'name'}
              maxLength={f === 'name' ? 200 : 12}
              aria-invalid={invalid(`vessel.${f}`) || undefined}
              aria-describedby={describedBy(`vessel.${f}`)}
              onChange={(e) => setVessel({ ...vessel, [f]: e.target.value })}
            />
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-severity`}>{t('common.field.severity')}</label>
        <select id={`${id}-severity`} value={severity} onChange={(e) => setSeverity(e.target.value as RiskLevel)}>
          {RISK_LEVELS.map((r) => (
            <option key={r} value={r}>
              {riskText(r)}
            </option>
          ))}
        </select>
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
      {TEXT_FIELDS.map((f) => {
        const Control = f === 'title' ? 'input' : 'textarea';
        return (
          <div className={`field${invalid(f) ? ' invalid' : ''}`} key={f}>
            <label htmlFor={`${id}-${f}`}>{t(textLabel[f])}</label>
            <Control
              id={`${id}-${f}`}
              ref={(el: HTMLInputElement | HTMLTextAreaElement | null) => {
                inputs.current[f] = el;
              }}
              value={text[f]}
              required={f !== 'intelligenceSummary'}
              maxLength={f === 'title' ? 200 : 4000}
              aria-invalid={invalid(f) || undefined}
              aria-describedby={describedBy(f, `${id}-identity`)}
              onChange={(e: { target: { value: string } }) => setText({ ...text, [f]: e.target.value })}
              onBlur={() => void check(text)}
            />
            {warnings[f] && (
              <p id={`${id}-${f}-warning`} role="alert" className="error">
                {t('triage.escalate.warning', { reason: warnings[f] })}
              </p>
            )}
          </div>
        );
      })}
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('triage.escalate.note')}</label>
        <textarea id={`${id}-note`} required maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        {t('triage.escalate.submit')}
      </button>
      {error && (
        <div role="alert" id={`${id}-error`} className="error">
          <p>
            <strong>{t('triage.escalate.refused')}</strong> {error.message}
          </p>
          <p>{t('triage.escalate.kept')}</p>
        </div>
      )}
    </form>
  );
}
