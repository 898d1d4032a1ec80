/**
 * The probes. GET /healthz (liveness): the process serves HTTP; it asks nothing of the database,
 * so an outage of PostgreSQL never gets a healthy hub restarted. GET /readyz (readiness; /health
 * is its alias): may this instance take traffic? The database answers, every migration this
 * build knows is applied, a policy set is loaded, and the alert stream is listening for new
 * events. One statement, bounded in time, so a busy pool answers "not ready" rather than
 * leaving the probe waiting. 503 names the failing check.
 */
import type { DataSource } from 'typeorm';
import type { PolicyStore } from '../request/policy-store';

const CHECK_TIMEOUT_MS = 2000;

type Check = 'ok' | 'failed';

export async function readiness(
  db: DataSource,
  policies: PolicyStore,
  alertStreamListening: () => boolean,
): Promise<{ ready: boolean; checks: Record<string, Check> }> {
  const expected = db.migrations.map((m) => m.name ?? m.constructor.name);
  let timer: NodeJS.Timeout | undefined;
  const applied = await Promise.race([
    db
      .query('SELECT count(*)::int AS n FROM migrations WHERE name = ANY($1)', [expected])
      .then((rows: { n: number }[]) => rows[0].n)
      .catch(() => null),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), CHECK_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  const checks: Record<string, Check> = {
    database: applied === null ? 'failed' : 'ok',
    migrations: applied === expected.length ? 'ok' : 'failed',
    policies: policies.current.policy ? 'ok' : 'failed',
    alertStream: alertStreamListening() ? 'ok' : 'failed',
  };
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
}
