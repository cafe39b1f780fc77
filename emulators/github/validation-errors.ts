import {
  FieldsOnCorrectTypeRule,
  isUnionType,
  Kind,
  KnownArgumentNamesRule,
  KnownFragmentNamesRule,
  KnownTypeNamesRule,
  NoUndefinedVariablesRule,
  NoUnusedFragmentsRule,
  NoUnusedVariablesRule,
  PossibleFragmentSpreadsRule,
  print,
  ProvidedRequiredArgumentsRule,
  ScalarLeafsRule,
  specifiedRules,
  validate,
  ValuesOfCorrectTypeRule,
  VariablesAreInputTypesRule,
  VariablesInAllowedPositionRule,
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type SelectionNode,
  type SourceLocation,
  type ValidationRule,
} from 'graphql';
import type { GitHubGraphQLError } from './github-errors.ts';
import { annotateDocument, type Facts } from './validation-facts.ts';

/**
 * Validates a document with graphql-js's rules (the GraphQL spec's, which graphql-ruby also implements)
 * and reports the failures the way GitHub, a graphql-ruby server, words them: `Field 'x' doesn't exist
 * on type 'User'` with `path` (`["query Q", "user", "x"]`) and `extensions.code` (`undefinedField`).
 * Rules without a translation here keep graphql-js's message, with GitHub's path.
 */
export function validateLikeGitHub(schema: GraphQLSchema, document: DocumentNode): GitHubGraphQLError[] {
  if (validate(schema, document).length === 0) return [];
  const facts = annotateDocument(schema, document);
  // Re-run rule by rule, only on failure: graphql-js errors do not say which rule raised them.
  const errors = specifiedRules.flatMap((rule) => translate(rule, validate(schema, document, [rule]), { facts, schema }));
  return errors.sort((a, b) => compareLocations(a.locations?.[0], b.locations?.[0]));
}

interface Context {
  facts: Facts;
  schema: GraphQLSchema;
}

type Translator = (errors: readonly GraphQLError[], context: Context) => GitHubGraphQLError[];


const TRANSLATORS = new Map<ValidationRule, Translator>([
  [FieldsOnCorrectTypeRule, each(undefinedField)],
  [KnownArgumentNamesRule, each(argumentNotAccepted)],
  [ProvidedRequiredArgumentsRule, missingRequiredArguments],
  [ScalarLeafsRule, each(selectionMismatch)],
  [ValuesOfCorrectTypeRule, each(invalidValue)],
  [NoUnusedVariablesRule, each(variableNotUsed)],
  [NoUndefinedVariablesRule, each(variableNotDefined)],
  [VariablesInAllowedPositionRule, each(variableMismatch)],
  [VariablesAreInputTypesRule, each(variableRequiresInputType)],
  [KnownTypeNamesRule, each(undefinedType)],
  [KnownFragmentNamesRule, each(fragmentNotDefined)],
  [NoUnusedFragmentsRule, each(fragmentNotUsed)],
  [PossibleFragmentSpreadsRule, each(cannotSpreadFragment)],
]);

function translate(rule: ValidationRule, errors: readonly GraphQLError[], context: Context): GitHubGraphQLError[] {
  if (errors.length === 0) return [];
  return (TRANSLATORS.get(rule) ?? each(untranslated))(errors, context);
}

function each(one: (error: GraphQLError, context: Context) => GitHubGraphQLError): Translator {
  return (errors, context) => errors.map((error) => one(error, context));
}

function untranslated(error: GraphQLError, { facts }: Context): GitHubGraphQLError {
  const node = error.nodes?.[0];
  return staticError(error.message, error.locations ? [...error.locations] : [], node ? facts.get(node)?.path : undefined);
}

