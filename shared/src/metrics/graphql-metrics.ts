import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { graphqlDuration, graphqlErrors, graphqlRequests } from './domain-metrics.ts';

// Operation names come from clients: anything that does not look like a GraphQL name is folded
// into one label value so a hostile client cannot grow the series count without bound.
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The label an operation is counted under: its name, `anonymous`, or `invalid`. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return NAME.test(name) ? name : 'invalid';
}

/** The `extensions.code` of every error in a response that is about to be sent. */
export function errorCodesOf<Ctx extends object>(
  ctx: GraphQLRequestContextWillSendResponse<Ctx>,
): string[] {
  const body = ctx.response.body;
  const errors = body.kind === 'single' ? body.singleResult.errors : ctx.errors;
  return (errors ?? []).map((e) => {
    const code = e.extensions?.code;
    return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
  });
}

/** An Apollo plugin counting requests, errors (by code) and durations per operation name. */
export function graphqlMetricsPlugin<Ctx extends object>(service: string): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      const stopTimer = graphqlDuration().startTimer({ service });
      return {
        async willSendResponse(ctx) {
          const operation = operationLabel(ctx.operationName ?? ctx.request.operationName);
          stopTimer({ operation });
          const codes = errorCodesOf(ctx);
          graphqlRequests().inc({ service, operation, outcome: codes.length ? 'error' : 'ok' });
          for (const code of codes) graphqlErrors().inc({ service, operation, code });
        },
      };
    },
  };
}
