// Feeds delivery and negative feedback into the quality scores of business numbers and templates, and acts
// on template ratings: a changed rating sends message_template_quality_update; RED pauses the template
// (§4.1). Sender ratings only show in GET fields: Meta sends no webhook for them today (§1.4).

import type { QualityScores } from './quality-score.ts';
import type { SentMessage } from './sent-log.ts';
import type { SimClock } from './sim-clock.ts';
import type { TemplatePacing } from './template-pacing.ts';
import type { SimTemplate, TemplateQuality, TemplateRegistry } from './template-registry.ts';

// Each pause starts a new assessment: feedback on messages sent before it no longer counts (epoch = pause count).
const templateKey = (templateId: string, epoch: number) => `template:${templateId}:${epoch}`;
const senderKey = (phoneNumberId: string) => `sender:${phoneNumberId}`;

export function createTemplateQuality(deps: { clock: SimClock; scores: QualityScores; registry: TemplateRegistry; pacing: () => TemplatePacing }) {
  const { scores, registry } = deps;

  const rating = (template: SimTemplate): TemplateQuality => scores.rating(templateKey(template.id, template.pauseCount), deps.clock.nowMs());

  const evaluate = (template: SimTemplate) => {
    if (template.status !== 'APPROVED') return;
    const next = rating(template);
    if (next === 'UNKNOWN') return;
    registry.setQuality(template, next);
    if (next === 'RED') registry.pauseForQuality(template, { automaticUnpause: !deps.pacing().isPacing(template.id) });
  };

  const currentTemplate = (message: SentMessage) => {
    const template = message.templateId === null ? undefined : registry.get(message.templateId);
    return template !== undefined && template.pauseCount === message.templateEpoch ? template : undefined;
  };

  return {
    rating,
    senderRating: (phoneNumberId: string) => scores.rating(senderKey(phoneNumberId), deps.clock.nowMs()),
    recordDelivered: (message: SentMessage) => {
      const atMs = deps.clock.nowMs();
      scores.recordDelivered(senderKey(message.phoneNumberId), atMs);
      const template = currentTemplate(message);
      if (template === undefined) return;
      scores.recordDelivered(templateKey(template.id, template.pauseCount), atMs);
      evaluate(template);
    },
    recordNegative: (message: SentMessage, weight: number) => {
      const atMs = deps.clock.nowMs();
      scores.recordNegative(senderKey(message.phoneNumberId), weight, atMs);
      const template = currentTemplate(message);
      if (template === undefined) return;
      scores.recordNegative(templateKey(template.id, template.pauseCount), weight, atMs);
      evaluate(template);
    },
  };
}

export type TemplateQualityTracker = ReturnType<typeof createTemplateQuality>;
