import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { OperationSource } from '@runview/documents';

/**
 * What one document touches in a schema, as schema coordinates: `Type`, `Type.field`,
 * `Type.field.argument`, `InputType.field` and `Enum.VALUE`.
 */
export interface DocumentCoordinates {
  /** Every coordinate the document uses, including the types it names or passes through variables. */
  readonly used: ReadonlySet<string>;
  /** The coordinate at each AST node, to say where a validation error points. */
  readonly positions: ReadonlyMap<ASTNode, string>;
}

/** Walks a document that is valid against `schema` and lists the coordinates it uses. */
export function documentCoordinates(schema: GraphQLSchema, document: DocumentNode): DocumentCoordinates {
  const typeInfo = new TypeInfo(schema);
  const used = new Set<string>();
  const positions = new Map<ASTNode, string>();
  const stack: string[] = [];
  const useType = (type: GraphQLNamedType | null | undefined): void => {
    if (type) used.add(type.name);
  };
  const enterPosition = (node: ASTNode, coordinate: string): void => {
    stack.push(coordinate);
    used.add(coordinate);
    positions.set(node, coordinate);
  };
  const leavePosition = (): void => {
    stack.pop();
  };

  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        const root = schema.getRootType(node.operation);
        if (root) positions.set(node, root.name);
        useType(root);
      },
      Field: {
        enter(node) {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          useType(field ? getNamedType(field.type) : undefined);
          enterPosition(node, parent && field ? `${parent.name}.${field.name}` : node.name.value);
        },
        leave: leavePosition,
      },
      Directive: {
        enter(node) {
          enterPosition(node, `@${node.name.value}`);
        },
        leave: leavePosition,
      },
      Argument: {
        enter(node) {
          const argument = typeInfo.getArgument();
          useType(argument ? getNamedType(argument.type) : undefined);
          enterPosition(node, `${stack.at(-1) ?? ''}.${node.name.value}`);
        },
        leave: leavePosition,
      },
      ObjectField: {
        enter(node) {
          const parent = typeInfo.getParentInputType();
          const own = typeInfo.getInputType();
          useType(own ? getNamedType(own) : undefined);
          enterPosition(node, parent ? `${getNamedType(parent).name}.${node.name.value}` : node.name.value);
        },
        leave: leavePosition,
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        const coordinate = type ? `${getNamedType(type).name}.${node.value}` : node.value;
        used.add(coordinate);
        positions.set(node, coordinate);
      },
      Variable(node) {
        const position = stack.at(-1);
        if (position) positions.set(node, position);
      },
      NamedType(node) {
        used.add(node.name.value);
        positions.set(node, node.name.value);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        if (!type) return;
        positions.set(node, getNamedType(type).name);
        // A variable lets the caller send any value of its type, so everything reachable
        // from that input type may be used (filters built at run time, mutation inputs).
        for (const coordinate of inputClosure(getNamedType(type))) used.add(coordinate);
      },
      FragmentDefinition(node) {
        positions.set(node, node.typeCondition.name.value);
      },
      InlineFragment(node) {
        if (node.typeCondition) positions.set(node, node.typeCondition.name.value);
      },
    }),
  );
  return { used, positions };
}

/** The input type, its fields and every input object or enum reachable from them. */
function inputClosure(start: GraphQLNamedType): Set<string> {
  const coordinates = new Set<string>();
  const pending = [start];
  for (let type = pending.pop(); type; type = pending.pop()) {
    if (coordinates.has(type.name)) continue;
    coordinates.add(type.name);
    if (isEnumType(type)) {
      for (const value of type.getValues()) coordinates.add(`${type.name}.${value.name}`);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        coordinates.add(`${type.name}.${field.name}`);
        pending.push(getNamedType(field.type));
      }
    }
  }
  return coordinates;
}

/** For each coordinate, the shipped operations that use it (sorted names). */
export type CoordinateUsage = ReadonlyMap<string, readonly string[]>;

/** Which operations use which coordinates of `schema` (the contract they were generated from). */
export function operationUsage(schema: GraphQLSchema, operations: readonly OperationSource[]): CoordinateUsage {
  const usage = new Map<string, string[]>();
  for (const operation of operations) {
    for (const coordinate of documentCoordinates(schema, operation.document).used) {
      const names = usage.get(coordinate);
      if (names) names.push(operation.name);
      else usage.set(coordinate, [operation.name]);
    }
  }
  for (const names of usage.values()) names.sort((a, b) => a.localeCompare(b));
  return usage;
}
