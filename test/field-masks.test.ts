/**
 * RecordAccess asks the engine's fieldVerdict once per mask (records decided alike) instead of
 * once per field of every row: the verdict it gives must be the engine's for every record and
 * field, whatever records share a mask (property test over the demo policy set).
 */
import path from 'node:path';
import fc from 'fast-check';
import { decideRead, fieldVerdict } from '../src/policy/engine';
import { loadPolicies } from '../src/policy/load';
import { SHAREABLE_TYPES, TLP_LEVELS, PURPOSES, type Principal, type ShareableRecord } from '../src/policy/types';
import { RecordAccess } from '../src/request/record-access';

const policy = loadPolicies(path.resolve(__dirname, '../policies'));
const CODES = [...policy.agencies.keys()];
const NOW = new Date();

test("a mask's verdict is the engine's fieldVerdict for every record and field", () => {
  const recordArb = fc.record<ShareableRecord>({
    ownerAgency: fc.constantFrom(...CODES),
    tlp: fc.constantFrom(...TLP_LEVELS),
    jurisdiction: fc.constantFrom('NL', 'BE', 'DE', 'FR', 'ES', 'NO'),
    recipients: fc.uniqueArray(fc.constantFrom(...CODES), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(
      fc.constantFrom(...CODES),
      fc.option(fc.constantFrom(...PURPOSES), { nil: undefined }),
      fc.constantFrom(...SHAREABLE_TYPES),
      fc.array(recordArb, { minLength: 1, maxLength: 12 }),
      (code, purpose, type, records) => {
        const principal: Principal = {
          subject: 'prop',
          agency: policy.agencies.get(code)!,
          roles: ['analyst'],
          purpose,
          issuer: 'test',
          expiresAt: 0,
        };
        const access = new RecordAccess(policy, principal, NOW);
        const classes = policy.fields[type];
        const fields = [...classes.core, ...(classes.owner ?? []), ...classes.sensitive, 'notClassed'];
        for (const record of records) {
          const view = access.view(type, { ...record });
          const decision = decideRead(policy, principal, type, record, NOW);
          for (const field of fields) expect(access.fieldVerdict(type, view, field)).toEqual(fieldVerdict(policy, type, field, decision));
        }
      },
    ),
    { numRuns: 300 },
  );
});
