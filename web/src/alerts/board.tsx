/**
 * The duty officer's live alert board: the agency's alerts, newest first, as the hub lets it see
 * them, kept current by the live stream (use-alert-board.ts). HIGH and CRITICAL alerts that
 * arrive raise an alarm (alarm.ts); an alert that is withdrawn or no longer visible leaves the
 * board with a note saying so.
 */
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { AccessLine } from '../access/access';
import { t } from '../i18n';
import type { AlertFilter, RiskLevel, ThreatCategory } from '../gql/graphql';
import { useSession } from '../session/session';
import { PortTime } from '../time/port-time';
import { portLabel } from '../time/ports';
import {
  ALARMING,
  askNotificationPermission,
  notificationState,
  notify,
  playAlarm,
  saveSoundPreference,
  soundPreference,
  unlockSound,
} from './alarm';
import { Severity, statusText, vesselName } from './alert-text';
import { RISK_LEVELS, THREAT_CATEGORIES, categoryText, riskText } from '../i18n/vocabulary';
import { useAlertBoard, type BoardAlert } from './use-alert-board';
import './alerts.css';

const UN_LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;

interface Filters {
  port: string;
  minSeverity: RiskLevel | '';
  category: ThreatCategory | '';
}

function toAlertFilter(f: Filters): AlertFilter {
  return {
    ...(f.port ? { ports: [f.port] } : {}),
    ...(f.minSeverity ? { minSeverity: f.minSeverity } : {}),
    ...(f.category ? { categories: [f.category] } : {}),
  };
}

interface Withdrawn {
  id: string;
  title: string;
}