function undefinedField(error: GraphQLError, context: Context): GitHubGraphQLError {
  const { facts, schema } = context;
  const field = error.nodes?.[0];
  if (field?.kind !== Kind.FIELD) return untranslated(error, context);
  const typeName = quoted(error.message, /on type "([^"]+)"/);
  const path = facts.get(field)?.path;
  if (isUnionType(schema.getType(typeName))) {
    return staticError(`Selections can't be made directly on unions (see selections on ${typeName})`, locationsOf(field), path, {
      code: 'selectionMismatch',
      nodeName: typeName,
    });
  }
  return staticError(`Field '${field.name.value}' doesn't exist on type '${typeName}'`, locationsOf(field), path, {
    code: 'undefinedField',
    typeName,
    fieldName: field.name.value,
  });
}

function argumentNotAccepted(error: GraphQLError, context: Context): GitHubGraphQLError {
  const { facts } = context;
  const argument = error.nodes?.[0];
  if (argument?.kind !== Kind.ARGUMENT) return untranslated(error, context);
  const fact = facts.get(argument);
  const owner = fact?.owner ?? { kind: 'Field', name: '' };
  return staticError(`${owner.kind} '${owner.name}' doesn't accept argument '${argument.name.value}'`, locationsOf(argument), fact?.path, {
    code: 'argumentNotAccepted',
    name: owner.name,
    typeName: owner.kind,
    argumentName: argument.name.value,
  });
}

/** graphql-js reports each missing argument; graphql-ruby lists them in one error per field. */
function missingRequiredArguments(errors: readonly GraphQLError[], { facts }: Context): GitHubGraphQLError[] {
  const byNode = new Map<ASTNode, string[]>();
  for (const error of errors) {
    const node = error.nodes?.[0];
    if (node) byNode.set(node, [...(byNode.get(node) ?? []), quoted(error.message, /argument "([^"]+)"/)]);
  }
  return [...byNode].map(([node, names]) => {
    const kind = node.kind === Kind.DIRECTIVE ? 'Directive' : 'Field';
    const name = node.kind === Kind.FIELD || node.kind === Kind.DIRECTIVE ? node.name.value : '';
    return staticError(`${kind} '${name}' is missing required arguments: ${names.join(', ')}`, locationsOf(node), facts.get(node)?.path, {
      code: 'missingRequiredArguments',
      className: kind,
      name,
      arguments: names.join(', '),
    });
  });
}

/** graphql-js reports a field without selections, or the selection set of a leaf field. */
function selectionMismatch(error: GraphQLError, context: Context): GitHubGraphQLError {
  const { facts } = context;
  const node = error.nodes?.[0];
  const field = node?.kind === Kind.SELECTION_SET ? facts.get(node)?.field : node;
  if (field?.kind !== Kind.FIELD) return untranslated(error, context);
  const name = field.name.value;
  const typeName = unwrapTypeName(quoted(error.message, /type "([^"]+)"/));
  const extensions = { code: 'selectionMismatch', nodeName: `field '${name}'`, typeName };
  const path = facts.get(field)?.path;
  if (error.message.includes('must not have a selection')) {
    const selections = (field.selectionSet?.selections ?? []).map(describeSelection).join(', ');
    const message = `Selections can't be made on scalars (field '${name}' returns ${typeName} but has selections [${selections}])`;
    return staticError(message, locationsOf(field), path, extensions);
  }
  return staticError(
    `Field must have selections (field '${name}' returns ${typeName} but has no selections. Did you mean '${name} { ... }'?)`,
    locationsOf(field),
    path,
    extensions,
  );
}

function invalidValue(error: GraphQLError, context: Context): GitHubGraphQLError {
  const { facts } = context;
  const node = error.nodes?.[0];
  const fact = node ? facts.get(node) : undefined;
  const missing = /Field "([^".]+)\.([^"]+)" of required type "([^"]+)" was not provided/.exec(error.message);
  if (missing) {
    const [, inputObjectType = '', argumentName = '', argumentType = ''] = missing;
    const enclosing = fact?.enclosing;
    return staticError(
      `Argument '${argumentName}' on InputObject '${inputObjectType}' is required. Expected type ${argumentType}`,
      locationsOf(enclosing ?? node),
      enclosing ? facts.get(enclosing)?.path : fact?.path,
      { code: 'missingRequiredInputObjectAttribute', argumentName, argumentType, inputObjectType },
    );
  }
  const unknown = /Field "([^"]+)" is not defined by type "([^"]+)"/.exec(error.message);
  if (unknown) {
    const [, argumentName = '', typeName = ''] = unknown;
    return staticError(`InputObject '${typeName}' doesn't accept argument '${argumentName}'`, locationsOf(node), fact?.path, {
      code: 'argumentNotAccepted',
      name: typeName,
      typeName: 'InputObject',
      argumentName,
    });
  }
  const argument = node && (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) ? node : fact?.enclosing;
  const argumentFact = argument ? facts.get(argument) : undefined;
  if (!argument || !argumentFact?.owner) return untranslated(error, context);
  const { owner } = argumentFact;
  return staticError(
    `Argument '${argument.name.value}' on ${owner.kind} '${owner.name}' has an invalid value (${print(argument.value)}). Expected type '${argumentFact.type ?? ''}'.`,
    locationsOf(owner.node),
    argumentFact.path,
    { code: 'argumentLiteralsIncompatible', typeName: owner.kind, argumentName: argument.name.value },
  );
}

function variableNotUsed(error: GraphQLError, { facts }: Context): GitHubGraphQLError {
  const definition = error.nodes?.[0];
  const operation = definition ? facts.get(definition)?.operation : undefined;
  const variableName = quoted(error.message, /Variable "\$([^"]+)"/);
  return staticError(
    `Variable $${variableName} is declared by ${operation?.name?.value ?? ''} but not used`,
    locationsOf(operation),
    operation ? facts.get(operation)?.path : undefined,
    { code: 'variableNotUsed', variableName },
  );
}

