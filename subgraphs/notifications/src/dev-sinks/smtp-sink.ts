import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An e-mail as the sink received and parsed it. */
export interface ReceivedEmail {
  /** Order of arrival, from 1. */
  seq: number;
  messageId: string | null;
  /** The SMTP envelope's recipients (RCPT TO). */
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attachments: { filename: string; contentType: string; content: string }[];
  receivedAt: string;
  /** How many times a message with this Message-ID arrived (more than 1: sent again after a crash). */
  deliveries: number;
}

/** Tuning of the SMTP sink (tests make it slow or refuse). */
export interface SmtpSinkBehaviour {
  /** Waits this long before accepting each message (a slow server). */
  latencyMs: number;
  /** Answers every message with this code (e.g. 451 try later, 550 no such mailbox); null accepts. */
  rejectWith: number | null;
}

const addressText = (a: AddressObject | AddressObject[] | undefined): string =>
  (Array.isArray(a) ? a : a ? [a] : []).map((x) => x.text).join(', ');

/**
 * A real SMTP server that keeps what it receives in memory, for local use and tests: messages
 * really travel SMTP (nodemailer -> smtp-server) and are parsed as a mail client would
 * (mailparser). Like a mail store, it files a message whose Message-ID it already holds as the
 * same message (counting `deliveries`) instead of showing it twice.
 */
export class SmtpSink {
  readonly behaviour: SmtpSinkBehaviour = { latencyMs: 0, rejectWith: null };
  readonly #emails: ReceivedEmail[] = [];
  readonly #server: SMTPServer;
  #port = 0;

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      banner: 'airline notification sink',
      size: 10 * 1024 * 1024,
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            if (this.behaviour.latencyMs)
              await new Promise((r) => setTimeout(r, this.behaviour.latencyMs));
            if (this.behaviour.rejectWith) {
              const err = Object.assign(new Error('refused by the sink'), {
                responseCode: this.behaviour.rejectWith,
              });
              return callback(err);
            }
            this.#file({
              messageId: mail.messageId ?? null,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              from: addressText(mail.from),
              to: addressText(mail.to),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : null,
              attachments: mail.attachments.map((a) => ({
                filename: a.filename ?? '',
                contentType: a.contentType,
                content: a.content.toString('utf8'),
              })),
            });
            callback();
          })
          .catch((err: unknown) => callback(err as Error));
      },
    });
  }

  /** Listens on `port` (0: a free one). */
  async start(port: number, host = '127.0.0.1'): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    this.#port = (this.#server.server.address() as AddressInfo).port;
  }

  get port(): number {
    return this.#port;
  }

  /** What arrived, oldest first. */
  get emails(): readonly ReceivedEmail[] {
    return this.#emails;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #file(email: Omit<ReceivedEmail, 'seq' | 'receivedAt' | 'deliveries'>): void {
    const same = email.messageId
      ? this.#emails.find((e) => e.messageId === email.messageId)
      : undefined;
    if (same) {
      same.deliveries += 1;
      return;
    }
    this.#emails.push({
      ...email,
      seq: this.#emails.length + 1,
      receivedAt: new Date().toISOString(),
      deliveries: 1,
    });
  }
}
