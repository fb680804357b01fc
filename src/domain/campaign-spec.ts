// The campaign document (`campaigns create --file SPEC.json`, the API's body): its schema, defaults and
// the readable errors a bad document gets. Pure. Everything a campaign is asked to do is in here; the
// sender and template names are checked against the database by actions/create-campaign.ts.

import { z } from 'zod';
import { DEFAULT_CANARY_HOLD_MS, DEFAULT_GUARD_THRESHOLDS, type GuardThresholds } from './campaign-guards.ts';
import type { FrequencyCap } from './frequency-cap.ts';
import { normalizeLanguage } from './language.ts';
import { refuseNonPublicUrl } from './public-url.ts';
import type { QuietHours } from './quiet-hours.ts';
import type { VariableMapping } from './template-variable-mapping.ts';
import { validTimeZone } from './zoned-time.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const templateName = z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name is lower-case letters, digits and underscores (§4.1)');
const hour = z.number().int().min(0).max(23);
const instant = z.iso.datetime({ offset: true, error: 'a date-time like "2026-12-01T09:00:00+01:00"' });
const country = z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code like "DE"').transform((value) => value.toUpperCase());

const source = z.union([
  z.object({ from: z.literal('contact'), field: z.enum(['name', 'first_name', 'phone', 'language', 'country']) }),
  z.object({ from: z.literal('attribute'), key: z.string().min(1) }),
  z.object({ from: z.literal('constant'), value: z.string() }),
]);
const format = z.union([z.object({ kind: z.literal('date'), style: z.enum(['short', 'medium', 'long']).optional() }), z.object({ kind: z.literal('currency'), currency: z.string().regex(/^[A-Z]{3}$/) })]);
const binding = z.intersection(source, z.object({ fallback: z.string().optional(), format: format.optional() }));
// Meta fetches a header media link, never Greenlight: https and a public host only (domain/public-url.ts).
const media = z.union([z.object({ id: z.string().min(1) }), z.object({ link: z.url({ protocol: /^https$/ }).superRefine(refuseNonPublicUrl()) })]);

const variables = z.strictObject({
  body: z.record(z.string(), binding).default({}),
  header: binding.optional(),
  buttons: z.record(z.string().regex(/^\d$/, 'a button is keyed by its 0-based index'), binding).optional(),
  headerMedia: z.object({ media, filename: z.string().optional() }).optional(),
  headerLocation: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
});

/** Who the campaign is for; every given filter must hold (tags: all of them; anyTags: at least one). */
const audience = z
  .strictObject({
    tags: z.array(z.string().min(1)).optional(),
    anyTags: z.array(z.string().min(1)).optional(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    countries: z.array(country).optional(),
    segment: z.string().min(1).optional(),
    /** E.164 numbers, e.g. from a CSV (`--audience-csv`): only these contacts. */
    phones: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number like "+4915112345678"')).optional(),
    all: z.literal(true).optional(),
  })
  .refine((value) => Object.values(value).some((field) => field !== undefined), 'an audience needs at least one filter, or {"all": true} to mean every contact');

const guards = z.strictObject({
  optOutRate: z.number().min(0).max(1).optional(),
  failureRate: z.number().min(0).max(1).optional(),
  blockSignalRate: z.number().min(0).max(1).optional(),
  minSample: z.number().int().min(1).optional(),
  windowMinutes: z.number().int().min(1).max(24 * 60).optional(),
});

export const campaignSpecSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** The sender's phone_number_id or display number. */
  sender: z.string().min(1),
  template: templateName,
  defaultLanguage: z.string().min(2),
  audience,
  variables: variables.default({ body: {} }),
  /** Free-form text for contacts inside their service window (step 10). */
  session: z.strictObject({ text: z.string().min(1).max(4096) }).optional(),
  schedule: z.strictObject({ startAt: instant.optional(), sendUntil: instant.optional() }).default({}),
  quietHours: z.union([z.strictObject({ start: hour, end: hour }), z.literal(false)]).default({ start: 21, end: 9 }),
  /** The zone quiet hours are read in for a contact whose zone is unknown. */
  timeZone: z.string().refine(validTimeZone, 'an IANA time zone like "Europe/Berlin"').default('UTC'),
  frequencyCap: z
    .union([
      z.strictObject({
        maxMarketing: z.number().int().min(0).default(2),
        windowDays: z.number().positive().default(7),
        minGapHours: z.number().min(0).default(0),
        sameTemplateDays: z.number().min(0).default(0),
      }),
      z.literal(false),
    ])
    .default({ maxMarketing: 2, windowDays: 7, minGapHours: 0, sameTemplateDays: 0 }),
  /** At most this many messages per second from this campaign, below the sender's own share. */
  rate: z.strictObject({ messagesPerSecond: z.number().positive().max(1000) }).optional(),
  canary: z.union([z.strictObject({ size: z.number().int().min(1).optional(), holdMinutes: z.number().min(0).default(DEFAULT_CANARY_HOLD_MS / 60_000) }), z.literal(false)]).default({ holdMinutes: DEFAULT_CANARY_HOLD_MS / 60_000 }),
  guards: guards.default({}),
  budget: z.strictObject({ usd: z.number().positive() }).optional(),
  /** A/B: split the audience between templates of the same category. The main template is one of them. */
  variants: z.array(z.strictObject({ name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/), template: templateName, weight: z.number().positive().default(1) })).min(2).max(10).optional(),
  countries: z.strictObject({ allow: z.array(country).optional(), block: z.array(country).default([]) }).default({ block: [] }),
  /**
   * A tracked link: `url` is where people land. With `button`, that URL button's variable (its URL must
   * end in {{1}} after serve's /r/) carries each recipient's token; a session text's {link} becomes the
   * tracked URL. Needs GREENLIGHT_PUBLIC_URL.
   */
  link: z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'a web address like "https://shop.example.com/winter"' }).superRefine(refuseNonPublicUrl(['http:', 'https:'])), button: z.number().int().min(0).max(9).optional() }).optional(),
});

