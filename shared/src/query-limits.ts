import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';

/** The limits an operation must stay within; the gateway and every subgraph apply them. */
export interface QueryLimitSettings {
  maxDepth: number;
  /** Whether "did you mean …" hints may reveal field names (never in production). */
  fieldSuggestions: boolean;
}

/**
 * Limits that reject abusive operations before they execute: deep nesting, huge cost, alias and
 * directive flooding, enormous documents. Sized so the richest client screens pass. The gateway
 * applies them to clients; subgraphs apply them again (defence in depth) one level deeper, since
 * the gateway's entity fetches add `_entities` above the client's selection.
 */
export function queryLimits<Ctx extends object>(
  settings: QueryLimitSettings,
): { plugins: ApolloServerPlugin<Ctx>[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { n: settings.maxDepth },
    costLimit: { maxCost: 20_000 },
    maxAliases: { n: 30 },
    maxDirectives: { n: 50 },
    maxTokens: { n: 5_000 },
    blockFieldSuggestion: { enabled: !settings.fieldSuggestions },
  }).protect();
  // graphql-armor is typed against Apollo's CommonJS declarations; the runtime objects are the same.
  return {
    plugins: armor.plugins as unknown as ApolloServerPlugin<Ctx>[],
    validationRules: armor.validationRules,
  };
}
