/**
 * Adding an entry to a list, and editing or ending one: for analysts of the owning agency (the hub
 * refuses anyone else, and says so). Times are entered in UTC, as the entry has no port. A failed
 * send keeps everything typed; adding makes one idempotency key per form, so a resend after a lost
 * answer adds exactly one entry.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { RiskLevel, ThreatCategory, Tlp } from '../gql/graphql';
import { t } from '../i18n';
import { categoryText, riskText, RISK_LEVELS, THREAT_CATEGORIES } from '../i18n/vocabulary';
import { useSession } from '../session/session';
import { fromZonedInput, toZonedInput } from '../time/port-time';
import { imoDigits, mmsiDigits, newIdempotencyKey } from '../reports/vessel-ids';
import { AddWatchlistEntryDocument, RemoveWatchlistEntryDocument, UpdateWatchlistEntryDocument } from './operations';
import { TLP_LEVELS, tlpText } from './tlp';

interface EntryFields {
  category: ThreatCategory;
  riskLevel: RiskLevel;
  reason: string;
  validUntil: string;
  source: string;
  notes: string;
}

const utcInput = (iso: string | null | undefined) => (iso ? toZonedInput(new Date(iso), 'UTC') : '');
const fromUtcInput = (value: string) => (value ? fromZonedInput(value, 'UTC').toISOString() : null);
const orNull = (s: string) => (s.trim() ? s.trim() : null);

function useAttempt() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function attempt(work: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, attempt };
}

/** The fields an entry's author sets, shared by adding and editing. */
function EntryFieldset(props: { fields: EntryFields; onChange(f: EntryFields): void; children?: ReactNode }) {
  const id = useId();
  const f = props.fields;
  const set = (patch: Partial<EntryFields>) => props.onChange({ ...f, ...patch });
  return (
    <>
      {props.children}
      <div className="field">
        <label htmlFor={`${id}-cat`}>{t('common.field.category')}</label>
        <select id={`${id}-cat`} value={f.category} onChange={(e) => set({ category: e.target.value as ThreatCategory })}>
          {THREAT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryText(c)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-risk`}>{t('wl.field.risk')}</label>
        <select id={`${id}-risk`} value={f.riskLevel} onChange={(e) => set({ riskLevel: e.target.value as RiskLevel })}>
          {RISK_LEVELS.map((r) => (
            <option key={r} value={r}>
              {riskText(r)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('wl.field.reason')}</label>
        <textarea id={`${id}-reason`} required maxLength={2000} value={f.reason} onChange={(e) => set({ reason: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-until`}>{t('wl.field.validUntil')}</label>
        <input
          id={`${id}-until`}
          type="datetime-local"
          value={f.validUntil}
          aria-describedby={`${id}-until-help`}
          onChange={(e) => set({ validUntil: e.target.value })}
        />
        <p id={`${id}-until-help`} className="help">
          {t('wl.field.validUntilHelp')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-source`}>{t('wl.field.source')}</label>
        <input id={`${id}-source`} maxLength={500} value={f.source} onChange={(e) => set({ source: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-notes`}>{t('wl.field.notes')}</label>
        <textarea id={`${id}-notes`} maxLength={4000} value={f.notes} onChange={(e) => set({ notes: e.target.value })} />
      </div>
    </>
  );
}

const EMPTY: EntryFields = { category: 'SANCTIONS_EVASION', riskLevel: 'HIGH', reason: '', validUntil: '', source: '', notes: '' };

