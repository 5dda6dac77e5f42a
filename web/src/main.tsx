// Starts the app: reads where the gateway is (/config.json), then renders.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import { SessionProvider } from './auth/session-context.tsx';
import { endpointsFor, loadRuntimeConfig } from './config/runtime-config.ts';
import './styles.css';

const config = await loadRuntimeConfig(import.meta.env.DEV);
const endpoints = endpointsFor(config, window.location);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider config={config} endpoints={endpoints}>
        <App />
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
