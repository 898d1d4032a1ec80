import type { FeatureModule } from '../request/module';
import { every, isAuthenticated } from '../request/rules';

/**
 * What every shareable type has in common (ShareableEntity, ShareableResolver): the `access`
 * object, which only describes the caller's own view of a record it already sees.
 */
export const shareableModule: FeatureModule = {
  name: 'shareable',
  resolvers: [],
  rules: { Access: every(['basis', 'agreementId', 'redactedFields'], isAuthenticated) },
};
