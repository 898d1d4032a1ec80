/** Fields every shareable type exposes the same way: its id, its owner and what the caller sees. */
import { ClassType, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { AgencyType } from '../agency/agency.type';
import { agencyByCode } from '../agency/agency.service';
import { toGlobalId } from '../graphql/ids';
import type { RequestContext } from '../request/context';
import { AccessType } from './access.type';
import type { ShareableEntity } from './shareable.entity';
import type { ShareableType } from '../policy/types';

export function ShareableResolver<T extends ShareableEntity>(entity: ClassType<T>, type: ShareableType) {
  @Resolver(() => entity)
  abstract class ShareableFields {
    @FieldResolver(() => ID)
    id(@Root() record: T): string {
      return toGlobalId(type, record.id);
    }

    @FieldResolver(() => AgencyType)
    ownerAgency(@Root() record: T, @Ctx() ctx: RequestContext): AgencyType {
      return agencyByCode(ctx.policy, record.ownerAgency);
    }

    @FieldResolver(() => AccessType, { description: 'Why the caller sees this record and which fields are withheld' })
    access(@Root() record: T, @Ctx() ctx: RequestContext): AccessType {
      const view = ctx.access.view(type, record);
      return { basis: view.decision.basis ?? 'REFERENCED', agreementId: view.decision.agreementId ?? null, redactedFields: view.redacted };
    }
  }
  return ShareableFields;
}
