import {
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  Kind,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * The demand control directives of Apollo Federation 2.9 (`@cost`, `@listSize`, the cost spec
 * https://specs.apollo.dev/cost/v0.1), read once per served schema for operation-cost.ts.
 *
 * Composition (@theguild/federation-composition, Apollo's too) keeps them in the supergraph, with
 * `@link(url: "https://specs.apollo.dev/cost/v0.1")`, but the API schema the gateway serves (the query
 * planner's consumer schema) has none of them: serve-supergraph.ts hands the supergraph's AST over with
 * `useCostDirectives`. A schema built from SDL that carries them (tests) is read from its own AST.
 */

/** What a field's directives say, for the estimate; absent parts keep the gateway's own heuristics. */
export interface FieldCost {
  /** `@cost` on the field, else on the type it returns: replaces the 1 (object) or 0 (leaf) each item costs. */
  readonly weight?: number | undefined;
  /** Arguments that add a weight when given (their own `@cost`, or their type's, or weighted input fields). */
  readonly arguments?: ReadonlyMap<string, ArgumentCost> | undefined;
  readonly listSize?: ListSize | undefined;
}

export interface ArgumentCost {
  readonly weight: number;
  /** The weighted fields of the input object it takes, when it takes one that has any. */
  readonly input?: InputCost | undefined;
}

/** An input object's fields that cost something when given: `@cost` on the field (or its type), or nested weights. */
export type InputCost = ReadonlyMap<string, ArgumentCost>;

export interface ListSize {
  readonly assumedSize?: number | undefined;
  /** Each a path: an argument, or an input field inside one (`"input.pagination.first"`). */
  readonly slicingArguments?: readonly (readonly string[])[] | undefined;
  readonly sizedFields?: SizedFields | undefined;
  readonly requireOneSlicingArgument: boolean;
}

/** `sizedFields`: the list fields just below that take the size, and the fields to go through to reach deeper ones. */
export interface SizedFields {
  readonly lists: ReadonlySet<string>;
  readonly below: ReadonlyMap<string, SizedFields>;
}

export interface CostDirectives {
  /** Keyed by the served schema's own field objects: one Map lookup per selected field. */
  readonly fields: ReadonlyMap<GraphQLField<unknown, unknown>, FieldCost>;
}

/** `null`: read, and nothing there (the schema keeps today's heuristics). */
const bySchema = new WeakMap<GraphQLSchema, CostDirectives | null>();

/** Reads `supergraph`'s demand control directives for `schema` (its API schema), once, at load. */
export function useCostDirectives(schema: GraphQLSchema, supergraph: DocumentNode): void {
  bySchema.set(schema, readCostDirectives(schema, supergraph.definitions));
}

/** The directives the estimate honours for `schema`, or undefined when it has none. */
export function costDirectivesOf(schema: GraphQLSchema): CostDirectives | undefined {
  let directives = bySchema.get(schema);
  if (directives === undefined) {
    directives = readCostDirectives(schema, ownDefinitions(schema));
    bySchema.set(schema, directives);
  }
  return directives ?? undefined;
}

/** A schema's own SDL, as buildSchema keeps it (the API schema's has no directives: it was printed without). */
function ownDefinitions(schema: GraphQLSchema): DefinitionNode[] {
  const definitions: DefinitionNode[] = [];
  if (schema.astNode) definitions.push(schema.astNode);
  definitions.push(...schema.extensionASTNodes);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.astNode) definitions.push(type.astNode);
    definitions.push(...type.extensionASTNodes);
  }
  return definitions;
}

const COST_SPEC = /^https:\/\/specs\.apollo\.dev\/cost\/v\d+\.\d+$/;

interface Names {
  readonly cost: string;
  readonly listSize: string;
}

/**
 * What `@cost` and `@listSize` are called here, by the link spec's rules: imported (perhaps renamed), else
 * `@<namespace>__listSize`, and `@<namespace>` for `@cost` (the spec's own name). Undefined without a link
 * to the cost spec: a `@cost` of another spec (IBM's `weight: String!`, through @composeDirective) is not ours.
 */
function directiveNames(definitions: readonly DefinitionNode[]): Names | undefined {
  for (const definition of definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const url = argument(link, 'url');
      if (url?.kind !== Kind.STRING || !COST_SPEC.test(url.value)) continue;
      const as = argument(link, 'as');
      const namespace = as?.kind === Kind.STRING ? as.value : 'cost';
      const imported = importedNames(argument(link, 'import'));
      return { cost: imported.get('cost') ?? namespace, listSize: imported.get('listSize') ?? `${namespace}__listSize` };
    }
  }
  return undefined;
}

/** `import: ["@listSize", { name: "@cost", as: "@weight" }]` → listSize → listSize, cost → weight. */
function importedNames(value: ConstValueNode | undefined): Map<string, string> {
  const names = new Map<string, string>();
  if (value?.kind !== Kind.LIST) return names;
  const bare = (name: string) => name.replace(/^@/, '');
  for (const entry of value.values) {
    if (entry.kind === Kind.STRING) names.set(bare(entry.value), bare(entry.value));
    if (entry.kind !== Kind.OBJECT) continue;
    const name = entry.fields.find((f) => f.name.value === 'name')?.value;
    const as = entry.fields.find((f) => f.name.value === 'as')?.value;
    if (name?.kind === Kind.STRING) names.set(bare(name.value), bare(as?.kind === Kind.STRING ? as.value : name.value));
  }
  return names;
}

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}

