import type { EntityManager } from '@airline/shared';
import { queueNotifications } from '../notification/notification-store.ts';
import { Channel, type Kind } from '../notification/vocabulary.ts';
import type { MessageTemplates } from './templates.ts';

/** A message another service wrote itself (the SendNotification command). */
export interface WrittenMessage {
  commandId: string;
  channel: Channel;
  kind: Kind;
  recipient: string;
  customerId: string | null;
  bookingId: string | null;
  subject: string;
  body: string;
}

/**
 * Queues a written message as it is, in the command's transaction (no other service is asked:
 * the sender addressed it). E-mail gets the layout around the text, escaped; SMS and push the
 * text on one line. The command id is its dedupe key: a redelivered command queues nothing.
 */
export async function recordWritten(
  em: EntityManager,
  templates: MessageTemplates,
  m: WrittenMessage,
): Promise<void> {
  const rendered = templates.renderWritten(m.subject, m.body, null);
  await queueNotifications(em, [
    {
      channel: m.channel,
      kind: m.kind,
      recipient: m.recipient,
      customerId: m.customerId,
      bookingId: m.bookingId,
      subject: rendered.subject,
      bodyText: m.channel === Channel.EMAIL ? rendered.text : rendered.short,
      bodyHtml: m.channel === Channel.EMAIL ? rendered.html : null,
      attachments: [],
      dedupeKey: `command:${m.commandId}`,
    },
  ]);
}
