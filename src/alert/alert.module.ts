import type { FeatureModule } from '../request/module';
import { canPublish, every, isAuthenticated } from '../request/rules';
import { AlertSubscriptionResolver } from './alert-subscription.resolver';
import { VesselAlertResolver, VesselAlertsResolver } from './alert.resolver';
import { findAlert, visibleAlerts } from './alert.service';
import { vesselsReferencedBy } from '../request/authorize';
import { VesselAlert } from './vessel-alert.entity';

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
    // The event envelope; its `alert` is a VesselAlert with that type's own field rules.
    AlertEvent: every(['sequence', 'kind', 'alertId', 'alert'], isAuthenticated),
  },
  connections: ['VesselAlert'],
  agencyColumns: [{ table: 'vessel_alerts', column: 'owner_agency', record: 'VesselAlert', id: 'id' }],
  vesselMentions: (ctx, vesselIds) => vesselsReferencedBy(visibleAlerts(ctx), 'a', vesselIds),
};
