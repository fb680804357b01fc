// Message templates as Meta holds them: creation (→ PENDING), the review after a simulated delay, the
// pause ladder of §4.1 (3 h, then 6 h, then DISABLED), unpausing, deletion and the displayed quality score.
// Emits template events for the webhooks and pacing; decides nothing about quality itself (template-quality.ts does).

import type { IdSource } from './ids.ts';
import type { SimClock } from './sim-clock.ts';
import { detectParameterFormat, readTemplateContent, type ParameterFormat, type TemplateContent } from './template-content.ts';
import { checkTemplateStructure, reviewTemplate, type StructureError } from './template-review.ts';

export type TemplateStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'PAUSED' | 'DISABLED';
export type TemplateQuality = 'UNKNOWN' | 'GREEN' | 'YELLOW' | 'RED';

export type SimTemplate = {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string;
  subCategory: string | null;
  parameterFormat: ParameterFormat;
  components: Array<Record<string, unknown>>;
  content: TemplateContent;
  status: TemplateStatus;
  rejectedReason: string | null;
  quality: TemplateQuality;
  qualityUpdatedAtMs: number;
  /** Quality pauses so far: the third one disables the template (§4.1). */
  pauseCount: number;
  pausedUntilMs: number | null;
  createdAtMs: number;
};

export type TemplateEvent =
  | {
      kind: 'status';
      template: SimTemplate;
      event: 'APPROVED' | 'REJECTED' | 'PAUSED' | 'DISABLED';
      reason: string | null;
      rejectionInfo?: { reason: string; recommendation: string };
      otherInfo?: { title: string; description: string };
      disableDateMs?: number;
    }
  | { kind: 'quality'; template: SimTemplate; previous: TemplateQuality; next: TemplateQuality };

export type TemplateDraftInput = {
  name: string;
  language: string;
  category: string;
  parameterFormat?: string | undefined;
  components: Array<Record<string, unknown>>;
};

export type CreateResult = { ok: true; template: SimTemplate } | { ok: false; subcode: number; userTitle: string; userMessage: string };

// §4.1 pause ladder: the first RED pauses for 3 h, the second for 6 h, the third disables.
export const PAUSE_DURATIONS_MS = [3 * 3_600_000, 6 * 3_600_000] as const;
// §4.2: 250 templates per WABA for an unverified portfolio.
const MAX_TEMPLATES_PER_WABA = 250;

export type TemplateRegistry = ReturnType<typeof createTemplateRegistry>;

type RegistryDeps = { clock: SimClock; ids: IdSource; reviewDelayMs: number };

function buildTemplate(deps: RegistryDeps, wabaId: string, draft: TemplateDraftInput, content: TemplateContent, status: TemplateStatus): SimTemplate {
  const variables = [...content.body.variables, ...(content.header?.text?.variables ?? [])];
  const declared = draft.parameterFormat?.toLowerCase();
  return {
    id: deps.ids.graphId('1584'),
    wabaId,
    name: draft.name,
    language: draft.language,
    category: draft.category.toUpperCase(),
    subCategory: 'CUSTOM',
    parameterFormat: declared === 'named' || declared === 'positional' ? declared : detectParameterFormat(variables),
    components: draft.components,
    content,
    status,
    rejectedReason: status === 'REJECTED' ? 'NONE' : null,
    quality: 'UNKNOWN',
    qualityUpdatedAtMs: deps.clock.nowMs(),
    pauseCount: 0,
    pausedUntilMs: null,
    createdAtMs: deps.clock.nowMs(),
  };
}

