import type { FeatureModule } from '../request/module';
import { capability, every, isAuthenticated } from '../request/rules';
import { Revocation } from './revocation.entity';
import { RevocationResolver } from './revocation.resolver';

/** Revoking tokens and subjects: the agency's auditors, for their own agency (the engine's manageRevocations). */
const canManageRevocations = capability((ctx) => ({ kind: 'manageRevocations', agency: ctx.principal.agency.code }));

/** Revoked tokens and subjects, kept by each agency's auditors and refused by every instance. */
export const revocationModule: FeatureModule = {
  name: 'revocation',
  resolvers: [RevocationResolver],
  entities: [Revocation],
  rules: {
    Query: { revocations: canManageRevocations },
    Mutation: every(['revokeToken', 'revokeSubject'], canManageRevocations),
    // Reached only through the query and mutations above, which admit the agency's own rows only.
    Revocation: every(['id', 'kind', 'value', 'reason', 'until', 'revokedBy', 'createdAt'], isAuthenticated),
  },
  connections: ['Revocation'],
  agencyColumns: [{ table: 'revocations', column: 'agency', record: 'revocation', id: 'id' }],
};
