import { Field, InputType } from 'type-graphql';
import { AlertFilter } from '../alert/alert-filter';

@InputType()
export class RegisterWebhookInput {
  @Field({ description: 'HTTPS URL of the receiver; it must resolve to public addresses only' }) url: string;
  @Field(() => AlertFilter, { nullable: true, description: 'The same filter as the vesselAlerts subscription' })
  filter?: AlertFilter | null;
  @Field(() => String, { nullable: true }) description?: string | null;
}
