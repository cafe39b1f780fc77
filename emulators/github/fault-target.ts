import { getOperationAST, Kind, parse } from 'graphql';

/**
 * What fault injection knows a GraphQL request by: `POST /graphql` (its counted operation) plus
 * `mutation <field>` for each root field of a mutation (`mutation addStar`), and whether it writes (is a
 * mutation). Anything that does not parse is just `POST /graphql`, a read; the API refuses it later.
 */
export function graphqlFaultTarget(body: string): { operations: string[]; write: boolean } {
  const operations = ['POST /graphql'];
  try {
    const { query, operationName } = JSON.parse(body) as { query?: unknown; operationName?: unknown };
    if (typeof query !== 'string') return { operations, write: false };
    const name = typeof operationName === 'string' && operationName !== '' ? operationName : undefined;
    const operation = getOperationAST(parse(query), name);
    if (operation?.operation !== 'mutation') return { operations, write: false };
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind === Kind.FIELD) operations.push(`mutation ${selection.name.value}`);
    }
    return { operations, write: true };
  } catch {
    return { operations, write: false };
  }
}
