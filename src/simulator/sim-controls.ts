// The simulator's own controls, shared by the in-process API and the /_sim routes: consent registration
// (Meta never knows it), people writing in, fault knobs, sender quality and template pauses by hand.

import type { Rating } from './quality-score.ts';
import type { SenderQuality } from './senders.ts';
import type { SimContext } from './sim-context.ts';
import type { Latency } from './faults.ts';
import type { WebhookFaults } from './webhook-delivery.ts';

const digits = (phone: string) => phone.replace(/\D/g, '');

export type ControlResult = { ok: true } | { ok: false; message: string };

export function createControls(ctx: SimContext) {
  const firstSender = () => ctx.senders.all()[0]?.id ?? '';
  return {
    /** Registers who opted in: simulated people who did are far less likely to block or report (§8.1, §8.4). */
    optIn: (phones: readonly string[]) => phones.forEach((phone) => ctx.population.optIn(digits(phone))),
    optOut: (phones: readonly string[]) => phones.forEach((phone) => ctx.population.optOut(digits(phone))),
    /** A simulated person writes in, opening the 24 h window (§7.1). Returns the inbound wamid, or null for an unknown number. */
    inbound: (input: { from: string; text: string; phoneNumberId?: string; replyTo?: string }) =>
      ctx.people.inbound(input.phoneNumberId ?? firstSender(), digits(input.from), input.text, input.replyTo),
    /** A person stops (or resumes) marketing in WhatsApp's settings: a user_preferences webhook (§8.2). */
    setMarketingPreference: (phone: string, value: 'stop' | 'resume', phoneNumberId?: string) => ctx.people.setMarketingPreference(phoneNumberId ?? firstSender(), digits(phone), value),
    markUndeliverable: (phones: readonly string[]) => phones.forEach((phone) => ctx.population.markUndeliverable(digits(phone))),
    failNextSends: (rule: { count: number; code: number; surface?: 'sync' | 'async'; phoneNumberId?: string; details?: string }) => ctx.faults.failNextSends(rule),
    /** Every send gets 130429 for `durationMs` (from one number, or all when none is named). */
    throttle: (input: { durationMs: number; phoneNumberId?: string }) => ctx.faults.throttle(input.phoneNumberId ?? null, ctx.clock.nowMs() + input.durationMs),
    setLatency: (latency: Partial<Latency>) => ctx.faults.setLatency(latency),
    setWebhookFaults: (faults: Partial<WebhookFaults>) => ctx.faults.setWebhookFaults(faults),
    resetFaults: () => ctx.faults.reset(),
    /** Forces a sender's quality rating (null returns to the computed one). */
    setSenderQuality: (phoneNumberId: string, rating: SenderQuality | null): ControlResult => {
      const sender = ctx.senders.get(phoneNumberId);
      if (sender === undefined) return { ok: false, message: `Unknown phone number ${phoneNumberId}.` };
      sender.qualityOverride = rating;
      return { ok: true };
    },
    senderQuality: (phoneNumberId: string): SenderQuality | null => {
      const sender = ctx.senders.get(phoneNumberId);
      return sender === undefined ? null : ctx.senders.quality(sender, ctx.quality.senderRating(phoneNumberId));
    },
    senderRating: (phoneNumberId: string): Rating => ctx.quality.senderRating(phoneNumberId),
    /** Sets a template's quality score by hand, with Meta's message_template_quality_update webhook (§4.5b). */
    setTemplateQuality: (templateId: string, rating: Rating): ControlResult => {
      const template = ctx.templates.get(templateId);
      if (template === undefined) return { ok: false, message: `Unknown template ${templateId}.` };
      ctx.templates.setQuality(template, rating);
      return { ok: true };
    },
    /** One step of the pause ladder, as if the template's quality had turned RED (§4.1). */
    pauseTemplate: (templateId: string): ControlResult => {
      const template = ctx.templates.get(templateId);
      if (template === undefined) return { ok: false, message: `Unknown template ${templateId}.` };
      if (template.status !== 'APPROVED') return { ok: false, message: `The template is ${template.status}; only an APPROVED template can be paused.` };
      ctx.templates.setQuality(template, 'RED');
      ctx.templates.pauseForQuality(template, { automaticUnpause: true });
      return { ok: true };
    },
  };
}

export type Controls = ReturnType<typeof createControls>;
