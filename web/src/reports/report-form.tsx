/**
 * The suspicious-activity report, as a security guard at a terminal gate fills it in: on a phone,
 * with gloves on, in a hurry. One column, big controls, the agency's port preselected, the time
 * of the observation in the port's own time zone.
 *
 * Exactly one report per form: the idempotency key is made when the form opens (and again only
 * after a report was received), so a double tap, or a resend after the connection dropped while
 * the hub was answering, gives the hub the same key and it answers the first report again.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'wouter';
import { ApiFailure } from '../api/client';
import type { SubmitReportInput, ThreatCategory } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { useSession } from '../session/session';
import { fromZonedInput, toZonedInput } from '../time/port-time';
import { portInfo, portLabel } from '../time/ports';
import { SubmitReportDocument } from './queries';
import { THREAT_CATEGORIES } from '../i18n/vocabulary';
import { imoDigits, mmsiDigits, newIdempotencyKey } from './vessel-ids';
import './reports.css';

interface Fields {
  port: string;
  imo: string;
  mmsi: string;
  vesselName: string;
  category: ThreatCategory | '';
  description: string;
  observedAt: string;
  securityLevel: '' | '1' | '2' | '3';
  actionsTaken: string;
  reporterContact: string;
}

type FieldName = keyof Fields;
type FieldErrors = Partial<Record<FieldName, MessageKey>>;

type Failure = { kind: 'network' | 'refused' | 'conflict'; message: string };

const zoneOf = (port: string) => portInfo(port)?.timeZone ?? 'UTC';

function emptyFields(port: string): Fields {
  return {
    port,
    imo: '',
    mmsi: '',
    vesselName: '',
    category: '',
    description: '',
    observedAt: toZonedInput(new Date(), zoneOf(port)),
    securityLevel: '',
    actionsTaken: '',
    reporterContact: '',
  };
}

function check(f: Fields): FieldErrors {
  const errors: FieldErrors = {};
  if (f.imo.trim() && !imoDigits(f.imo)) errors.imo = 'reports.invalid.imo';
  if (f.mmsi.trim() && !mmsiDigits(f.mmsi)) errors.mmsi = 'reports.invalid.mmsi';
  if (!f.category) errors.category = 'reports.invalid.required';
  if (!f.description.trim()) errors.description = 'reports.invalid.required';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(f.observedAt)) errors.observedAt = 'reports.invalid.observedAt';
  else if (fromZonedInput(f.observedAt, zoneOf(f.port)).getTime() > Date.now() + 5 * 60_000) errors.observedAt = 'reports.invalid.future';
  return errors;
}

function toInput(f: Fields): SubmitReportInput {
  const text = (v: string) => (v.trim() ? v.trim() : null);
  return {
    port: f.port,
    category: f.category as ThreatCategory,
    observedAt: fromZonedInput(f.observedAt, zoneOf(f.port)).toISOString(),
    description: f.description.trim(),
    imo: f.imo.trim() ? imoDigits(f.imo) : null,
    mmsi: f.mmsi.trim() ? mmsiDigits(f.mmsi) : null,
    vesselName: text(f.vesselName),
    reporterContact: text(f.reporterContact),
    securityLevel: f.securityLevel ? Number(f.securityLevel) : null,
    actionsTaken: text(f.actionsTaken),
  };
}

export function ReportForm() {
  const { api, principal } = useSession();
  const ports = principal.agency.ports;
  const [fields, setFields] = useState<Fields>(() => emptyFields(ports[0] ?? ''));
  // One key per report: made now, kept through every retry, replaced only after a report was received.
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const sendingNow = useRef(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<Failure>();
  const [received, setReceived] = useState<{ id: string; reference: string }>();
  const receivedHeading = useRef<HTMLHeadingElement>(null);
  const summary = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (received) receivedHeading.current?.focus();
  }, [received]);

  if (ports.length === 0) {
    return (
      <section className="report-form">
        <h1>{t('reports.title')}</h1>
        <p className="notice">{t('reports.form.noPort')}</p>
      </section>
    );
  }

  const set = <K extends FieldName>(name: K, value: Fields[K]) => {
    setFields((f) => ({ ...f, [name]: value }));
    if (errors[name]) setErrors((e) => ({ ...e, [name]: undefined }));
  };

  const changePort = (port: string) =>
    setFields((f) => {
      // The same moment, shown in the new port's zone.
      const observedAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(f.observedAt)
        ? toZonedInput(fromZonedInput(f.observedAt, zoneOf(f.port)), zoneOf(port))
        : f.observedAt;
      return { ...f, port, observedAt };
    });

  async function send(idempotencyKey: string) {
    if (sendingNow.current) return; // a second tap before the button shows it is busy
    const found = check(fields);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFailure(undefined);
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    sendingNow.current = true;
    setSending(true);
    setFailure(undefined);
    try {
      const data = await api.must(SubmitReportDocument, { idempotencyKey, input: toInput(fields) });
      const report = data.submitSuspiciousActivityReport;
      setReceived({ id: report.id, reference: report.reference });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const code = e instanceof ApiFailure ? e.code : undefined;
      setFailure({ kind: code === 'NETWORK' ? 'network' : code === 'CONFLICT' ? 'conflict' : 'refused', message });
    } finally {
      sendingNow.current = false;
      setSending(false);
    }
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(key);
  };

  const sendAsNew = () => {
    const fresh = newIdempotencyKey();
    setKey(fresh);
    void send(fresh);
  };

  const startNew = () => {
    setFields(emptyFields(fields.port));
    setErrors({});
    setFailure(undefined);
    setReceived(undefined);
    setKey(newIdempotencyKey());
  };

  if (received) {
    return (
      <section className="report-form">
        <div className="panel report-received" role="status">
          <h1 ref={receivedHeading} tabIndex={-1}>
            {t('reports.form.received', { reference: received.reference })}
          </h1>
          <p>{t('reports.form.receivedHelp')}</p>
        </div>
        <p>
          <Link href={`/reports/${encodeURIComponent(received.id)}`}>{t('reports.form.view', { reference: received.reference })}</Link>
        </p>
        <button type="button" className="big" onClick={startNew}>
          {t('reports.form.new')}
        </button>
      </section>
    );
  }

  const zone = zoneOf(fields.port);
  const errorCount = Object.values(errors).filter(Boolean).length;

  return (
    <section className="report-form">
      <h1>{t('reports.title')}</h1>
      <p className="help">{t('reports.form.intro')}</p>
      <form onSubmit={submit} noValidate aria-busy={sending}>
        <p ref={summary} tabIndex={-1} role="alert" className={errorCount ? 'error' : 'sr-only'}>
          {errorCount ? t('reports.form.fixFirst', { count: errorCount }) : ''}
        </p>

        {ports.length > 1 ? (
          <Field name="port" label="reports.form.port" errors={errors}>
            {(props) => (
              <select {...props} value={fields.port} onChange={(e) => changePort(e.target.value)}>
                {ports.map((p) => (
                  <option key={p} value={p}>
                    {portLabel(p)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <p className="field fixed-port">
            <span className="label">{t('reports.form.portFixed')}</span>
            <span className="value">{portLabel(fields.port)}</span>
          </p>
        )}

        <Field name="category" label="reports.form.category" errors={errors}>
          {(props) => (
            <select {...props} required value={fields.category} onChange={(e) => set('category', e.target.value as ThreatCategory | '')}>
              <option value="">{t('reports.form.categoryChoose')}</option>
              {THREAT_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`reports.category.${c}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>

        <Field name="description" label="reports.form.description" help="reports.form.descriptionHelp" errors={errors}>
          {(props) => (
            <textarea {...props} required rows={4} value={fields.description} onChange={(e) => set('description', e.target.value)} />
          )}
        </Field>

        <Field
          name="observedAt"
          label="reports.form.observedAt"
          help="reports.form.observedAtHelp"
          helpValues={{ port: portInfo(fields.port)?.name ?? fields.port, zone }}
          errors={errors}
        >
          {(props) => (
            <div className="with-button">
              <input
                {...props}
                type="datetime-local"
                required
                value={fields.observedAt}
                onChange={(e) => set('observedAt', e.target.value)}
              />
              <button type="button" className="secondary" onClick={() => set('observedAt', toZonedInput(new Date(), zone))}>
                {t('reports.form.now')}
              </button>
            </div>
          )}
        </Field>

        <fieldset className="field vessel">
          <legend>{t('reports.form.vessel')}</legend>
          <p className="help">{t('reports.form.vesselHelp')}</p>
          <Field name="imo" label="reports.form.imo" help="reports.form.imoHelp" errors={errors}>
            {(props) => (
              <input {...props} inputMode="numeric" autoComplete="off" value={fields.imo} onChange={(e) => set('imo', e.target.value)} />
            )}
          </Field>
          <Field name="mmsi" label="reports.form.mmsi" help="reports.form.mmsiHelp" errors={errors}>
            {(props) => (
              <input {...props} inputMode="numeric" autoComplete="off" value={fields.mmsi} onChange={(e) => set('mmsi', e.target.value)} />
            )}
          </Field>
          <Field name="vesselName" label="reports.form.vesselName" errors={errors}>
            {(props) => (
              <input {...props} autoComplete="off" value={fields.vesselName} onChange={(e) => set('vesselName', e.target.value)} />
            )}
          </Field>
        </fieldset>

        <fieldset className="field levels">
          <legend>{t('reports.form.securityLevel')}</legend>
          <div className="choices">
            {(['', '1', '2', '3'] as const).map((level) => (
              <label key={level} className="choice">
                <input
                  type="radio"
                  name="securityLevel"
                  value={level}
                  checked={fields.securityLevel === level}
                  onChange={() => set('securityLevel', level)}
                />
                <span>{level ? t('reports.form.securityLevelN', { level }) : t('reports.form.securityLevelUnknown')}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <Field name="actionsTaken" label="reports.form.actionsTaken" errors={errors}>
          {(props) => <textarea {...props} rows={3} value={fields.actionsTaken} onChange={(e) => set('actionsTaken', e.target.value)} />}
        </Field>

        <Field name="reporterContact" label="reports.form.contact" help="reports.form.contactHelp" errors={errors}>
          {(props) => <input {...props} value={fields.reporterContact} onChange={(e) => set('reporterContact', e.target.value)} />}
        </Field>

        {failure && (
          <div role="alert" className="panel failure">
            <p className="error">
              {failure.kind === 'network'
                ? t('reports.form.notSent', { reason: failure.message })
                : t('reports.form.refused', { reason: failure.message })}
            </p>
            {failure.kind === 'conflict' && (
              <button type="button" className="secondary" onClick={sendAsNew} disabled={sending}>
                {t('reports.form.sendAsNew')}
              </button>
            )}
          </div>
        )}

        <button type="submit" className="big" disabled={sending}>
          {sending ? t('reports.form.sending') : failure?.kind === 'network' ? t('reports.form.retry') : t('reports.form.submit')}
        </button>
      </form>
    </section>
  );
}

interface ControlProps {
  id: string;
  name: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled control with its help and its error, tied together for screen readers. */
function Field(props: {
  name: FieldName;
  label: MessageKey;
  help?: MessageKey;
  helpValues?: Record<string, string>;
  errors: FieldErrors;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const error = props.errors[props.name];
  const described = [props.help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{t(props.label)}</label>
      {props.help && (
        <p id={`${id}-help`} className="help">
          {t(props.help, props.helpValues)}
        </p>
      )}
      {props.children({ id, name: props.name, 'aria-invalid': error ? true : undefined, 'aria-describedby': described || undefined })}
      {error && (
        <p id={`${id}-error`} className="error">
          {t(error)}
        </p>
      )}
    </div>
  );
}
