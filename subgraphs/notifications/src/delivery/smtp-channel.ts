import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { OutgoingMessage } from '../notification/notification-store.ts';
import { Channel } from '../notification/vocabulary.ts';
import { RejectedByProvider, type Accepted, type ChannelAdapter } from './channel-adapter.ts';

/** SMTP settings beyond the server's URL. */
export interface SmtpOptions {
  /** `Name <address>` of every message. */
  from: string;
  /** Connections kept open to the server; also the most messages in flight at once. */
  maxConnections: number;
  /** Connecting, greeting and each later step of a conversation time out after this. */
  timeoutMs: number;
}

/** The domain of our Message-IDs: the message id is the left part, the same on every attempt. */
const MESSAGE_ID_DOMAIN = 'notifications.airline.test';

/** The Message-ID header of a notification, stable across attempts and replays. */
export const messageIdOf = (notificationId: string) => `<${notificationId}@${MESSAGE_ID_DOMAIN}>`;

/**
 * E-mail over SMTP with nodemailer's pooled transport: HTML and plain-text parts and the
 * attachments. SMTP has no idempotency key: the stable Message-ID lets mail stores and clients
 * recognise a message sent twice after a crash (Gmail and the local sink collapse them), but a
 * server that does not look at it delivers both. 5xx answers are refusals for good; 4xx
 * answers, timeouts and broken connections are worth retrying.
 */
export class SmtpChannel implements ChannelAdapter {
  readonly channel = Channel.EMAIL;
  readonly provider: string;
  readonly #transport: Transporter<SMTPPool.SentMessageInfo>;
  readonly #from: string;

  constructor(url: string, options: SmtpOptions) {
    const parsed = new URL(url);
    this.provider = `smtp ${parsed.host}`;
    this.#from = options.from;
    this.#transport = nodemailer.createTransport({
      pool: true,
      host: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)),
      secure: parsed.protocol === 'smtps:',
      auth: parsed.username
        ? {
            user: decodeURIComponent(parsed.username),
            pass: decodeURIComponent(parsed.password),
          }
        : undefined,
      // A local sink offers no TLS; a real server's STARTTLS is used when it offers it.
      ignoreTLS: parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost',
      maxConnections: options.maxConnections,
      maxMessages: 500,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    });
  }

  async send(message: OutgoingMessage): Promise<Accepted> {
    try {
      const info = await this.#transport.sendMail({
        from: this.#from,
        to: message.recipient,
        subject: message.subject,
        text: message.bodyText,
        html: message.bodyHtml ?? undefined,
        messageId: messageIdOf(message.id),
        headers: { 'X-Notification-Kind': message.kind },
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
      return { providerMessageId: info.response?.slice(0, 200) ?? null };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      if (typeof code === 'number' && code >= 500)
        throw new RejectedByProvider(`SMTP ${code}: ${(err as Error).message}`);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}
