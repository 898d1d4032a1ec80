import { rule } from 'graphql-shield';
import { decide } from '../policy/engine';
import type { RequestContext } from '../request/context';
import type { FeatureModule } from '../request/module';
import { canPublish, denied, every, isAuthenticated } from '../request/rules';
import type { AlertTransition } from './alert-transition.type';
import { AlertSubscriptionResolver } from './alert-subscription.resolver';
import { VesselAlertResolver, VesselAlertsResolver } from './alert.resolver';
import { findAlert, visibleAlerts } from './alert.service';
import { vesselsReferencedBy } from '../request/authorize';
import { VesselAlert } from './vessel-alert.entity';

/**
 * An alert transition's actor and note: for the alert's owning agency only (the engine's
 * readAlertNotes). Partners that see the alert see its status changes and their times.
 */
const ownerNotes = rule({ cache: 'no_cache' })((parent: AlertTransition, _a, ctx: RequestContext, info) => {
  const d = decide(ctx.policy, ctx.principal, { kind: 'readAlertNotes', record: parent.alert }, ctx.access.now);
  return d.allowed || denied('FIELD', `AlertTransition.${info.fieldName} is withheld: ${d.reason}`, info);
});

/** Vessel alerts, their durable ordered log and its live subscription. */
export const alertModule: FeatureModule = {
  name: 'alert',
  resolvers: [VesselAlertResolver, VesselAlertsResolver, AlertSubscriptionResolver],
  entities: [VesselAlert],
  nodes: { VesselAlert: (ctx, id) => findAlert(ctx, id) },
  rules: {
    Query: every(['alerts', 'alert'], isAuthenticated),
    Mutation: every(['publishAlert', 'updateAlertStatus'], canPublish),
    // Each event is checked against the subscriber by the policy engine in the alert feed.
    Subscription: { vesselAlerts: isAuthenticated },
    // A filtered list, like every list of alerts.
    Vessel: { alerts: isAuthenticated },
    GeoPoint: every(['lat', 'lon'], isAuthenticated),
    // Parts of VesselAlert.detection, a field of the (already checked) alert.
    AlertDetection: every(['rule', 'feed', 'observedAt', 'explanation', 'evidence'], isAuthenticated),
    DetectionEvidence: every(['at', 'lat', 'lon', 'sog', 'cog'], isAuthenticated),
    // A history is a core field of the (already checked) alert; who changed it and why is not.
    AlertTransition: { ...every(['status', 'at'], isAuthenticated), actor: ownerNotes, note: ownerNotes },
    // The event envelope; its `alert` is a VesselAlert with that type's own field rules.
    AlertEvent: every(['sequence', 'kind', 'alertId', 'alert'], isAuthenticated),
  },
  connections: ['VesselAlert'],
  agencyColumns: [{ table: 'vessel_alerts', column: 'owner_agency', record: 'VesselAlert', id: 'id' }],
  vesselMentions: (ctx, vesselIds) => vesselsReferencedBy(visibleAlerts(ctx), 'a', vesselIds),
};