export type CampaignSpecInput = z.input<typeof campaignSpecSchema>;
export type CampaignSpec = z.output<typeof campaignSpecSchema>;
export type CampaignAudience = CampaignSpec['audience'];

export type SpecError = { path: string; message: string };
export type SpecResult = { ok: true; spec: CampaignSpec } | { ok: false; errors: SpecError[] };

/**
 * Validates a campaign document: every problem of shape at once, each with the path it is at; the rules
 * that compare fields (dates, variants, language) once the shape is right, again all at once.
 */
export function parseCampaignSpec(input: unknown): SpecResult {
  const parsed = campaignSpecSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(document)', message: issueMessage(issue) })) };
  const spec = parsed.data;
  const errors: SpecError[] = [];
  if (!normalizeLanguage(spec.defaultLanguage)) errors.push({ path: 'defaultLanguage', message: `"${spec.defaultLanguage}" is not a language code like "en_US" or "pt_BR"` });
  const { startAt, sendUntil } = spec.schedule;
  if (startAt && sendUntil && Date.parse(sendUntil) <= Date.parse(startAt)) errors.push({ path: 'schedule.sendUntil', message: 'the campaign must end after it starts' });
  if (spec.variants) {
    const names = spec.variants.map((variant) => variant.name);
    if (new Set(names).size !== names.length) errors.push({ path: 'variants', message: 'each variant needs its own name' });
    if (!spec.variants.some((variant) => variant.template === spec.template)) errors.push({ path: 'variants', message: `one variant must use the campaign's template "${spec.template}"` });
  }
  if (spec.session && /\{link\}/.test(spec.session.text) && !spec.link) errors.push({ path: 'session.text', message: 'the text has a {link} but the campaign has no link (add "link": {"url": …})' });
  if (spec.quietHours !== false && spec.quietHours.start === spec.quietHours.end) errors.push({ path: 'quietHours', message: 'start and end are the same hour; use false for no quiet hours' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, spec: { ...spec, defaultLanguage: normalizeLanguage(spec.defaultLanguage) ?? spec.defaultLanguage } };
}

/** zod reports a bad record key as "Invalid key in record" and keeps the key schema's own message inside. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') return issue.issues[0]?.message ?? issue.message;
  return issue.message;
}

export function formatSpecErrors(errors: readonly SpecError[]): string {
  return errors.map((error) => `  ${error.path}: ${error.message}`).join('\n');
}

// ---- The rules the decision code takes, read from a spec -------------------------------------------

export function quietHoursOf(spec: CampaignSpec): QuietHours | null {
  return spec.quietHours === false ? null : { startHour: spec.quietHours.start, endHour: spec.quietHours.end };
}

export function frequencyCapOf(spec: CampaignSpec): FrequencyCap | null {
  const cap = spec.frequencyCap;
  if (cap === false) return null;
  return { maxMarketing: cap.maxMarketing, windowMs: cap.windowDays * DAY_MS, minGapMs: cap.minGapHours * HOUR_MS, sameTemplateCooldownMs: cap.sameTemplateDays * DAY_MS };
}

/** Stands in for a tracked link's token while the template is rendered (same length, so length checks hold). */
export const TRACKED_TOKEN_STAND_IN = '000000000000';

export function variableMappingOf(spec: CampaignSpec): VariableMapping {
  const { buttons, ...rest } = spec.variables;
  const mapped: Record<number, VariableMapping['body'][string]> = Object.fromEntries(Object.entries(buttons ?? {}).map(([index, value]) => [Number(index), value]));
  // The tracked button's value is the recipient's token, given at send time (dispatch/send-batch.ts).
  if (spec.link?.button !== undefined) mapped[spec.link.button] = { from: 'constant', value: TRACKED_TOKEN_STAND_IN };
  return { ...rest, ...(Object.keys(mapped).length > 0 ? { buttons: mapped } : {}) };
}

export function guardThresholdsOf(spec: CampaignSpec): GuardThresholds & { windowMs: number } {
  const { windowMinutes, ...given } = spec.guards;
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_GUARD_THRESHOLDS, ...defined, windowMs: (windowMinutes ?? 15) * 60_000 };
}

/** The templates the campaign sends: the main one, or each A/B variant's. */
export function templatesOf(spec: CampaignSpec): Array<{ variant: string | null; template: string; weight: number }> {
  return spec.variants ? spec.variants.map((variant) => ({ variant: variant.name, template: variant.template, weight: variant.weight })) : [{ variant: null, template: spec.template, weight: 1 }];
}

/** The longest look-back the frequency rules need, so the dispatcher loads no more history than that. */
export function historyWindowMs(spec: CampaignSpec): number {
  const cap = frequencyCapOf(spec);
  const pairGapMs = 6_000;
  return Math.max(pairGapMs, cap?.windowMs ?? 0, cap?.minGapMs ?? 0, cap?.sameTemplateCooldownMs ?? 0);
}
