import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: every object with a global id can be fetched again with `node(id)`. */
@InterfaceType('Node', {
  resolveType: (value: object) => (value.constructor.name === 'AgencyType' ? 'Agency' : value.constructor.name),
})
export abstract class Node {
  @Field(() => ID) id: string;
}
