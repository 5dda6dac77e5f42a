import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';

/**
 * Limits that reject abusive operations before they reach a subgraph: deep nesting, huge cost,
 * alias and directive flooding, enormous documents. Sized so the richest client screens pass.
 */
export function queryLimits<Ctx extends object>(
  maxDepth: number,
): { plugins: ApolloServerPlugin<Ctx>[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { n: maxDepth },
    costLimit: { maxCost: 20_000 },
    maxAliases: { n: 30 },
    maxDirectives: { n: 50 },
    maxTokens: { n: 5_000 },
    // Keep Sandbox's "did you mean" hints: the schema is public anyway.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  // graphql-armor is typed against Apollo's CommonJS declarations; the runtime objects are the same.
  return {
    plugins: armor.plugins as unknown as ApolloServerPlugin<Ctx>[],
    validationRules: armor.validationRules,
  };
}
