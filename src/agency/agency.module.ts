import type { FeatureModule } from '../request/module';
import { every, isAuthenticated } from '../request/rules';
import { AgencyResolver } from './agency.resolver';
import { findAgency } from './agency.service';
import { AgreementResolver } from './agreement.resolver';

/** The membership as members see it: agencies, the caller itself, and the agreements it is party to. */
export const agencyModule: FeatureModule = {
  name: 'agency',
  resolvers: [AgencyResolver, AgreementResolver],
  codeKeyed: ['Agency'],
  nodes: {
    Agency: async (ctx, _id, code) => findAgency(ctx.policy, code),
  },
  rules: {
    Query: every(['me', 'agencies', 'agreements'], isAuthenticated),
    // Reference data every authenticated member reads.
    Agency: every(['id', 'code', 'name', 'kind', 'country', 'ports', 'departedOn'], isAuthenticated),
    Principal: every(['subject', 'agency', 'roles', 'purpose'], isAuthenticated),
    SharingAgreement: every(
      [
        'id',
        'provider',
        'recipients',
        'types',
        'jurisdictions',
        'maxTlp',
        'fields',
        'purposes',
        'purpose',
        'validFrom',
        'validUntil',
        'active',
      ],
      isAuthenticated,
    ),
  },
};
