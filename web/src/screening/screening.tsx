/**
 * Screening: is this vessel, or any vessel of an arrival list, on a watchlist we may see? One
 * vessel by its identifiers, or a list of up to 1,000 pasted or uploaded as CSV, screened in
 * batches the hub accepts (batches.ts), two requests at a time, with progress announced.
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiFailure, type Api } from '../api/client';
import { t } from '../i18n';
import { useSession } from '../session/session';
import {
  MAX_ARRIVALS,
  flagProblem,
  imoProblem,
  mmsiProblem,
  nameProblem,
  parseArrivalList,
  toQuery,
  type ArrivalVessel,
  type BadRow,
} from './arrival-list';
import { planBatches, resultCost, runPool } from './batches';
import { ScreenVesselDocument, ScreenVesselsDocument } from './operations';
import { ScreeningResults, type ScreenedVessel } from './results';
import { screeningStore, useScreening, type ListProgress, type ScreeningStore } from './store';
import './screening.css';

const IN_FLIGHT = 2;
const RATE_LIMIT_RETRIES = 5;
const PER_RESULT = resultCost(ScreenVesselsDocument, 'screenVessels');
const SHOWN_BAD_ROWS = 50;

const nf = (n: number) => new Intl.NumberFormat().format(n);

export function Screening() {
  const store = screeningStore(useSession());
  const { vessels, complete, progress } = useScreening(store);
  return (
    <>
      <h1>{t('screening.title')}</h1>
      <p className="help">{t('screening.intro')}</p>
      <div className="screening-forms">
        <SingleVessel
          listRunning={!!progress && !progress.done}
          onResult={(v) => store.update({ vessels: [v], complete: true, progress: undefined })}
        />
        <ArrivalList progress={progress} />
      </div>
      {vessels && <ScreeningResults vessels={vessels} complete={complete} />}
    </>
  );
}

type FieldName = 'imo' | 'mmsi' | 'name' | 'flag';
const CHECKS: Record<FieldName, (raw: string) => string | undefined> = {
  imo: imoProblem,
  mmsi: mmsiProblem,
  name: nameProblem,
  flag: flagProblem,
};

function SingleVessel({ onResult, listRunning }: { onResult(v: ScreenedVessel): void; listRunning: boolean }) {
  const { api } = useSession();
  const id = useId();
  const [values, setValues] = useState<Record<FieldName, string>>({ imo: '', mmsi: '', name: '', flag: '' });
  const [problems, setProblems] = useState<Partial<Record<FieldName | 'form', string>>>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (listRunning) return;
    const input = toQuery({
      line: 0,
      imo: values.imo.trim() || undefined,
      mmsi: values.mmsi.trim() || undefined,
      name: values.name.trim() || undefined,
      flag: values.flag.trim() || undefined,
    });
    const found: Partial<Record<FieldName | 'form', string>> = {};
    for (const f of ['imo', 'mmsi', 'name', 'flag'] as const) {
      const raw = values[f].trim();
      const p = raw ? CHECKS[f](raw) : undefined;
      if (p) found[f] = p;
    }
    if (!values.imo.trim() && !values.mmsi.trim() && !values.name.trim()) found.form = t('screening.invalid.nothing');
    setProblems(found);
    setFailure(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const data = await api.must(ScreenVesselDocument, input);
      onResult({
        index: 0,
        input: { ...input, ...(data.screenVessel.query.imo ? { imo: data.screenVessel.query.imo } : {}) },
        result: data.screenVessel,
      });
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (
    f: FieldName,
    label: string,
    help: string,
    extra: { inputMode?: 'numeric'; maxLength?: number; autoCapitalize?: string } = {},
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${f}`}>{label}</label>
      <input
        id={`${id}-${f}`}
        value={values[f]}
        onChange={(e) => setValues({ ...values, [f]: e.target.value })}
        aria-invalid={problems[f] ? true : undefined}
        aria-describedby={`${id}-${f}-help${problems[f] ? ` ${id}-${f}-error` : ''}`}
        autoComplete="off"
        {...extra}
      />
      <p className="help" id={`${id}-${f}-help`}>
        {help}
      </p>
      {problems[f] && (
        <p className="error" id={`${id}-${f}-error`}>
          {problems[f]}
        </p>
      )}
    </div>
  );

  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('screening.single.title')}</h2>
      {field('imo', t('common.field.imo'), t('screening.single.imoHelp'), { inputMode: 'numeric', maxLength: 11 })}
      {field('mmsi', t('common.field.mmsi'), t('screening.single.mmsiHelp'), { inputMode: 'numeric', maxLength: 9 })}
      {field('name', t('common.field.name'), t('screening.single.nameHelp'), { maxLength: 200 })}
      {field('flag', t('common.field.flag'), t('screening.single.flagHelp'), { maxLength: 2, autoCapitalize: 'characters' })}
      {(problems.form || failure || Object.keys(problems).length > 0) && (
        <div role="alert" className="error">
          {problems.form && <p>{problems.form}</p>}
          {!problems.form && Object.keys(problems).length > 0 && <p>{t('screening.single.fix')}</p>}
          {failure && <p>{t('screening.failed', { reason: failure })}</p>}
        </div>
      )}
      <button type="submit" disabled={busy || listRunning}>
        {busy ? t('screening.single.busy') : t('screening.single.submit')}
      </button>
    </form>
  );
}

/** Screens `list` in batches, two requests at a time; publishes every step to the screening store. */
async function screenList(api: Api, store: ScreeningStore, list: ArrivalVessel[]): Promise<void> {
  const vessels: ScreenedVessel[] = list.map((v, index) => ({ index, line: v.line, input: toQuery(v) }));
  const batches = planBatches(
    vessels.map((v) => v.input),
    PER_RESULT,
  );
  const state: ListProgress = { screened: 0, total: vessels.length, requestsDone: 0, requests: batches.length, done: false, failed: 0 };
  const publish = () => store.update({ vessels: [...vessels], complete: state.done, progress: { ...state } });
  publish();
  await runPool(batches, IN_FLIGHT, async (b) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const data = await api.must(ScreenVesselsDocument, { vessels: vessels.slice(b.start, b.end).map((v) => v.input) });
        data.screenVessels.forEach((r, i) => (vessels[b.start + i] = { ...vessels[b.start + i], result: r }));
        state.screened += b.end - b.start;
        state.requestsDone++;
        publish();
        return;
      } catch (err) {
        const code = err instanceof ApiFailure ? err.code : undefined;
        // The hub's limits may be set lower than the defaults the plan assumes, or the batch ran
        // out of time (also QUERY_TOO_COMPLEX): halve it and go on.
        if (code === 'QUERY_TOO_COMPLEX' && b.end - b.start > 1) {
          const mid = b.start + Math.floor((b.end - b.start) / 2);
          state.requests++;
          publish();
          return [
            { start: b.start, end: mid },
            { start: mid, end: b.end },
          ];
        }
        if ((code === 'RATE_LIMITED' || code === 'NETWORK') && attempt < RATE_LIMIT_RETRIES) {
          await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
          continue;
        }
        const reason = err instanceof Error ? err.message : String(err);
        for (let i = b.start; i < b.end; i++) vessels[i] = { ...vessels[i], error: reason };
        state.failed += b.end - b.start;
        state.screened += b.end - b.start;
        state.requestsDone++;
        publish();
        return;
      }
    }
  });
  state.done = true;
  publish();
}

