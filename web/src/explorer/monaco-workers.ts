// Monaco's web workers (the explorer's editor), as graphiql/setup-workers/vite sets them up, but
// from the app's own source: Vite's dev-time dependency optimizer cannot bundle `?worker`
// imports that sit inside node_modules.
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker.js?worker';
import GraphQLWorker from 'monaco-graphql/esm/graphql.worker.js?worker';

(
  globalThis as { MonacoEnvironment?: { getWorker: (id: string, label: string) => Worker } }
).MonacoEnvironment = {
  getWorker(_id, label) {
    if (label === 'json') return new JsonWorker();
    if (label === 'graphql') return new GraphQLWorker();
    return new EditorWorker();
  },
};