function variableNotDefined(error: GraphQLError, { facts }: Context): GitHubGraphQLError {
  const [usage, operation] = error.nodes ?? [];
  const variableName = quoted(error.message, /Variable "\$([^"]+)"/);
  const operationName = operation?.kind === Kind.OPERATION_DEFINITION ? (operation.name?.value ?? '') : '';
  return staticError(`Variable $${variableName} is used by ${operationName} but not declared`, locationsOf(usage), usage ? facts.get(usage)?.path : undefined, {
    code: 'variableNotDefined',
    variableName,
  });
}

function variableMismatch(error: GraphQLError, context: Context): GitHubGraphQLError {
  const { facts } = context;
  const usage = error.nodes?.[1] ?? error.nodes?.[0];
  const match = /Variable "\$([^"]+)" of type "([^"]+)" used in position expecting type "([^"]+)"/.exec(error.message);
  const argument = usage ? facts.get(usage)?.enclosing : undefined;
  if (!match || !argument) return untranslated(error, context);
  const [, variableName = '', variableType = '', argumentType = ''] = match;
  const problem =
    unwrapTypeName(variableType) !== unwrapTypeName(argumentType)
      ? 'Type mismatch'
      : listDepth(variableType) !== listDepth(argumentType)
        ? 'List dimension mismatch'
        : 'Nullability mismatch';
  return staticError(
    `${problem} on variable $${variableName} and argument ${argument.name.value} (${variableType} / ${argumentType})`,
    locationsOf(argument),
    facts.get(argument)?.path,
    { code: 'variableMismatch', variableName, typeName: variableType, argumentName: argument.name.value, errorMessage: problem },
  );
}