export function AlertBoard() {
  const { api, credentials, principal } = useSession();
  const [filters, setFilters] = useState<Filters>({ port: '', minSeverity: '', category: '' });
  const [withdrawn, setWithdrawn] = useState<Withdrawn[]>([]);
  const [sound, setSound] = useState(soundPreference);
  const [announcement, setAnnouncement] = useState('');
  const filter = useMemo(() => toAlertFilter(filters), [filters]);

  const published = useCallback(
    (alert: BoardAlert) => {
      if (!ALARMING.has(alert.severity)) return;
      setAnnouncement(t('alerts.new', { severity: riskText(alert.severity), title: alert.title }));
      if (sound) playAlarm(alert.severity);
      notify(
        t('alerts.alarm.notificationTitle', { severity: riskText(alert.severity), title: alert.title }),
        t('alerts.alarm.notificationBody', {
          vessel: t('alerts.vessel', { name: vesselName(alert), imo: alert.vessel.imo }),
          port: alert.port ? portLabel(alert.port) : t('common.none'),
        }),
        alert.id,
      );
    },
    [sound],
  );
  const revoked = useCallback((alert: BoardAlert) => setWithdrawn((w) => [...w, { id: alert.id, title: alert.title }]), []);
  const board = useAlertBoard(api, credentials, filter, { published, revoked });

  return (
    <>
      <h1>{t('alerts.title')}</h1>
      <p role="status" className={`live-state live-${board.connection}`} data-connection={board.connection}>
        {t(`alerts.live.${board.connection}`)}
      </p>
      <FilterForm ports={principal.agency.ports} onApply={setFilters} />
      <AlarmSettings
        sound={sound}
        onSound={(on) => {
          if (on) unlockSound();
          saveSoundPreference(on);
          setSound(on);
        }}
      />
      <div role="status" className="sr-only">
        {announcement}
      </div>
      {withdrawn.length > 0 && (
        <ul className="withdrawn-notes">
          {withdrawn.map((w) => (
            <li key={w.id} className="notice">
              <span role="alert">{t('alerts.revoked', { title: w.title })}</span>{' '}
              <button type="button" className="secondary" onClick={() => setWithdrawn((all) => all.filter((x) => x.id !== w.id))}>
                {t('alerts.dismiss')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {board.error && (
        <p role="alert" className="error">
          {t('common.error', { reason: board.error })}
        </p>
      )}
      <AlertTable alerts={board.alerts} />
    </>
  );
}

function FilterForm(props: { ports: readonly string[]; onApply: (f: Filters) => void }) {
  const [port, setPort] = useState('');
  const [minSeverity, setMinSeverity] = useState<Filters['minSeverity']>('');
  const [category, setCategory] = useState<Filters['category']>('');
  const [portError, setPortError] = useState(false);

  function apply(next: Partial<Filters>, e?: FormEvent) {
    e?.preventDefault();
    const f = { port, minSeverity, category, ...next };
    const code = f.port.trim().toUpperCase();
    if (code && !UN_LOCODE.test(code)) {
      setPortError(true);
      return;
    }
    setPortError(false);
    props.onApply({ ...f, port: code });
  }

  return (
    <form className="panel alert-filters" aria-label={t('alerts.filters')} onSubmit={(e) => apply({}, e)}>
      <div className="field">
        <label htmlFor="alert-filter-port">{t('alerts.filter.port')}</label>
        <input
          id="alert-filter-port"
          list="alert-filter-ports"
          value={port}
          maxLength={5}
          autoComplete="off"
          aria-describedby="alert-filter-port-help"
          aria-invalid={portError || undefined}
          onChange={(e) => setPort(e.target.value)}
          onBlur={() => apply({})}
        />
        <datalist id="alert-filter-ports">
          {props.ports.map((p) => (
            <option key={p} value={p}>
              {portLabel(p)}
            </option>
          ))}
        </datalist>
        <p id="alert-filter-port-help" className={portError ? 'error' : 'help'}>
          {portError ? t('alerts.filter.portInvalid') : t('alerts.filter.portHelp')}
        </p>
      </div>
      <div className="field">
        <label htmlFor="alert-filter-severity">{t('alerts.filter.minSeverity')}</label>
        <select
          id="alert-filter-severity"
          value={minSeverity}
          onChange={(e) => {
            const v = e.target.value as Filters['minSeverity'];
            setMinSeverity(v);
            apply({ minSeverity: v });
          }}
        >
          <option value="">{t('alerts.filter.any')}</option>
          {RISK_LEVELS.map((s) => (
            <option key={s} value={s}>
              {riskText(s)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="alert-filter-category">{t('alerts.filter.category')}</label>
        <select
          id="alert-filter-category"
          value={category}
          onChange={(e) => {
            const v = e.target.value as Filters['category'];
            setCategory(v);
            apply({ category: v });
          }}
        >
          <option value="">{t('alerts.filter.allCategories')}</option>
          {THREAT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryText(c)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

function AlarmSettings(props: { sound: boolean; onSound: (on: boolean) => void }) {
  const [permission, setPermission] = useState(notificationState);
  return (
    <section className="panel alarm-settings" aria-labelledby="alarm-heading">
      <h2 id="alarm-heading">{t('alerts.alarm.heading')}</h2>
      <label className="check" htmlFor="alarm-sound">
        <input id="alarm-sound" type="checkbox" checked={props.sound} onChange={(e) => props.onSound(e.target.checked)} />
        {t('alerts.alarm.sound')}
      </label>
      {permission === 'default' && (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            unlockSound();
            void askNotificationPermission().then(setPermission);
          }}
        >
          {t('alerts.alarm.notify')}
        </button>
      )}
      {permission === 'granted' && <p className="help">{t('alerts.alarm.notifyOn')}</p>}
      {permission === 'denied' && <p className="help">{t('alerts.alarm.notifyBlocked')}</p>}
      {permission === 'unsupported' && <p className="help">{t('alerts.alarm.notifyUnsupported')}</p>}
    </section>
  );
}

function AlertTable({ alerts }: { alerts: BoardAlert[] }) {
  if (alerts.length === 0) return <p className="help">{t('alerts.empty')}</p>;
  return (
    <div className="alert-table-wrap">
      <table className="alert-table">
        <caption>
          {t('alerts.tableCaption')} <span className="help">({t('alerts.count', { count: alerts.length })})</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('alerts.col.severity')}</th>
            <th scope="col">{t('alerts.col.title')}</th>
            <th scope="col">{t('alerts.col.vessel')}</th>
            <th scope="col">{t('alerts.col.port')}</th>
            <th scope="col">{t('alerts.col.issued')}</th>
            <th scope="col">{t('alerts.col.status')}</th>
            <th scope="col">{t('alerts.col.access')}</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id} data-alert-id={a.id}>
              <td>
                <Severity level={a.severity} />
              </td>
              <th scope="row">
                <Link href={`/alerts/${encodeURIComponent(a.id)}`}>{a.title}</Link>
                <br />
                <small className="help">{categoryText(a.category)}</small>
              </th>
              <td>{t('alerts.vessel', { name: vesselName(a), imo: a.vessel.imo })}</td>
              <td>{a.port ? portLabel(a.port) : t('common.none')}</td>
              <td>
                <PortTime at={a.issuedAt} port={a.port} />
              </td>
              <td>{statusText(a.status)}</td>
              <td>
                <AccessLine tlp={a.tlp} access={a.access} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
