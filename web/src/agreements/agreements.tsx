/**
 * The agency's data-sharing agreements, as the hub reads them from policies/agreements/: what it
 * shares with whom, and what it receives from whom. Each shows what it releases (types, sensitive
 * fields on top of core, the TLP cap, jurisdictions, purposes) and its validity, with a warning
 * when it ends within ENDING_SOON_DAYS: records shared under it stop flowing on that day.
 */
import { useEffect, useState } from 'react';
import { graphql } from '../gql';
import type { AgreementsQuery } from '../gql/graphql';
import { t, type MessageKey } from '../i18n';
import { useSession } from '../session/session';
import './agreements.css';

const AgreementsDocument = graphql(`
  query Agreements {
    agreements {
      id
      provider {
        code
        name
      }
      recipients {
        code
        name
      }
      types
      jurisdictions
      maxTlp
      fields
      purposes
      purpose
      validFrom
      validUntil
      active
    }
  }
`);

type Agreement = AgreementsQuery['agreements'][number];

/** An agreement ending within this many days is flagged: time to renew it (a new file) or let it end. */
const ENDING_SOON_DAYS = 30;
const DAY_MS = 86_400_000;

/** A policy date as its day in UTC, the way the agreement file writes it. */
const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);

type Standing = { key: MessageKey; values: Record<string, string | number>; warn: boolean };

function standing(a: Agreement, now: number): Standing {
  const from = new Date(a.validFrom).getTime();
  if (from > now) return { key: 'agreements.notYet', values: { from: day(a.validFrom) }, warn: false };
  if (!a.validUntil) return { key: 'agreements.openEnded', values: {}, warn: false };
  const until = new Date(a.validUntil).getTime();
  if (until < now) return { key: 'agreements.ended', values: { until: day(a.validUntil) }, warn: true };
  // Whole days left: an agreement ends at the end of its last day (UTC), so on that day it is 0.
  const days = Math.floor((until - now) / DAY_MS);
  if (days === 0) return { key: 'agreements.endsToday', values: { until: day(a.validUntil) }, warn: true };
  if (days <= ENDING_SOON_DAYS) return { key: 'agreements.endingSoon', values: { days, until: day(a.validUntil) }, warn: true };
  return { key: 'agreements.inForce', values: { until: day(a.validUntil) }, warn: false };
}

const list = (items: readonly string[], empty: MessageKey) => (items.length ? items.join(', ') : t(empty));

function AgreementCard({ agreement: a, direction, now }: { agreement: Agreement; direction: 'shares' | 'receives'; now: number }) {
  const s = standing(a, now);
  const partners =
    direction === 'shares' ? a.recipients.map((r) => `${r.name} (${r.code})`).join(', ') : `${a.provider.name} (${a.provider.code})`;
  return (
    <article className="panel agreement" aria-labelledby={`agreement-${a.id}`}>
      <h3 id={`agreement-${a.id}`}>{a.id}</h3>
      {a.purpose && <p className="help">{a.purpose}</p>}
      <p className={s.warn ? 'agreement-warning' : 'help'} role={s.warn ? 'note' : undefined}>
        {t(s.key, s.values)}
      </p>
      <dl className="record">
        <dt>{t(direction === 'shares' ? 'agreements.recipients' : 'agreements.provider')}</dt>
        <dd>{partners}</dd>
        <dt>{t('agreements.types')}</dt>
        <dd>{a.types.join(', ')}</dd>
        <dt>{t('agreements.fields')}</dt>
        <dd>{list(a.fields, 'agreements.coreOnly')}</dd>
        <dt>{t('agreements.maxTlp')}</dt>
        <dd>
          <span className={`tlp tlp-${a.maxTlp.toLowerCase()}`}>{t('tlp.label', { level: t(`tlp.${a.maxTlp}` as MessageKey) })}</span>
        </dd>
        <dt>{t('agreements.jurisdictions')}</dt>
        <dd>{list(a.jurisdictions, 'agreements.anyJurisdiction')}</dd>
        <dt>{t('agreements.purposes')}</dt>
        <dd>{a.purposes.length ? a.purposes.map((p) => t(`purpose.${p}` as MessageKey)).join(', ') : t('agreements.anyPurpose')}</dd>
        <dt>{t('agreements.validity')}</dt>
        <dd>
          {a.validUntil
            ? t('agreements.fromUntil', { from: day(a.validFrom), until: day(a.validUntil) })
            : t('agreements.fromOn', { from: day(a.validFrom) })}
        </dd>
      </dl>
    </article>
  );
}

function Group(props: { title: MessageKey; empty: MessageKey; items: Agreement[]; direction: 'shares' | 'receives'; now: number }) {
  return (
    <section aria-labelledby={`agreements-${props.direction}`}>
      <h2 id={`agreements-${props.direction}`}>{t(props.title, { count: props.items.length })}</h2>
      {props.items.length === 0 && <p className="notice">{t(props.empty)}</p>}
      {props.items.map((a) => (
        <AgreementCard key={a.id} agreement={a} direction={props.direction} now={props.now} />
      ))}
    </section>
  );
}

export function Agreements() {
  const { api, principal } = useSession();
  const [agreements, setAgreements] = useState<Agreement[]>();
  const [error, setError] = useState<string>();
  const [now] = useState(() => Date.now());

  useEffect(() => {
    api.must(AgreementsDocument, {}).then(
      (data) => setAgreements(data.agreements),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [api]);

  const me = principal.agency.code;
  // Ending soonest first: what needs attention is on top.
  const order = (a: Agreement, b: Agreement) => (a.validUntil ?? '9999').localeCompare(b.validUntil ?? '9999') || a.id.localeCompare(b.id);
  return (
    <section>
      <h1>{t('agreements.title')}</h1>
      <p className="help">{t('agreements.intro')}</p>
      {error && (
        <p role="alert" className="error">
          {t('common.error', { reason: error })}
        </p>
      )}
      {!agreements && !error && <p role="status">{t('common.loading')}</p>}
      {agreements && (
        <>
          <Group
            title="agreements.shares"
            empty="agreements.sharesNone"
            direction="shares"
            now={now}
            items={agreements.filter((a) => a.provider.code === me).sort(order)}
          />
          <Group
            title="agreements.receives"
            empty="agreements.receivesNone"
            direction="receives"
            now={now}
            items={agreements.filter((a) => a.recipients.some((r) => r.code === me)).sort(order)}
          />
        </>
      )}
    </section>
  );
}
