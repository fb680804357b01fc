// Template pacing (§4.1 "Template pacing"): marketing and utility templates that are new, just unpaused or
// not GREEN send their first `freeSends` messages normally in an assessment cycle; later sends are held
// (`held_for_quality_assessment`) until the cycle ends, then released, or dropped with 132015 if the template is paused.

import type { SentMessage } from './sent-log.ts';
import type { SimClock } from './sim-clock.ts';
import type { SimTemplate, TemplateEvent, TemplateQuality, TemplateRegistry } from './template-registry.ts';

export type PacingOptions = {
  enabled: boolean;
  /** Sends per cycle that go out before holding starts (Meta: "an unspecified threshold"). */
  freeSends: number;
  /** How long a cycle gathers feedback before deciding (Meta: decided within about 1 h, p99). */
  assessmentMs: number;
};

type Cycle = { sent: number; held: SentMessage[] };

export type PacingDeps = {
  clock: SimClock;
  registry: TemplateRegistry;
  options: PacingOptions;
  /** The template's rating from the feedback of its current cycle. */
  rating: (template: SimTemplate) => TemplateQuality;
  /** Starts the normal lifecycle of a released message. */
  release: (message: SentMessage) => void;
  /** Fails a dropped message (132015). */
  drop: (message: SentMessage) => void;
};

export function createTemplatePacing(deps: PacingDeps) {
  const cycles = new Map<string, Cycle>();

  const dropHeld = (templateId: string) => {
    const cycle = cycles.get(templateId);
    cycles.delete(templateId);
    cycle?.held.forEach((message) => deps.drop(message));
  };

  const assess = (template: SimTemplate) => {
    const cycle = cycles.get(template.id);
    if (cycle === undefined) return;
    if (template.status === 'APPROVED' && deps.rating(template) === 'RED') {
      deps.registry.pauseForQuality(template, { automaticUnpause: false });
      return dropHeld(template.id);
    }
    cycles.delete(template.id);
    cycle.held.forEach((message) => deps.release(message));
  };

  const needsPacing = (template: SimTemplate) =>
    deps.options.enabled && (template.category === 'MARKETING' || template.category === 'UTILITY') && (cycles.has(template.id) || template.quality !== 'GREEN');

  deps.registry.subscribe((event: TemplateEvent) => {
    if (event.kind === 'status' && (event.event === 'PAUSED' || event.event === 'DISABLED')) dropHeld(event.template.id);
  });

  return {
    /** 'send' now, or 'hold' until the cycle is assessed. Counts the send in the template's cycle. */
    decide: (template: SimTemplate): 'send' | 'hold' => {
      if (!needsPacing(template)) return 'send';
      let cycle = cycles.get(template.id);
      if (cycle === undefined) {
        cycle = { sent: 0, held: [] };
        cycles.set(template.id, cycle);
        deps.clock.after(deps.options.assessmentMs, () => assess(template));
      }
      if (cycle.sent < deps.options.freeSends) {
        cycle.sent += 1;
        return 'send';
      }
      return 'hold';
    },
    hold: (template: SimTemplate, message: SentMessage) => cycles.get(template.id)?.held.push(message),
    isPacing: (templateId: string) => cycles.has(templateId),
    heldCount: (templateId: string) => cycles.get(templateId)?.held.length ?? 0,
  };
}

export type TemplatePacing = ReturnType<typeof createTemplatePacing>;