function variableRequiresInputType(error: GraphQLError, { facts }: Context): GitHubGraphQLError {
  const [, variableName = '', typeName = ''] = /Variable "\$([^"]+)" cannot be non-input type "([^"]+)"/.exec(error.message) ?? [];
  const node = error.nodes?.[0];
  const operation = node ? facts.get(node)?.operation : undefined;
  return staticError(`${typeName} isn't a valid input type (on $${variableName})`, locationsOf(node), operation ? facts.get(operation)?.path : undefined, {
    code: 'variableRequiresValidType',
    typeName,
    variableName,
  });
}

function undefinedType(error: GraphQLError, { facts }: Context): GitHubGraphQLError {
  const node = error.nodes?.[0];
  const fact = node ? facts.get(node) : undefined;
  const typeName = quoted(error.message, /Unknown type "([^"]+)"/);
  if (fact?.variable !== undefined) {
    const operation = fact.operation;
    return staticError(`${typeName} isn't a defined input type (on $${fact.variable})`, locationsOf(node), operation ? facts.get(operation)?.path : undefined, {
      code: 'variableRequiresValidType',
      typeName,
      variableName: fact.variable,
    });
  }
  const fragment = fact?.fragment;
  return staticError(`No such type ${typeName}, so it can't be a fragment condition`, locationsOf(fragment ?? node), fragment ? facts.get(fragment)?.path : fact?.path, {
    code: 'undefinedType',
    typeName,
  });
}

function fragmentNotDefined(error: GraphQLError, { facts }: Context): GitHubGraphQLError {
  const spread = error.nodes?.[0];
  const fragmentName = quoted(error.message, /Unknown fragment "([^"]+)"/);
  return staticError(`Fragment ${fragmentName} was used, but not defined`, locationsOf(spread), spread ? facts.get(spread)?.path : undefined, {
    code: 'useAndDefineFragment',
    fragmentName,
  });
}

function fragmentNotUsed(error: GraphQLError, { facts }: Context): GitHubGraphQLError {
  const definition = error.nodes?.[0];
  const fragmentName = quoted(error.message, /Fragment "([^"]+)"/);
  return staticError(`Fragment ${fragmentName} was defined, but not used`, locationsOf(definition), definition ? facts.get(definition)?.path : undefined, {
    code: 'useAndDefineFragment',
    fragmentName,
  });
}

function cannotSpreadFragment(error: GraphQLError, context: Context): GitHubGraphQLError {
  const { facts } = context;
  const match = /Fragment (?:"([^"]+)" )?cannot be spread here as objects of type "([^"]+)" can never be of type "([^"]+)"/.exec(error.message);
  if (!match) return untranslated(error, context);
  const [, name, parentName = '', typeName = ''] = match;
  const node = error.nodes?.[0];
  const label = name ? ` ${name}` : '';
  return staticError(`Fragment${label} on ${typeName} can't be spread inside ${parentName}`, locationsOf(node), node ? facts.get(node)?.path : undefined, {
    code: 'cannotSpreadFragment',
    typeName,
    fragmentName: label || 'unknown',
    parentName,
  });
}

function staticError(message: string, locations: SourceLocation[], path: string[] | undefined, extensions?: Record<string, unknown>): GitHubGraphQLError {
  return { message, locations, ...(path ? { path } : {}), ...(extensions ? { extensions } : {}) };
}

function locationsOf(node: ASTNode | undefined): SourceLocation[] {
  const start = node?.loc?.startToken;
  return start ? [{ line: start.line, column: start.column }] : [];
}

function quoted(message: string, pattern: RegExp): string {
  return pattern.exec(message)?.[1] ?? '';
}

/** `[Repository!]!` → `Repository`. */
function unwrapTypeName(type: string): string {
  return type.replace(/[[\]!]/g, '');
}

function listDepth(type: string): number {
  return (type.match(/\[/g) ?? []).length;
}

function describeSelection(selection: SelectionNode): string {
  switch (selection.kind) {
    case Kind.INLINE_FRAGMENT:
      return `"... on ${selection.typeCondition?.name.value ?? ''} { ... }"`;
    default:
      return `"${selection.name.value}"`;
  }
}

function compareLocations(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  return (a?.line ?? 0) - (b?.line ?? 0) || (a?.column ?? 0) - (b?.column ?? 0);
}
