// The pieces every webhook mapper shares: the context of one change, and the conversions from Meta's
// scalar wire values (unix seconds, ids, errors, people, language tags) to domain values. Pure.

import type { z } from 'zod';
import type { MetaError, PersonRef, UnhandledEvent, WhatsAppEvent } from '../domain/whatsapp-events.ts';
import type { GraphId, UnixSeconds, WebhookError } from './webhook-wire.ts';
import { normalizeLanguage } from '../domain/language.ts';

/** Where one change came from: its entry's WABA id and trigger time, and the field Meta gave it. */
export type ChangeContext = { wabaId: string; field: string; entryTime: Date | null };

export type ValueMapper = (value: unknown, context: ChangeContext) => WhatsAppEvent[];

export function unhandled(context: Pick<ChangeContext, 'field'> & { wabaId: string | null }, reason: string): UnhandledEvent {
  return { kind: 'unhandled', wabaId: context.wabaId, field: context.field, reason };
}

/** The first few zod issues as one line, e.g. "statuses.0.timestamp: must be unix seconds". */
export function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return issues.join('; ') + (error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '');
}

export function toDate(seconds: UnixSeconds): Date {
  return new Date(Number(seconds) * 1_000);
}

export function toDateOrNull(seconds: UnixSeconds | null | undefined): Date | null {
  return seconds === null || seconds === undefined ? null : toDate(seconds);
}

export function toId(id: GraphId): string {
  return typeof id === 'number' ? String(id) : id.trim();
}

/** Meta writes "" where it has nothing (wa_id of username adopters, §6.5); the domain writes null. */
export function textOrNull(value: string | null | undefined): string | null {
  return value === null || value === undefined || value.trim() === '' ? null : value;
}

export function toPersonRef(waId: string | null | undefined, businessUserId: string | null | undefined): PersonRef {
  return { waId: textOrNull(waId), businessUserId: textOrNull(businessUserId) };
}

export function toMetaErrors(errors: readonly WebhookError[] | null | undefined): MetaError[] {
  return (errors ?? []).map((error) => ({
    code: error.code,
    title: textOrNull(error.title),
    message: textOrNull(error.message),
    details: textOrNull(error.error_data?.details) ?? textOrNull(error.details),
  }));
}

/**
 * Template webhooks write "en-US" and "pt-BR" where the send API wants "en_US" and "pt_BR" (§4.4).
 * A value that is not a language tag is kept as Meta sent it, so the event still names its template.
 */
export function toTemplateLanguage(tag: string): string {
  return normalizeLanguage(tag) ?? tag.trim();
}
