import {
  getNamedType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type ObjectFieldNode,
  type OperationDefinitionNode,
} from 'graphql';

/** What validation messages need to know about a node beyond the node itself. */
export interface NodeFacts {
  /** graphql-ruby's path: `query Name`, then response keys, fragments and argument names. */
  path: string[];
  /** For arguments and input-object fields: what takes them, as graphql-ruby names it. */
  owner?: { kind: 'Field' | 'Directive' | 'InputObject'; name: string; node: ASTNode };
  /** For arguments and input-object fields: their declared type (`String!`). */
  type?: string;
  /** For values: the argument or input-object field they are (part of). */
  enclosing?: ArgumentNode | ObjectFieldNode;
  operation?: OperationDefinitionNode;
  /** For type names: the variable being declared with it, if any. */
  variable?: string;
  /** For type names: the fragment or inline fragment conditioned on it, if any. */
  fragment?: ASTNode;
  /** For selection sets: the field they select from, if any. */
  field?: FieldNode;
}

export type Facts = Map<ASTNode, NodeFacts>;

/** One pass over a document (with type information) recording the NodeFacts of every node. */
export function annotateDocument(schema: GraphQLSchema, document: DocumentNode): Facts {
  const facts: Facts = new Map();
  const typeInfo = new TypeInfo(schema);
  const path: string[] = [];
  const owners: NodeFacts['owner'][] = [];
  const enclosing: (ArgumentNode | ObjectFieldNode)[] = [];
  let operation: OperationDefinitionNode | undefined;
  let variable: string | undefined;
  let fragment: ASTNode | undefined;

  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node, _key, parent) {
        const segment = pathSegment(node);
        if (segment !== undefined) path.push(segment);
        const fact: NodeFacts = { path: [...path], operation, variable, fragment, enclosing: enclosing.at(-1) };
        switch (node.kind) {
          case Kind.OPERATION_DEFINITION:
            operation = node;
            fact.operation = node;
            break;
          case Kind.VARIABLE_DEFINITION:
            variable = node.variable.name.value;
            break;
          case Kind.FRAGMENT_DEFINITION:
          case Kind.INLINE_FRAGMENT:
            fragment = node;
            fact.fragment = node;
            break;
          case Kind.FIELD:
            owners.push({ kind: 'Field', name: node.alias?.value ?? node.name.value, node });
            break;
          case Kind.SELECTION_SET:
            if (isField(parent)) fact.field = parent;
            break;
          case Kind.DIRECTIVE:
            owners.push({ kind: 'Directive', name: node.name.value, node });
            break;
          case Kind.ARGUMENT:
            fact.owner = owners.at(-1);
            fact.type = String(typeInfo.getInputType() ?? '');
            enclosing.push(node);
            break;
          case Kind.OBJECT_FIELD: {
            const parentType = typeInfo.getParentInputType();
            fact.owner = { kind: 'InputObject', name: parentType ? getNamedType(parentType).name : '', node };
            fact.type = String(typeInfo.getInputType() ?? '');
            enclosing.push(node);
            break;
          }
        }
        facts.set(node, fact);
      },
      leave(node) {
        if (pathSegment(node) !== undefined) path.pop();
        switch (node.kind) {
          case Kind.OPERATION_DEFINITION:
            operation = undefined;
            break;
          case Kind.VARIABLE_DEFINITION:
            variable = undefined;
            break;
          case Kind.FRAGMENT_DEFINITION:
          case Kind.INLINE_FRAGMENT:
            fragment = undefined;
            break;
          case Kind.FIELD:
          case Kind.DIRECTIVE:
            owners.pop();
            break;
          case Kind.ARGUMENT:
          case Kind.OBJECT_FIELD:
            enclosing.pop();
            break;
        }
      },
    }),
  );
  return facts;
}

/** How graphql-ruby names a node in an error's `path`. */
function pathSegment(node: ASTNode): string | undefined {
  switch (node.kind) {
    case Kind.OPERATION_DEFINITION:
      return `${node.operation}${node.name ? ` ${node.name.value}` : ''}`;
    case Kind.FRAGMENT_DEFINITION:
      return `fragment ${node.name.value}`;
    case Kind.INLINE_FRAGMENT:
      return `...${node.typeCondition ? ` on ${node.typeCondition.name.value}` : ''}`;
    case Kind.FRAGMENT_SPREAD:
      return `... ${node.name.value}`;
    case Kind.FIELD:
      return node.alias?.value ?? node.name.value;
    case Kind.ARGUMENT:
    case Kind.OBJECT_FIELD:
      return node.name.value;
    default:
      return undefined;
  }
}

function isField(node: unknown): node is FieldNode {
  return typeof node === 'object' && node !== null && (node as { kind?: unknown }).kind === Kind.FIELD;
}
