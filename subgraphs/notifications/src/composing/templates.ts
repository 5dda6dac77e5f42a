import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { KINDS, type Kind } from '../notification/vocabulary.ts';
import type { MessageView } from './message-views.ts';

/** A message worded for every channel: e-mail subject, HTML and text parts, and the short text of SMS and push. */
export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  short: string;
}

type Template = (context: unknown) => string;

interface KindTemplates {
  subject: Template;
  html: Template;
  text: Template;
  short: Template;
}

/** The folder a kind's templates live in: BOOKING_CONFIRMED -> booking-confirmed. */
const folderOf = (kind: Kind) => kind.toLowerCase().replaceAll('_', '-');

/** One line, no control characters: a subject becomes a mail header and a push title. */
const oneLine = (s: string) =>
  s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();

/** Trailing spaces and runs of blank lines the template's own layout leaves behind. */
const tidy = (s: string) =>
  s
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/**
 * The message templates (src/templates, Handlebars), compiled once at start-up so that a broken
 * template stops the service instead of a message. HTML templates escape every value; the
 * plain-text ones are compiled without escaping, since they are not HTML (an O'Brien stays one).
 */
export class MessageTemplates {
  readonly #byKind: Map<Kind, KindTemplates>;
  readonly #written: Template;

  private constructor(byKind: Map<Kind, KindTemplates>, written: Template) {
    this.#byKind = byKind;
    this.#written = written;
  }

  /** Loads and compiles every template under `dir` (a file URL ending in `/`). */
  static load(dir: URL = new URL('../templates/', import.meta.url)): MessageTemplates {
    const read = (path: string) => readFileSync(new URL(path, dir), 'utf8');
    const html = Handlebars.create();
    const text = Handlebars.create();
    const compileHtml = (src: string): Template => html.compile(src, { strict: false });
    const compileText = (src: string): Template => text.compile(src, { noEscape: true });
    html.registerPartial('layout', compileHtml(read('layout.html.tmpl')));
    for (const partial of ['flight', 'travellers', 'refund']) {
      html.registerPartial(partial, compileHtml(read(`partials/${partial}.html.tmpl`)));
      text.registerPartial(partial, compileText(read(`partials/${partial}.txt.tmpl`)));
    }
    const byKind = new Map<Kind, KindTemplates>();
    for (const kind of KINDS) {
      const folder = folderOf(kind);
      byKind.set(kind, {
        subject: compileText(read(`${folder}/subject.tmpl`)),
        html: compileHtml(read(`${folder}/email.html.tmpl`)),
        text: compileText(read(`${folder}/email.txt.tmpl`)),
        short: compileText(read(`${folder}/short.tmpl`)),
      });
    }
    const written = compileHtml(read('written/email.html.tmpl'));
    return new MessageTemplates(byKind, written);
  }

  /** Words one message for every channel. */
  render(view: MessageView): RenderedMessage {
    const templates = this.#byKind.get(view.kind)!;
    const subject = oneLine(templates.subject(view));
    return {
      subject,
      html: templates.html({ ...view, subject }),
      text: tidy(templates.text(view)),
      short: oneLine(templates.short(view)),
    };
  }

  /**
   * Wraps a message another service wrote (SendNotification) in the e-mail layout: its text is
   * escaped paragraph by paragraph, never trusted as HTML.
   */
  renderWritten(subject: string, body: string, reference: string | null): RenderedMessage {
    const clean = oneLine(subject);
    const paragraphs = body
      .split(/\n{2,}/)
      .map((p) => p.trim())
      .filter(Boolean);
    return {
      subject: clean,
      html: this.#written({ subject: clean, paragraphs, reference: reference ?? '' }),
      text: tidy(body),
      short: oneLine(body),
    };
  }
}