const intArgument = (directive: ConstDirectiveNode, name: string) => {
  const value = argument(directive, name);
  // A negative weight or size would make a list pay for its neighbours: read as 0 (Hive Router refuses the supergraph).
  return value?.kind === Kind.INT ? Math.max(0, Number.parseInt(value.value, 10)) : undefined;
};

const stringsArgument = (directive: ConstDirectiveNode, name: string) => {
  const value = argument(directive, name);
  return value?.kind === Kind.LIST ? value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : undefined;
};

/** The weight of the `@cost` among `directives`, if there is one. */
function weightOf(directives: readonly ConstDirectiveNode[] | undefined, names: Names): number | undefined {
  const cost = directives?.find((d) => d.name.value === names.cost);
  return cost ? intArgument(cost, 'weight') : undefined;
}

/** The (first) `@listSize` among `directives`: the composed definition is not repeatable. */
function listSizeOf(directives: readonly ConstDirectiveNode[] | undefined, names: Names): ListSize | undefined {
  const directive = directives?.find((d) => d.name.value === names.listSize);
  if (!directive) return undefined;
  const slicing = stringsArgument(directive, 'slicingArguments');
  const sized = stringsArgument(directive, 'sizedFields');
  const requireOne = argument(directive, 'requireOneSlicingArgument');
  return {
    assumedSize: intArgument(directive, 'assumedSize'),
    slicingArguments: slicing?.length ? slicing.map((path) => path.split('.')) : undefined,
    sizedFields: sized?.length ? sizedFieldsOf(sized) : undefined,
    // The directive's default is true.
    requireOneSlicingArgument: requireOne?.kind === Kind.BOOLEAN ? requireOne.value : true,
  };
}

interface Sizing {
  readonly lists: Set<string>;
  readonly below: Map<string, Sizing>;
}

/** `sizedFields: ["edges", "results { page }"]` as a tree; an entry that does not parse is left out. */
export function sizedFieldsOf(entries: readonly string[]): SizedFields {
  const root: Sizing = { lists: new Set(), below: new Map() };
  const add = (selectionSet: SelectionSetNode, into: Sizing) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const name = selection.name.value;
      if (!selection.selectionSet) {
        into.lists.add(name);
        continue;
      }
      const nested = into.below.get(name) ?? { lists: new Set(), below: new Map() };
      into.below.set(name, nested);
      add(selection.selectionSet, nested);
    }
  };
  for (const entry of entries) {
    try {
      const operation = parse(`{ ${entry} }`, { noLocation: true }).definitions[0];
      if (operation?.kind === Kind.OPERATION_DEFINITION) add(operation.selectionSet, root);
    } catch {
      // Composition checks sizedFields; a typo in a hand-written supergraph sizes nothing.
    }
  }
  return root;
}