export function createTemplateRegistry(deps: RegistryDeps) {
  const templates = new Map<string, SimTemplate>();
  const listeners: Array<(event: TemplateEvent) => void> = [];
  const emit = (event: TemplateEvent) => listeners.forEach((listener) => listener(event));

  const review = (template: SimTemplate) => {
    if (template.status !== 'PENDING') return;
    const decision = reviewTemplate({ category: template.category, parameterFormat: template.parameterFormat, content: template.content });
    if (decision.status === 'APPROVED') {
      template.status = 'APPROVED';
      template.category = decision.category;
      emit({ kind: 'status', template, event: 'APPROVED', reason: 'NONE' });
      return;
    }
    template.status = 'REJECTED';
    template.rejectedReason = decision.reason;
    emit({ kind: 'status', template, event: 'REJECTED', reason: decision.reason, ...(decision.rejectionInfo ? { rejectionInfo: decision.rejectionInfo } : {}) });
  };

  const inWaba = (wabaId: string) => [...templates.values()].filter((template) => template.wabaId === wabaId);

  const create = (wabaId: string, draft: TemplateDraftInput): CreateResult => {
    const content = readTemplateContent(draft.components);
    const structureError: StructureError | null = checkTemplateStructure(content, draft.category);
    if (structureError !== null) return { ok: false, ...structureError };
    const existing = inWaba(wabaId);
    if (existing.some((template) => template.name === draft.name && template.language === draft.language)) {
      return { ok: false, subcode: 2388024, userTitle: 'Content in this language already exists', userMessage: `${draft.name} already has content in ${draft.language}.` };
    }
    if (existing.length >= MAX_TEMPLATES_PER_WABA) return { ok: false, subcode: 2388019, userTitle: 'Template limit exceeded', userMessage: 'This WhatsApp Business Account has reached its template limit.' };
    const template = buildTemplate(deps, wabaId, draft, content, 'PENDING');
    templates.set(template.id, template);
    deps.clock.after(deps.reviewDelayMs, () => review(template));
    return { ok: true, template };
  };

  /** Preloads an already-approved template (options.templates): it skips review and pacing unless told otherwise. */
  const seed = (wabaId: string, draft: TemplateDraftInput & { status?: TemplateStatus; quality?: TemplateQuality }) => {
    const template = buildTemplate(deps, wabaId, draft, readTemplateContent(draft.components), draft.status ?? 'APPROVED');
    template.quality = draft.quality ?? 'GREEN';
    templates.set(template.id, template);
    return template;
  };

  const unpause = (template: SimTemplate, how: 'automatic' | 'manual'): boolean => {
    if (template.status !== 'PAUSED') return false;
    template.status = 'APPROVED';
    template.pausedUntilMs = null;
    // A just-unpaused template is judged afresh and paced again (§4.1 "Template pacing"): its quality starts over.
    template.quality = 'UNKNOWN';
    template.qualityUpdatedAtMs = deps.clock.nowMs();
    const description = how === 'automatic' ? 'Your message template has been unpaused after its pause period ended.' : 'Your message template has been unpaused.';
    emit({ kind: 'status', template, event: 'APPROVED', reason: null, otherInfo: { title: 'UNPAUSE', description } });
    return true;
  };

  /**
   * One step of the §4.1 ladder: pause 3 h, pause 6 h, then disable. A template paused while paced does not
   * unpause by itself (§4.1: "Templates paused by pacing must be unpaused manually").
   */
  const pauseForQuality = (template: SimTemplate, options: { automaticUnpause: boolean }) => {
    if (template.status !== 'APPROVED') return;
    template.pauseCount += 1;
    const duration = PAUSE_DURATIONS_MS[template.pauseCount - 1];
    if (duration === undefined) {
      template.status = 'DISABLED';
      template.pausedUntilMs = null;
      const disableDateMs = deps.clock.nowMs();
      emit({ kind: 'status', template, event: 'DISABLED', reason: null, disableDateMs, otherInfo: { title: 'DISABLED', description: 'Your message template has been disabled because it was paused too many times for low quality.' } });
      return;
    }
    template.status = 'PAUSED';
    const until = deps.clock.nowMs() + duration;
    template.pausedUntilMs = until;
    const title = template.pauseCount === 1 ? 'FIRST_PAUSE' : 'SECOND_PAUSE';
    emit({ kind: 'status', template, event: 'PAUSED', reason: null, otherInfo: { title, description: `Your message template has been paused for ${duration / 3_600_000} hours because of low quality.` } });
    if (!options.automaticUnpause) return;
    deps.clock.schedule(until, () => {
      if (template.status === 'PAUSED' && template.pausedUntilMs === until) unpause(template, 'automatic');
    });
  };

  const setQuality = (template: SimTemplate, next: TemplateQuality) => {
    const previous = template.quality;
    if (previous === next) return;
    template.quality = next;
    template.qualityUpdatedAtMs = deps.clock.nowMs();
    emit({ kind: 'quality', template, previous, next });
  };

  /** DELETE by name (every language) or by name + hsm_id (one); disabled templates cannot be deleted (§4.5). */
  const remove = (wabaId: string, name: string, hsmId?: string): { ok: true; count: number } | { ok: false; message: string } => {
    const matches = inWaba(wabaId).filter((template) => template.name === name && (hsmId === undefined || template.id === hsmId));
    if (matches.length === 0) return { ok: false, message: `Message template "${name}" was not found.` };
    if (matches.some((template) => template.status === 'DISABLED')) return { ok: false, message: 'Disabled message templates cannot be deleted.' };
    matches.forEach((template) => templates.delete(template.id));
    return { ok: true, count: matches.length };
  };

  return {
    create,
    seed,
    remove,
    unpause,
    pauseForQuality,
    setQuality,
    get: (id: string) => templates.get(id),
    list: (wabaId: string) => inWaba(wabaId),
    all: () => [...templates.values()],
    find: (wabaId: string, name: string, language: string) => inWaba(wabaId).find((template) => template.name === name && template.language === language),
    subscribe: (listener: (event: TemplateEvent) => void) => void listeners.push(listener),
  };
}
