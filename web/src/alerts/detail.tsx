/**
 * One alert: its fields as the hub releases them (a withheld one reads "withheld" and why), the
 * vessel as the registry knows it and as the publisher gave it, its position on an offline map,
 * its status history, and for analysts of the publishing agency the lifecycle actions.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { AccessLine, FieldValue } from '../access/access';
import { graphql } from '../gql';
import type { AlertDetailQuery, AlertStatus } from '../gql/graphql';
import { t } from '../i18n';
import { hasRole, useSession } from '../session/session';
import { PortTime } from '../time/port-time';
import { portLabel } from '../time/ports';
import { Severity, statusText } from './alert-text';
import { categoryText } from '../i18n/vocabulary';
import { PositionMap } from './position-map';
import './alerts.css';

const AlertDetailQueryDoc = graphql(`
  query AlertDetail($id: ID!) {
    alert(id: $id) {
      id
      title
      description
      severity
      category
      status
      port
      issuedAt
      expiresAt
      intelligenceSummary
      jurisdiction
      recipients
      tlp
      location {
        lat
        lon
      }
      access {
        ...AccessFields
      }
      ownerAgency {
        code
        name
      }
      vessel {
        imo
        name
        mmsi
        flag
        vesselType
      }
      vesselAsGiven {
        imo
        name
        mmsi
        flag
        callSign
        vesselType
      }
      history {
        status
        at
        actor
        note
      }
    }
  }
`);

const ChangeAlertStatus = graphql(`
  mutation ChangeAlertStatus($id: ID!, $status: AlertStatus!, $note: String) {
    updateAlertStatus(id: $id, status: $status, note: $note) {
      id
      status
    }
  }
`);

type Alert = NonNullable<AlertDetailQuery['alert']>;

export function AlertDetail(props: { id: string }) {
  const { api, principal } = useSession();
  const { id } = props;
  const [alert, setAlert] = useState<Alert | null>();
  const [error, setError] = useState<string>();
  const [changed, setChanged] = useState<string>();

  const load = useCallback(
    () =>
      api.must(AlertDetailQueryDoc, { id }).then(
        (data) => {
          setAlert(data.alert ?? null);
          setError(undefined);
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      ),
    [api, id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const back = (
    <p>
      <Link href="/alerts">{t('alerts.detail.back')}</Link>
    </p>
  );
  if (error)
    return (
      <>
        {back}
        <p role="alert" className="error">
          {t('common.error', { reason: error })}
        </p>
      </>
    );
  if (alert === undefined) return <p role="status">{t('common.loading')}</p>;
  if (alert === null)
    return (
      <>
        {back}
        <h1>{t('alerts.detail.alert')}</h1>
        <p role="alert">{t('alerts.detail.notFound')}</p>
      </>
    );

  const owner = alert.ownerAgency.code === principal.agency.code;
  const mayChange = owner && hasRole(principal, 'analyst');
  return (
    <article className="alert-detail">
      {back}
      <h1>{alert.title}</h1>
      <div className="subtitle">
        <Severity level={alert.severity} />
        <span>{categoryText(alert.category)}</span>
        <span>{statusText(alert.status)}</span>
        <AccessLine tlp={alert.tlp} access={alert.access} />
      </div>
      <div role="status">{changed}</div>
      <div className="columns">
        <section className="panel" aria-labelledby="alert-facts">
          <h2 id="alert-facts">{t('alerts.detail.alert')}</h2>
          <dl className="record">
            <dt>{t('alerts.detail.description')}</dt>
            <dd className="description">{alert.description}</dd>
            <dt>{t('alerts.detail.intelligenceSummary')}</dt>
            <dd className="description">
              <FieldValue access={alert.access} field="intelligenceSummary" value={alert.intelligenceSummary} />
            </dd>
            <dt>{t('common.field.port')}</dt>
            <dd>{alert.port ? portLabel(alert.port) : t('common.none')}</dd>
            <dt>{t('alerts.detail.issued')}</dt>
            <dd>
              <PortTime at={alert.issuedAt} port={alert.port} />
            </dd>
            <dt>{t('alerts.detail.expires')}</dt>
            <dd>{alert.expiresAt ? <PortTime at={alert.expiresAt} port={alert.port} /> : t('common.none')}</dd>
            <dt>{t('alerts.detail.owner')}</dt>
            <dd>{alert.ownerAgency.name}</dd>
            <dt>{t('alerts.detail.jurisdiction')}</dt>
            <dd>{alert.jurisdiction}</dd>
            <dt>{t('alerts.detail.recipients')}</dt>
            <dd>{alert.recipients.length ? alert.recipients.join(', ') : t('common.none')}</dd>
          </dl>
        </section>
        <VesselPanel alert={alert} />
      </div>
      <section className="panel" aria-labelledby="alert-position">
        <h2 id="alert-position">{t('alerts.detail.position')}</h2>
        {alert.location ? (
          <PositionMap lat={alert.location.lat} lon={alert.location.lon} />
        ) : (
          <p className="help">{t('alerts.detail.noPosition')}</p>
        )}
      </section>
      <HistoryPanel alert={alert} owner={owner} />
      {mayChange && (
        <StatusActions
          alert={alert}
          onChange={async (status, note) => {
            await api.must(ChangeAlertStatus, { id: alert.id, status, note: note || null });
            setChanged(t('alerts.detail.changed', { status: statusText(status) }));
            await load();
          }}
        />
      )}
    </article>
  );
}

function VesselPanel({ alert }: { alert: Alert }) {
  const { vessel, vesselAsGiven: given } = alert;
  return (
    <section className="panel" aria-labelledby="alert-vessel">
      <h2 id="alert-vessel">{t('alerts.detail.vessel')}</h2>
      <h3>{t('alerts.detail.registry')}</h3>
      <dl className="record">
        <dt>{t('common.field.imo')}</dt>
        <dd>{vessel.imo}</dd>
        <dt>{t('common.field.name')}</dt>
        <dd>{vessel.name ?? <span className="empty">{t('alerts.detail.notInRegistry')}</span>}</dd>
        <dt>{t('common.field.mmsi')}</dt>
        <dd>{vessel.mmsi ?? t('common.none')}</dd>
        <dt>{t('common.field.flag')}</dt>
        <dd>{vessel.flag ?? t('common.none')}</dd>
      </dl>
      <h3>{t('alerts.detail.asGiven')}</h3>
      <dl className="record">
        <dt>{t('common.field.imo')}</dt>
        <dd>{given.imo}</dd>
        <dt>{t('common.field.name')}</dt>
        <dd>{given.name}</dd>
        <dt>{t('common.field.mmsi')}</dt>
        <dd>{given.mmsi ?? t('common.none')}</dd>
        <dt>{t('common.field.flag')}</dt>
        <dd>{given.flag ?? t('common.none')}</dd>
        <dt>{t('alerts.detail.callSign')}</dt>
        <dd>{given.callSign ?? t('common.none')}</dd>
        <dt>{t('alerts.detail.vesselType')}</dt>
        <dd>{given.vesselType ?? t('common.none')}</dd>
      </dl>
    </section>
  );
}

function HistoryPanel({ alert, owner }: { alert: Alert; owner: boolean }) {
  return (
    <section className="panel" aria-labelledby="alert-history">
      <h2 id="alert-history">{t('alerts.detail.history')}</h2>
      <table className="alert-history">
        <caption className="sr-only">{t('alerts.detail.historyCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('alerts.detail.historyStatus')}</th>
            <th scope="col">{t('alerts.detail.historyAt')}</th>
            {owner && <th scope="col">{t('alerts.detail.historyActor')}</th>}
            {owner && <th scope="col">{t('alerts.detail.historyNote')}</th>}
          </tr>
        </thead>
        <tbody>
          {alert.history.map((h, i) => (
            <tr key={i}>
              <td>{statusText(h.status)}</td>
              <td>
                <PortTime at={h.at} port={alert.port} />
              </td>
              {owner && <td>{h.actor ?? t('common.none')}</td>}
              {owner && <td className="description">{h.note ?? t('common.none')}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {!owner && <p className="help">{t('alerts.detail.historyOwnerOnly')}</p>}
    </section>
  );
}

function StatusActions(props: { alert: Alert; onChange: (status: AlertStatus, note: string) => Promise<void> }) {
  const { status } = props.alert;
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();

  if (status === 'WITHDRAWN')
    return (
      <section className="panel" aria-labelledby="alert-actions">
        <h2 id="alert-actions">{t('alerts.detail.actions')}</h2>
        <p className="help">{t('alerts.detail.final')}</p>
      </section>
    );

  async function change(next: AlertStatus) {
    setBusy(true);
    setError(undefined);
    try {
      await props.onChange(next, note.trim());
      setNote('');
      setConfirming(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel status-actions" aria-labelledby="alert-actions">
      <h2 id="alert-actions">{t('alerts.detail.actions')}</h2>
      <div className="field">
        <label htmlFor="alert-status-note">{t('alerts.detail.note')}</label>
        <textarea id="alert-status-note" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className="buttons">
        {status === 'ACTIVE' && (
          <button type="button" disabled={busy} onClick={() => void change('ACKNOWLEDGED')}>
            {t('alerts.detail.acknowledge')}
          </button>
        )}
        {status !== 'RESOLVED' && (
          <button type="button" disabled={busy} onClick={() => void change('RESOLVED')}>
            {t('alerts.detail.resolve')}
          </button>
        )}
        {status !== 'ACTIVE' && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void change('ACTIVE')}>
            {t('alerts.detail.reopen')}
          </button>
        )}
        <button type="button" className="secondary" disabled={busy} aria-expanded={confirming} onClick={() => setConfirming(true)}>
          {t('alerts.detail.withdraw')}
        </button>
      </div>
      {confirming && (
        <div className="confirm-withdraw">
          <p>{t('alerts.detail.withdrawConfirm')}</p>
          <div className="buttons">
            <button type="button" className="danger" disabled={busy} onClick={() => void change('WITHDRAWN')}>
              {t('alerts.detail.withdrawYes')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              {t('alerts.detail.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {t('common.error', { reason: error })}
        </p>
      )}
    </section>
  );
}
