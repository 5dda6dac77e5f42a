import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';

/**
 * Runs a subscription like graphql-js's `subscribe`, but with a fresh context for every event:
 * a subscription lives for minutes, and a request-scoped context (an EntityManager fork, its
 * DataLoaders) kept that long would serve stale entities from its caches. `contextFor` gets the
 * subscription's `contextValue` (who subscribed) and builds the context of one execution.
 */
export async function subscribePerEvent<Identity>(
  args: ExecutionArgs,
  contextFor: (identity: Identity) => unknown,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const identity = args.contextValue as Identity;
  const source = await createSourceEventStream({ ...args, contextValue: contextFor(identity) });
  if (!(Symbol.asyncIterator in source)) return source;
  return mapEvents(source, (payload) =>
    execute({ ...args, rootValue: payload, contextValue: contextFor(identity) }),
  );
}

// Not an async generator: `return()` on a generator waits until its pending `await` settles,
// i.e. until the next event, while an unsubscription must release the source at once.
function mapEvents<T, U>(
  iterable: AsyncIterable<T>,
  map: (value: T) => Promise<U> | U,
): AsyncIterableIterator<U> {
  const source = iterable[Symbol.asyncIterator]();
  const close = async (): Promise<IteratorResult<U>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      const step = await source.next();
      return step.done
        ? { value: undefined, done: true }
        : { value: await map(step.value), done: false };
    },
    return: close,
    async throw(error: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
