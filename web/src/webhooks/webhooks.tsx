/**
 * An agency's webhooks, for its analysts: register one (its signing secret is shown once, to be
 * stored at the receiver), send a test delivery, rotate the secret, delete it, and see its recent
 * deliveries or only the failed ones.
 */
import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import type { RiskLevel, ThreatCategory, WebhookDeliveryStatus, WebhookListQuery } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { categoryText, riskText, RISK_LEVELS, THREAT_CATEGORIES } from '../i18n/vocabulary';
import { useSession } from '../session/session';
import { PortTime } from '../time/port-time';
import { newIdempotencyKey } from '../reports/vessel-ids';
import { pageOf, usePaged } from '../watchlists/paged';
import { More } from '../watchlists/watchlists';
import {
  DeleteWebhookDocument,
  RegisterWebhookDocument,
  RotateWebhookSecretDocument,
  TestWebhookDocument,
  WebhookListDocument,
} from './operations';
import './webhooks.css';

type Hook = WebhookListQuery['webhooks']['edges'][number]['node'];

const PAGE = 25;
const RECENT = 10;
const FAILURES: WebhookDeliveryStatus[] = ['FAILED', 'GAVE_UP'];
/** How long the previous secret still signs after a rotation: the receiver's time to switch. */
const OVERLAPS = [0, 3600, 86_400, 604_800] as const;

/** A secret shown once, right after registering or rotating. */
interface Shown {
  webhookId: string;
  url: string;
  secret: string;
}

export function Webhooks() {
  const { api } = useSession();
  const id = useId();
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [secret, setSecret] = useState<Shown>();
  const hooks = usePaged(
    useCallback(
      async (after: string | null) =>
        pageOf(
          (await api.must(WebhookListDocument, { first: PAGE, after, deliveries: RECENT, status: failuresOnly ? FAILURES : null }))
            .webhooks,
        ),
      [api, failuresOnly],
    ),
  );
  return (
    <section className="webhooks">
      <h1>{t('webhooks.title')}</h1>
      <p className="help">{t('webhooks.intro')}</p>
      {secret && <SecretNotice shown={secret} onDone={() => setSecret(undefined)} />}
      <Register
        onRegistered={(s) => {
          setSecret(s);
          hooks.reload();
        }}
      />
      <label className="check">
        <input type="checkbox" checked={failuresOnly} onChange={(e) => setFailuresOnly(e.target.checked)} /> {t('webhooks.failuresOnly')}
      </label>
      {hooks.error && (
        <div role="alert">
          <p className="error">{t('common.error', { reason: hooks.error })}</p>
          <button type="button" className="secondary" onClick={hooks.reload}>
            {t('common.retry')}
          </button>
        </div>
      )}
      <p role="status" className="help" id={`${id}-count`}>
        {hooks.rows === undefined
          ? hooks.loading
            ? t('common.loading')
            : ''
          : hooks.rows.length === 0
            ? t('webhooks.none')
            : t('webhooks.count', { shown: hooks.rows.length, total: hooks.total })}
      </p>
      {hooks.rows?.map((h) => (
        <WebhookCard key={h.id} hook={h} failuresOnly={failuresOnly} onSecret={setSecret} onChanged={hooks.reload} />
      ))}
      <More paged={hooks} />
    </section>
  );
}

function SecretNotice({ shown, onDone }: { shown: Shown; onDone(): void }) {
  const id = useId();
  return (
    <section className="panel webhook-secret" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('webhooks.secret.title', { url: shown.url })}</h2>
      {/* Announced without the secret itself: a live region would read it aloud. */}
      <p role="status">{t('webhooks.secret.help')}</p>
      <label htmlFor={`${id}-secret`}>{t('webhooks.secret.label')}</label>
      <input id={`${id}-secret`} readOnly value={shown.secret} onFocus={(e) => e.target.select()} />
      <p>
        <button type="button" className="secondary" onClick={onDone}>
          {t('webhooks.secret.stored')}
        </button>
      </p>
    </section>
  );
}

