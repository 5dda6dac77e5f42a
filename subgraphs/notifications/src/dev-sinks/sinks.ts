import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ProviderSink } from './provider-sink.ts';
import { SmtpSink } from './smtp-sink.ts';

/** The running sinks: what they received, how to reach them, and how to stop them. */
export interface Sinks {
  smtp: SmtpSink;
  sms: ProviderSink;
  push: ProviderSink;
  /** `smtp://host:port` for SMTP_URL. */
  smtpUrl: string;
  /** The HTTP server: the message viewer at `/`, SMS at `/sms`, push at `/push`. */
  httpUrl: string;
  stop(): Promise<void>;
}

const escape = (value: unknown): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * Starts the local stand-ins for the mail server and the SMS and push providers (`npm start`
 * runs them; tests start their own on free ports). Port 0 picks a free one.
 *
 * HTTP: `GET /` lists everything received (newest first), `GET /emails/:seq` shows one e-mail's
 * HTML part, `GET /api/messages` is the same as JSON, and `POST /api/:provider/outage`
 * `{ "status": 503 }` (or `null`) makes the SMS or push provider fail until called again.
 */
export async function startSinks(
  ports: { smtp: number; http: number },
  host = '127.0.0.1',
): Promise<Sinks> {
  const smtp = new SmtpSink();
  const sms = new ProviderSink('sms');
  const push = new ProviderSink('push');
  const providers: Record<string, ProviderSink> = { sms, push };
  await smtp.start(ports.smtp, host);

  const app = express();
  app.disable('x-powered-by');
  app.use('/sms', sms.router());
  app.use('/push', push.router());
  app.get('/api/messages', (_req, res) => {
    res.json({ emails: smtp.emails, sms: sms.messages, push: push.messages });
  });
  app.post('/api/:provider/outage', express.json(), (req, res) => {
    const provider = providers[String(req.params.provider)];
    const status = (req.body as { status?: unknown }).status;
    if (!provider || !(status === null || (Number.isInteger(status) && Number(status) >= 400)))
      return res.status(400).json({ error: 'POST /api/sms|push/outage { "status": 503 | null }' });
    provider.behaviour.failWith = status as number | null;
    res.json({ provider: provider.name, failWith: provider.behaviour.failWith });
  });
  app.get('/emails/:seq', (req, res) => {
    const email = smtp.emails.find((e) => String(e.seq) === req.params.seq);
    if (!email) return res.status(404).send('no such e-mail');
    // The e-mail's own HTML, as a mail client shows it (its values were escaped when composed).
    res.type('html').send(email.html ?? `<pre>${escape(email.text)}</pre>`);
  });
  app.get('/', (_req, res) => {
    const rows = (cells: unknown[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
    const emails = [...smtp.emails]
      .reverse()
      .map((e) =>
        rows([
          escape(e.receivedAt),
          escape(e.to),
          `<a href="/emails/${e.seq}">${escape(e.subject)}</a>`,
          escape(e.attachments.map((a) => a.filename).join(', ')),
          e.deliveries > 1 ? `received ${e.deliveries} times` : '',
        ]),
      )
      .join('');
    const texts = (sink: ProviderSink) =>
      [...sink.messages]
        .reverse()
        .map((m) =>
          rows([escape(m.receivedAt), escape(m.to), escape(m.title ?? ''), escape(m.text)]),
        )
        .join('');
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="5"><title>Notification sinks</title>
<style>body{font-family:sans-serif;margin:16px}table{border-collapse:collapse;margin-bottom:24px}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}</style></head><body>
<h1>What the notifications service sent</h1>
<h2>E-mail (SMTP ${smtp.port})</h2><table><tr><th>received</th><th>to</th><th>subject</th><th>attachments</th><th></th></tr>${emails}</table>
<h2>SMS${sms.behaviour.failWith ? ` (failing with ${sms.behaviour.failWith})` : ''}</h2><table><tr><th>received</th><th>to</th><th></th><th>text</th></tr>${texts(sms)}</table>
<h2>Push${push.behaviour.failWith ? ` (failing with ${push.behaviour.failWith})` : ''}</h2><table><tr><th>received</th><th>to</th><th>title</th><th>text</th></tr>${texts(push)}</table>
</body></html>`);
  });

  const server = http.createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports.http, host, () => resolve());
    });
  } catch (err) {
    await smtp.stop();
    throw err;
  }
  const httpPort = (server.address() as AddressInfo).port;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    smtp,
    sms,
    push,
    smtpUrl: `smtp://${reachable}:${smtp.port}`,
    httpUrl: `http://${reachable}:${httpPort}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await smtp.stop();
    },
  };
}