/** Everything the directives say, by name: `Type` and `Type.field` (`Type.field(arg)` for arguments). */
interface Declared {
  readonly types: Map<string, number>;
  readonly fields: Map<string, { weight?: number | undefined; listSize?: ListSize | undefined }>;
  readonly arguments: Map<string, number>;
}

function declared(definitions: readonly DefinitionNode[], names: Names): Declared {
  const found: Declared = { types: new Map(), fields: new Map(), arguments: new Map() };
  for (const definition of definitions) {
    if (!isTypeDefinitionNode(definition) && !isTypeExtensionNode(definition)) continue;
    const typeName = definition.name.value;
    const typeWeight = weightOf(definition.directives, names);
    if (typeWeight !== undefined) found.types.set(typeName, typeWeight);
    if (!('fields' in definition)) continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      const weight = weightOf(field.directives, names);
      const listSize = field.kind === Kind.FIELD_DEFINITION ? listSizeOf(field.directives, names) : undefined;
      if (weight !== undefined || listSize) found.fields.set(coordinate, { weight, listSize });
      if (field.kind !== Kind.FIELD_DEFINITION) continue;
      for (const arg of field.arguments ?? []) {
        const argWeight = weightOf(arg.directives, names);
        if (argWeight !== undefined) found.arguments.set(`${coordinate}(${arg.name.value})`, argWeight);
      }
    }
  }
  return found;
}

/** The schema's fields the directives change the cost of, or null when they change none. */
function readCostDirectives(schema: GraphQLSchema, definitions: readonly DefinitionNode[]): CostDirectives | null {
  const names = directiveNames(definitions);
  if (!names) return null;
  const found = declared(definitions, names);
  const inputs = inputCosts(schema, found);
  const fields = new Map<GraphQLField<unknown, unknown>, FieldCost>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const own = found.fields.get(coordinate);
      // Apollo Router: the field's @cost, else its type's, is the cost of each item it returns.
      const weight = own?.weight ?? found.types.get(getNamedType(field.type).name);
      const args = new Map<string, ArgumentCost>();
      for (const arg of field.args) {
        const input = inputs.get(getNamedType(arg.type).name);
        const argWeight = found.arguments.get(`${coordinate}(${arg.name})`) ?? found.types.get(getNamedType(arg.type).name) ?? 0;
        if (argWeight > 0 || input) args.set(arg.name, { weight: argWeight, input });
      }
      if (weight === undefined && !own?.listSize && args.size === 0) continue;
      fields.set(field, { weight, listSize: own?.listSize, arguments: args.size > 0 ? args : undefined });
    }
  }
  return fields.size > 0 ? { fields } : null;
}

/**
 * Each input object type with a weight somewhere inside: the weighted fields (their own @cost, or their
 * scalar's or enum's), and the fields leading to other such types. Input types may be recursive, so the
 * maps are made first and linked after.
 */
function inputCosts(schema: GraphQLSchema, found: Declared): Map<string, InputCost> {
  const inputTypes = Object.values(schema.getTypeMap()).filter(isInputObjectType);
  const weightOfField = (typeName: string, fieldName: string, fieldType: string) => found.fields.get(`${typeName}.${fieldName}`)?.weight ?? found.types.get(fieldType) ?? 0;
  // Which input types reach a weight: those with one, then those with a field of such a type, until none is added.
  const weighted = new Set<string>();
  for (let added = true; added; ) {
    added = false;
    for (const type of inputTypes) {
      if (weighted.has(type.name)) continue;
      const reaches = Object.values(type.getFields()).some((f) => weightOfField(type.name, f.name, getNamedType(f.type).name) > 0 || weighted.has(getNamedType(f.type).name));
      if (reaches) {
        weighted.add(type.name);
        added = true;
      }
    }
  }
  const maps = new Map<string, Map<string, ArgumentCost>>([...weighted].map((name) => [name, new Map()]));
  for (const type of inputTypes) {
    const map = maps.get(type.name);
    if (!map) continue;
    for (const field of Object.values(type.getFields())) {
      const typeName = getNamedType(field.type).name;
      const weight = weightOfField(type.name, field.name, typeName);
      const input = maps.get(typeName);
      if (weight > 0 || input) map.set(field.name, { weight, input });
    }
  }
  return maps;
}