function ArrivalList({ progress }: { progress?: ListProgress }) {
  const session = useSession();
  const { api } = session;
  const id = useId();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [bad, setBad] = useState<BadRow[]>([]);
  const load = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
    setProblem(undefined);
    setBad([]);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (progress && !progress.done) return;
    setProblem(undefined);
    setBad([]);
    if (!text.trim()) {
      setProblem(t('screening.list.empty'));
      return;
    }
    const parsed = parseArrivalList(text);
    if (!parsed.ok) {
      setProblem(parsed.problem ?? t('screening.list.badRows', { count: parsed.bad.length }));
      setBad(parsed.bad);
      return;
    }
    void screenList(api, screeningStore(session), parsed.vessels);
  };

  const busy = progress !== undefined && !progress.done;
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('screening.list.title')}</h2>
      <div className="field">
        <label htmlFor={`${id}-text`}>{t('screening.list.textLabel')}</label>
        <textarea
          id={`${id}-text`}
          rows={8}
          value={text}
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            setFileName(undefined);
          }}
          aria-describedby={`${id}-text-help`}
          aria-invalid={problem ? true : undefined}
        />
        <p className="help" id={`${id}-text-help`}>
          {t('screening.list.textHelp', { max: nf(MAX_ARRIVALS) })}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('screening.list.fileLabel')}</label>
        <input id={`${id}-file`} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void load(e.target.files?.[0])} />
        {fileName && <p className="help">{t('screening.list.fileLoaded', { name: fileName })}</p>}
      </div>
      {problem && (
        <div role="alert" className="error bad-rows">
          <p>{problem}</p>
          {bad.length > 0 && (
            <ul>
              {bad.slice(0, SHOWN_BAD_ROWS).map((b) => (
                <li key={b.line}>{t('screening.list.badRow', { line: b.line, reasons: b.reasons.join('; ') })}</li>
              ))}
            </ul>
          )}
          {bad.length > SHOWN_BAD_ROWS && <p>{t('screening.list.moreBadRows', { count: bad.length - SHOWN_BAD_ROWS })}</p>}
        </div>
      )}
      <button type="submit" disabled={busy}>
        {busy ? t('screening.list.busy') : t('screening.list.submit')}
      </button>
      <p role="status" className="progress">
        {progress &&
          (progress.done
            ? t('screening.progress.done', { total: nf(progress.total), requests: progress.requests })
            : t('screening.progress.running', {
                screened: nf(progress.screened),
                total: nf(progress.total),
                done: progress.requestsDone,
                requests: progress.requests,
              }))}
        {progress && progress.failed > 0 && <> {t('screening.progress.failed', { count: nf(progress.failed) })}</>}
      </p>
      {progress && <progress value={progress.screened} max={progress.total} aria-label={t('screening.progress.label')} />}
    </form>
  );
}
