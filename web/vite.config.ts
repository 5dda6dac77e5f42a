/// <reference types="vitest/config" />
// The web app's build and dev server. The dev server (`npm start`, port WEB_PORT) answers
// /config.json like the production server does, so the app finds the gateway the same way.
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { runtimeConfigFromEnv } from './server/runtime-config.ts';

function runtimeConfig(): Plugin {
  return {
    name: 'airline-runtime-config',
    configureServer(server) {
      server.middlewares.use('/config.json', (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('cache-control', 'no-store');
        res.end(JSON.stringify(runtimeConfigFromEnv(process.env)));
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), runtimeConfig()],
  // The explorer's GraphQL worker loads monaco-graphql's modules as they are in development; the
  // CommonJS ones among them must be pre-bundled into ES modules for it.
  optimizeDeps: { include: ['nullthrows', 'picomatch-browser', 'vscode-languageserver-types'] },
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    host: process.env.HOST ?? 'localhost',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The explorer's editor (Monaco) is one large chunk, loaded only on /explorer.
    chunkSizeWarningLimit: 5_000,
    rolldownOptions: {
      onwarn(warning, warn) {
        // GraphiQL's modules start with React Compiler's "use no memo"; bundling drops it, harmlessly.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'server/**/*.test.ts'],
    environment: 'node',
  },
});
