import type { FeatureModule } from '../request/module';
import { every, isAuthenticated } from '../request/rules';
import { AgencyResolver } from './agency.resolver';
import { AgencyType } from './agency.type';
import { AgreementResolver } from './agreement.resolver';

/** The membership as members see it: agencies, the caller itself, and the agreements it is party to. */
export const agencyModule: FeatureModule = {
  name: 'agency',
  resolvers: [AgencyResolver, AgreementResolver],
  codeKeyed: ['Agency'],
  nodes: {
    Agency: async (ctx, _id, code) => {
      const agency = ctx.policy.agencies.get(code);
      return agency ? AgencyType.of(agency) : null;
    },
  },
  rules: {
    Query: every(['me', 'agencies', 'agreements'], isAuthenticated),
    // Reference data every authenticated member reads.
    Agency: every(['id', 'code', 'name', 'kind', 'country', 'ports'], isAuthenticated),
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
