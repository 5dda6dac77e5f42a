import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * Rejects aliases that start with `__`, the prefix GraphQL reserves for introspection. The
 * gateway's patched result shaping (patches/@apollo+gateway+2.14.4.patch) builds responses in
 * plain objects, where an alias such as `__proto__` would name the prototype, not a field.
 */
export function noReservedAliases(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const alias = node.alias?.value;
      if (alias?.startsWith('__'))
        context.reportError(
          new GraphQLError(
            `Alias "${alias}" is not allowed: names starting with "__" are reserved for introspection.`,
            { nodes: node.alias },
          ),
        );
    },
  };
}