function Register({ onRegistered }: { onRegistered(s: Shown): void }) {
  const { api } = useSession();
  const id = useId();
  const [key, setKey] = useState(newIdempotencyKey);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [ports, setPorts] = useState('');
  const [jurisdictions, setJurisdictions] = useState('');
  const [category, setCategory] = useState<ThreatCategory | ''>('');
  const [minSeverity, setMinSeverity] = useState<RiskLevel | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // Closed again once registered: the secret notice above is what to read next.
  const [open, setOpen] = useState(false);

  const codes = (s: string) =>
    s
      .split(/[\s,]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const filter = {
        ...(codes(ports).length ? { ports: codes(ports) } : {}),
        ...(codes(jurisdictions).length ? { jurisdictions: codes(jurisdictions) } : {}),
        ...(category ? { categories: [category] } : {}),
        ...(minSeverity ? { minSeverity } : {}),
      };
      const input = { url: url.trim(), description: description.trim() || null, filter };
      const data = (await api.must(RegisterWebhookDocument, { idempotencyKey: key, input })).registerWebhook;
      onRegistered({ webhookId: data.webhook.id, url: data.webhook.url, secret: data.secret });
      setKey(newIdempotencyKey());
      setUrl('');
      setDescription('');
      setOpen(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('webhooks.register.title')}</summary>
      <form className="webhook-form" onSubmit={(e) => void submit(e)} aria-label={t('webhooks.register.title')}>
        <div className="field">
          <label htmlFor={`${id}-url`}>{t('webhooks.field.url')}</label>
          <input
            id={`${id}-url`}
            type="url"
            required
            maxLength={2048}
            value={url}
            aria-describedby={`${id}-url-help`}
            onChange={(e) => setUrl(e.target.value)}
          />
          <p id={`${id}-url-help`} className="help">
            {t('webhooks.field.urlHelp')}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-desc`}>{t('webhooks.field.description')}</label>
          <input id={`${id}-desc`} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <fieldset className="field">
          <legend>{t('webhooks.field.filter')}</legend>
          <div className="field">
            <label htmlFor={`${id}-ports`}>{t('webhooks.field.ports')}</label>
            <input id={`${id}-ports`} maxLength={500} value={ports} onChange={(e) => setPorts(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-jur`}>{t('webhooks.field.jurisdictions')}</label>
            <input id={`${id}-jur`} maxLength={200} value={jurisdictions} onChange={(e) => setJurisdictions(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-cat`}>{t('common.field.category')}</label>
            <select id={`${id}-cat`} value={category} onChange={(e) => setCategory(e.target.value as ThreatCategory | '')}>
              <option value="">{t('webhooks.field.any')}</option>
              {THREAT_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryText(c)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-sev`}>{t('webhooks.field.minSeverity')}</label>
            <select id={`${id}-sev`} value={minSeverity} onChange={(e) => setMinSeverity(e.target.value as RiskLevel | '')}>
              <option value="">{t('webhooks.field.any')}</option>
              {RISK_LEVELS.map((r) => (
                <option key={r} value={r}>
                  {riskText(r)}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <button type="submit" disabled={busy}>
          {t('webhooks.register.submit')}
        </button>
        {error && (
          <p role="alert" className="error">
            {t('webhooks.register.failed', { reason: error })}
          </p>
        )}
      </form>
    </details>
  );
}

function filterText(f: Hook['filter']): string {
  const parts = [
    f.ports?.length ? t('webhooks.filter.ports', { ports: f.ports.join(', ') }) : '',
    f.jurisdictions?.length ? t('webhooks.filter.jurisdictions', { codes: f.jurisdictions.join(', ') }) : '',
    f.categories?.length ? f.categories.map(categoryText).join(', ') : '',
    f.minSeverity ? t('webhooks.filter.minSeverity', { level: riskText(f.minSeverity) }) : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : t('webhooks.filter.all');
}

function WebhookCard(props: { hook: Hook; failuresOnly: boolean; onSecret(s: Shown): void; onChanged(): void }) {
  const { api } = useSession();
  const h = props.hook;
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [overlap, setOverlap] = useState<number>(86_400);
  const [confirmDelete, setConfirmDelete] = useState(false);

  async function act(work: () => Promise<{ ok: boolean; text: string } | undefined>) {
    setBusy(true);
    setMessage(undefined);
    try {
      setMessage(await work());
    } catch (err) {
      setMessage({ ok: false, text: t('webhooks.failed', { reason: err instanceof Error ? err.message : String(err) }) });
    } finally {
      setBusy(false);
    }
  }

  const test = () =>
    act(async () => {
      const r = (await api.must(TestWebhookDocument, { id: h.id })).testWebhook;
      return r.delivered
        ? { ok: true, text: t('webhooks.test.delivered', { status: r.statusCode ?? '' }) }
        : { ok: false, text: t('webhooks.test.failed', { reason: r.error ?? '', status: r.statusCode ?? t('common.none') }) };
    });
  const rotate = () =>
    act(async () => {
      const r = (await api.must(RotateWebhookSecretDocument, { id: h.id, keepPreviousForSeconds: overlap })).rotateWebhookSecret;
      props.onSecret({ webhookId: r.webhook.id, url: r.webhook.url, secret: r.secret });
      props.onChanged();
      return { ok: true, text: t('webhooks.rotate.done') };
    });
  const remove = () =>
    act(async () => {
      await api.must(DeleteWebhookDocument, { id: h.id });
      setConfirmDelete(false);
      props.onChanged();
      return { ok: true, text: t('webhooks.delete.done') };
    });

  return (
    <article className="panel webhook" aria-labelledby={`${id}-h`} data-webhook={h.url}>
      <h2 id={`${id}-h`} className="webhook-url">
        {h.url}
      </h2>
      <dl className="record">
        <dt>{t('webhooks.field.state')}</dt>
        <dd>
          {h.active ? (
            <strong className="ok">{t('webhooks.active')}</strong>
          ) : (
            <strong className="error">{t('webhooks.inactive', { reason: h.deactivatedReason ?? '' })}</strong>
          )}
        </dd>
        <dt>{t('webhooks.field.description')}</dt>
        <dd>{h.description ?? t('common.none')}</dd>
        <dt>{t('webhooks.field.filter')}</dt>
        <dd>{filterText(h.filter)}</dd>
        <dt>{t('webhooks.field.registered')}</dt>
        <dd>
          <PortTime at={h.createdAt} /> · {h.createdBy} · {h.roles.join(', ')}
          {h.purpose ? ` · ${t(`purpose.${h.purpose}` as MessageKey)}` : ''}
        </dd>
        <dt>{t('webhooks.field.rotated')}</dt>
        <dd>
          {h.secretRotatedAt ? <PortTime at={h.secretRotatedAt} /> : t('common.none')}
          {h.previousSecretExpiresAt && (
            <>
              {' '}
              ({t('webhooks.previousUntil')} <PortTime at={h.previousSecretExpiresAt} />)
            </>
          )}
        </dd>
      </dl>
      {h.active && (
        <div className="webhook-actions">
          <button type="button" disabled={busy} onClick={() => void test()}>
            {t('webhooks.test.button')}
          </button>
          <span className="webhook-rotate">
            <label htmlFor={`${id}-overlap`}>{t('webhooks.rotate.overlap')}</label>
            <select id={`${id}-overlap`} value={overlap} onChange={(e) => setOverlap(Number(e.target.value))}>
              {OVERLAPS.map((s) => (
                <option key={s} value={s}>
                  {t(`webhooks.rotate.overlap.${s}` as MessageKey)}
                </option>
              ))}
            </select>
            <button type="button" className="secondary" disabled={busy} onClick={() => void rotate()}>
              {t('webhooks.rotate.button')}
            </button>
          </span>
          {confirmDelete ? (
            <span>
              {t('webhooks.delete.confirm')}{' '}
              <button type="button" disabled={busy} onClick={() => void remove()}>
                {t('webhooks.delete.yes')}
              </button>{' '}
              <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
                {t('webhooks.delete.no')}
              </button>
            </span>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirmDelete(true)}>
              {t('webhooks.delete.button')}
            </button>
          )}
        </div>
      )}
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>
          {message.text}
        </p>
      )}
      <Deliveries hook={h} failuresOnly={props.failuresOnly} />
    </article>
  );
}

function Deliveries({ hook, failuresOnly }: { hook: Hook; failuresOnly: boolean }) {
  const rows = hook.deliveries.edges.map((e) => e.node);
  const caption = t(failuresOnly ? 'webhooks.deliveries.failures' : 'webhooks.deliveries.recent', {
    shown: rows.length,
    total: hook.deliveries.totalCount,
  });
  if (rows.length === 0) return <p className="help">{t(failuresOnly ? 'webhooks.deliveries.noFailures' : 'webhooks.deliveries.none')}</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('webhooks.deliveries.queued')}</th>
            <th scope="col">{t('webhooks.deliveries.event')}</th>
            <th scope="col">{t('common.field.status')}</th>
            <th scope="col">{t('webhooks.deliveries.attempts')}</th>
            <th scope="col">{t('webhooks.deliveries.last')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id}>
              <td>
                <PortTime at={d.createdAt} />
              </td>
              <td>
                {d.alertId ? (
                  <Link href={`/alerts/${encodeURIComponent(d.alertId)}`}>{t(`webhooks.kind.${d.kind}` as MessageKey)}</Link>
                ) : (
                  t(`webhooks.kind.${d.kind}` as MessageKey)
                )}
              </td>
              <td>
                <strong className={d.status === 'DELIVERED' ? 'ok' : d.status === 'PENDING' ? '' : 'error'}>
                  {t(`webhooks.status.${d.status}` as MessageKey)}
                </strong>
              </td>
              <td>{d.attempts}</td>
              <td>
                {d.lastAttemptAt ? <PortTime at={d.lastAttemptAt} /> : t('common.none')}
                {d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ''}
                {d.lastError ? ` · ${d.lastError}` : ''}
                {d.nextAttemptAt && (
                  <>
                    {' '}
                    · {t('webhooks.deliveries.next')} <PortTime at={d.nextAttemptAt} />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
