import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@airline/shared/logger';
import { errorCodesOf, operationLabel } from '@airline/shared/metrics/graphql-metrics';
import type { GatewayContext } from './auth-forwarding.ts';

/** What one access log line says about a GraphQL request; variables are never part of it. */
export interface AccessLogLine {
  requestId: string | undefined;
  operation: string;
  durationMs: number;
  status: number;
  errorCodes: string[];
  clientName: string | undefined;
  clientVersion: string | undefined;
}

/**
 * Logs one line per GraphQL request at the gateway: operation name, duration, HTTP status, error
 * codes and the Apollo client identity headers. Variables and the query text stay out: they carry
 * passwords, card numbers and personal data.
 */
export function accessLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      const headers = request.http?.headers;
      return {
        async willSendResponse(ctx) {
          const errorCodes = errorCodesOf(ctx);
          const line: AccessLogLine = {
            // The context is missing when the request failed before it was built (a bad token).
            requestId: (ctx.contextValue as Partial<GatewayContext> | undefined)?.requestId,
            operation: operationLabel(ctx.operationName ?? ctx.request.operationName),
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            status: ctx.response.http.status ?? 200,
            errorCodes,
            clientName: headers?.get('apollographql-client-name'),
            clientVersion: headers?.get('apollographql-client-version'),
          };
          logger.info({ access: line }, 'graphql request');
        },
      };
    },
  };
}