export function AddEntry(props: { watchlistId: string; onAdded(): void }) {
  const { api } = useSession();
  const id = useId();
  const [key, setKey] = useState(newIdempotencyKey);
  const [fields, setFields] = useState(EMPTY);
  const [vessel, setVessel] = useState({ imo: '', name: '', mmsi: '', flag: '' });
  const [tlp, setTlp] = useState<Tlp | ''>('');
  const [added, setAdded] = useState<string>();
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, attempt } = useAttempt();

  function submit(e: FormEvent) {
    e.preventDefault();
    const imo = imoDigits(vessel.imo);
    const mmsi = vessel.mmsi.trim() ? mmsiDigits(vessel.mmsi) : undefined;
    if (!imo) return setInvalid(t('wl.filter.badImo'));
    if (vessel.mmsi.trim() && !mmsi) return setInvalid(t('wl.filter.badMmsi'));
    setInvalid(undefined);
    void attempt(async () => {
      const input = {
        watchlistId: props.watchlistId,
        vessel: { imo, name: vessel.name.trim(), mmsi: mmsi ?? null, flag: orNull(vessel.flag.toUpperCase()) },
        category: fields.category,
        riskLevel: fields.riskLevel,
        reason: fields.reason.trim(),
        validUntil: fromUtcInput(fields.validUntil),
        source: orNull(fields.source),
        notes: orNull(fields.notes),
        ...(tlp ? { tlp } : {}),
      };
      const data = await api.must(AddWatchlistEntryDocument, { idempotencyKey: key, input });
      setAdded(data.addWatchlistEntry.id);
      setFields(EMPTY);
      setVessel({ imo: '', name: '', mmsi: '', flag: '' });
      setKey(newIdempotencyKey());
      props.onAdded();
    });
  }

  return (
    <details className="panel">
      <summary>{t('wl.add.title')}</summary>
      <form className="wl-form" onSubmit={submit} aria-label={t('wl.add.title')}>
        <EntryFieldset fields={fields} onChange={setFields}>
          <div className="field">
            <label htmlFor={`${id}-imo`}>{t('common.field.imo')}</label>
            <input
              id={`${id}-imo`}
              required
              maxLength={12}
              value={vessel.imo}
              onChange={(e) => setVessel({ ...vessel, imo: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-name`}>{t('common.field.name')}</label>
            <input
              id={`${id}-name`}
              required
              maxLength={200}
              value={vessel.name}
              onChange={(e) => setVessel({ ...vessel, name: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-mmsi`}>{t('common.field.mmsi')}</label>
            <input id={`${id}-mmsi`} maxLength={11} value={vessel.mmsi} onChange={(e) => setVessel({ ...vessel, mmsi: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-flag`}>{t('common.field.flag')}</label>
            <input id={`${id}-flag`} maxLength={2} value={vessel.flag} onChange={(e) => setVessel({ ...vessel, flag: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-tlp`}>{t('common.field.tlp')}</label>
            <select id={`${id}-tlp`} value={tlp} onChange={(e) => setTlp(e.target.value as Tlp | '')}>
              <option value="">{t('wl.add.tlpDefault')}</option>
              {TLP_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {tlpText(l)}
                </option>
              ))}
            </select>
          </div>
        </EntryFieldset>
        <button type="submit" disabled={busy}>
          {t('wl.add.submit')}
        </button>
        {(invalid || error) && (
          <p role="alert" className="error">
            {invalid ?? t('wl.add.failed', { reason: error ?? '' })}
          </p>
        )}
        {added && !error && (
          <p role="status" className="ok">
            {t('wl.add.done')} <Link href={`/entries/${encodeURIComponent(added)}`}>{t('wl.add.open')}</Link>
          </p>
        )}
      </form>
    </details>
  );
}

interface EditableEntry {
  id: string;
  category: ThreatCategory;
  riskLevel: RiskLevel;
  reason: string;
  validUntil?: string | null;
  source?: string | null;
  notes?: string | null;
}

/** Editing and ending an entry, on its page, for analysts of the owner. */
export function EditEntry(props: { entry: EditableEntry; onChanged(): void }) {
  const { api } = useSession();
  const e0 = props.entry;
  const initial: EntryFields = {
    category: e0.category,
    riskLevel: e0.riskLevel,
    reason: e0.reason,
    validUntil: utcInput(e0.validUntil),
    source: e0.source ?? '',
    notes: e0.notes ?? '',
  };
  const [fields, setFields] = useState(initial);
  const [done, setDone] = useState<'saved' | 'ended'>();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const { busy, error, attempt } = useAttempt();
  const ended = !!e0.validUntil && new Date(e0.validUntil).getTime() <= Date.now();

  function save(e: FormEvent) {
    e.preventDefault();
    void attempt(async () => {
      await api.must(UpdateWatchlistEntryDocument, {
        id: e0.id,
        input: {
          category: fields.category,
          riskLevel: fields.riskLevel,
          reason: fields.reason.trim(),
          source: orNull(fields.source),
          notes: orNull(fields.notes),
          ...(fields.validUntil ? { validUntil: fromUtcInput(fields.validUntil) } : {}),
        },
      });
      setDone('saved');
      props.onChanged();
    });
  }

  function end() {
    void attempt(async () => {
      await api.must(RemoveWatchlistEntryDocument, { id: e0.id });
      setConfirmEnd(false);
      setDone('ended');
      props.onChanged();
    });
  }

  return (
    <details className="panel">
      <summary>{t('wl.edit.title')}</summary>
      <form className="wl-form" onSubmit={save} aria-label={t('wl.edit.title')}>
        <EntryFieldset fields={fields} onChange={setFields} />
        <button type="submit" disabled={busy}>
          {t('wl.edit.submit')}
        </button>
      </form>
      {!ended && (
        <div className="wl-end">
          {confirmEnd ? (
            <>
              <p className="notice">{t('wl.end.confirm')}</p>
              <button type="button" disabled={busy} onClick={end}>
                {t('wl.end.yes')}
              </button>{' '}
              <button type="button" className="secondary" onClick={() => setConfirmEnd(false)}>
                {t('wl.end.no')}
              </button>
            </>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirmEnd(true)}>
              {t('wl.end.button')}
            </button>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {t('wl.edit.failed', { reason: error })}
        </p>
      )}
      {done && !error && (
        <p role="status" className="ok">
          {t(done === 'saved' ? 'wl.edit.saved' : 'wl.end.done')}
        </p>
      )}
    </details>
  );
}
