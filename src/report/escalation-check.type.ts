import { Field, ObjectType } from 'type-graphql';

@ObjectType('EscalationTextProblem', { description: 'An alert text field escalateReport would refuse, and why' })
export class EscalationTextProblem {
  @Field({ description: 'The input field, as escalateReport names it (input.title, input.description, input.intelligenceSummary)' })
  field: string;
  @Field({ description: "escalateReport's refusal, naming the field only" })
  message: string;
}
