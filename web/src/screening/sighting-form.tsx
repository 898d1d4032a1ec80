/**
 * Reporting what a screening hit turned out to be (`reportSighting`): a confirmed sighting or a
 * false positive, where (one of the agency's ports, or at sea) and when, entered in that port's
 * local time and never in the future. A false positive needs a note. One idempotency key per
 * form, so a retry after a lost answer does not report twice.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiFailure } from '../api/client';
import type { SightingOutcome } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { hasRole, useSession } from '../session/session';
import { PortTime, fromZonedInput, toZonedInput } from '../time/port-time';
import { portInfo, portLabel } from '../time/ports';
import { ReportSightingDocument } from './operations';

const AT_SEA = '';

/** The two ways to tell an entry's owner about a hit, each opening the form with its outcome. */
const OUTCOME_BUTTONS: { outcome: SightingOutcome; label: MessageKey; labelFor: MessageKey }[] = [
  { outcome: 'CONFIRMED', label: 'sighting.report', labelFor: 'sighting.reportFor' },
  { outcome: 'FALSE_POSITIVE', label: 'sighting.falsePositive', labelFor: 'sighting.falsePositiveFor' },
];

function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `sighting-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export interface ReportedSighting {
  id: string;
  port: string | null;
  observedAt: string;
  outcome: SightingOutcome;
}

/** The two actions of a hit; nothing for those who may not report (the hub refuses them too). */
export function SightingActions(props: { entryId: string; vesselLabel: string; onReported?: (s: ReportedSighting) => void }) {
  const { principal } = useSession();
  const [open, setOpen] = useState<SightingOutcome>();
  const [done, setDone] = useState<ReportedSighting>();
  const buttons = useRef<HTMLDivElement>(null);
  const closed = useRef<SightingOutcome>(undefined);
  // When the form closes, focus goes back to the button that opened it, not to the page's start.
  useEffect(() => {
    if (open || !closed.current) return;
    buttons.current?.querySelector<HTMLButtonElement>(`[data-outcome="${closed.current}"]`)?.focus();
    closed.current = undefined;
  }, [open]);
  const close = () => {
    closed.current = open;
    setOpen(undefined);
  };
  if (!hasRole(principal, 'analyst')) return null;
  return (
    <div className="sighting-actions">
      {!open && (
        <div className="sighting-buttons" ref={buttons}>
          {OUTCOME_BUTTONS.map(({ outcome, label, labelFor }) => (
            <button
              key={outcome}
              type="button"
              className="secondary"
              data-outcome={outcome}
              onClick={() => setOpen(outcome)}
              aria-label={t(labelFor, { vessel: props.vesselLabel })}
            >
              {t(label)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <SightingForm
          entryId={props.entryId}
          outcome={open}
          vesselLabel={props.vesselLabel}
          onCancel={close}
          onReported={(s) => {
            close();
            setDone(s);
            props.onReported?.(s);
          }}
        />
      )}
      <p role="status" className="sighting-done">
        {done && (
          <span className="ok">
            {t(done.outcome === 'CONFIRMED' ? 'sighting.doneConfirmed' : 'sighting.doneFalsePositive')}{' '}
            {done.port ? portLabel(done.port) : t('sighting.atSea')}, <PortTime at={done.observedAt} port={done.port} />
          </span>
        )}
      </p>
    </div>
  );
}

function SightingForm(props: {
  entryId: string;
  outcome: SightingOutcome;
  vesselLabel: string;
  onCancel(): void;
  onReported(s: ReportedSighting): void;
}) {
  const { api, principal } = useSession();
  const id = useId();
  const ports = principal.agency.ports;
  const [outcome, setOutcome] = useState<SightingOutcome>(props.outcome);
  const [port, setPort] = useState<string>(ports[0] ?? AT_SEA);
  const zone = portInfo(port)?.timeZone ?? 'UTC';
  const [observed, setObserved] = useState(() => toZonedInput(new Date(), zone));
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const key = useMemo(newKey, []);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus(), []);

  const changePort = (next: string) => {
    // The wall-clock time stays the same moment: shown again in the new port's zone.
    const at = observed ? fromZonedInput(observed, zone) : new Date();
    setPort(next);
    setObserved(toZonedInput(at, portInfo(next)?.timeZone ?? 'UTC'));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: string[] = [];
    let at: Date | undefined;
    if (!observed) found.push(t('sighting.invalid.observedAtRequired'));
    else {
      at = fromZonedInput(observed, zone);
      if (Number.isNaN(at.getTime())) found.push(t('sighting.invalid.observedAtRequired'));
      else if (at.getTime() > Date.now() + 60_000) found.push(t('sighting.invalid.future'));
    }
    if (outcome === 'FALSE_POSITIVE' && !note.trim()) found.push(t('sighting.invalid.noteRequired'));
    setProblems(found);
    setFailure(undefined);
    if (found.length > 0 || !at) return;
    setBusy(true);
    try {
      const data = await api.must(ReportSightingDocument, {
        entryId: props.entryId,
        idempotencyKey: key,
        input: { outcome, observedAt: at.toISOString(), ...(port ? { port } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
      });
      props.onReported(data.reportSighting);
    } catch (err) {
      setFailure(err instanceof ApiFailure || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={form}
      className="sighting-form panel"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={t('sighting.formLabel', { vessel: props.vesselLabel })}
    >
      <fieldset className="field">
        <legend>{t('sighting.outcome')}</legend>
        <label className="check">
          <input type="radio" name={`${id}-outcome`} checked={outcome === 'CONFIRMED'} onChange={() => setOutcome('CONFIRMED')} />
          {t('sighting.outcome.CONFIRMED')}
        </label>
        <label className="check">
          <input type="radio" name={`${id}-outcome`} checked={outcome === 'FALSE_POSITIVE'} onChange={() => setOutcome('FALSE_POSITIVE')} />
          {t('sighting.outcome.FALSE_POSITIVE')}
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-port`}>{t('sighting.port')}</label>
        <select id={`${id}-port`} value={port} onChange={(e) => changePort(e.target.value)}>
          {ports.map((p) => (
            <option key={p} value={p}>
              {portLabel(p)}
            </option>
          ))}
          <option value={AT_SEA}>{t('sighting.atSea')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-at`}>{t('sighting.observedAt', { zone })}</label>
        <input
          id={`${id}-at`}
          type="datetime-local"
          value={observed}
          max={toZonedInput(new Date(), zone)}
          onChange={(e) => setObserved(e.target.value)}
          aria-describedby={`${id}-at-help`}
        />
        <p className="help" id={`${id}-at-help`}>
          {t('sighting.observedAtHelp')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>{outcome === 'FALSE_POSITIVE' ? t('sighting.noteRequired') : t('sighting.note')}</label>
        <textarea
          id={`${id}-note`}
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-required={outcome === 'FALSE_POSITIVE'}
        />
      </div>
      {(problems.length > 0 || failure) && (
        <div role="alert" className="error">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
          {failure && <p>{t('sighting.failed', { reason: failure })}</p>}
        </div>
      )}
      <div className="sighting-buttons">
        <button type="submit" disabled={busy}>
          {busy ? t('sighting.sending') : t(outcome === 'CONFIRMED' ? 'sighting.submitConfirmed' : 'sighting.submitFalsePositive')}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          {t('sighting.cancel')}
        </button>
      </div>
    </form>
  );
}
