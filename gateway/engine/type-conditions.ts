import { isAbstractType, isObjectType, type GraphQLSchema } from 'graphql';

/** Whether an object of runtime type `typename` matches a type condition, memoized (it runs per entity). */
export type TypeConditionCheck = (typename: unknown, condition: string) => boolean;

export function typeConditionCheck(schema: GraphQLSchema): TypeConditionCheck {
  const memo = new Map<string, boolean>();
  return (typename, condition) => {
    if (typeof typename !== 'string') return false;
    if (typename === condition) return true;
    const key = `${typename}\u0000${condition}`;
    let answer = memo.get(key);
    if (answer === undefined) {
      const type = schema.getType(typename);
      const conditionType = schema.getType(condition);
      answer = isObjectType(type) && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
      memo.set(key, answer);
    }
    return answer;
  };
}
