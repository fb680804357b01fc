// The reasons a send decision skips or defers a message: stable strings, counted per campaign in its
// report and stored on the message row. Types only; each reason is decided (and its rule cited) in the
// module named beside it.

export const SKIP_REASONS = [
  // Step 1, reachable (send-eligibility.ts; product.md step 1, whatsapp-rules.md §3 131026).
  'invalid_number',
  'not_mobile',
  'suppressed_undeliverable',
  'suppressed_blocked',
  // The person had their data erased (actions/erase-contact.ts): never messaged again.
  'suppressed_erased',
  // Step 2, consent (send-eligibility.ts; §8.1, §8.2).
  'no_consent',
  'opted_out',
  'marketing_stopped',
  // Step 3, market rules (send-eligibility.ts; §8.3 US pause, 130497 country restriction).
  'us_marketing',
  'country_not_allowed',
  // Step 4, template (template-choice.ts; §4.1).
  'no_approved_template',
  'template_paused',
  'template_disabled',
  'template_red',
  'category_changed',
  // Step 5, variables (template-render.ts; §4.2, §4.3).
  'missing_variable',
  'bad_value',
  'value_too_long',
  'header_too_long',
  'body_too_long',
  // Step 6, frequency (frequency-cap.ts; product.md step 6).
  'frequency_cap',
  'same_template_recently',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const DEFER_REASONS = [
  // Step 6: Meta's per-user marketing cap held the last attempt (131049, §8.3), and Greenlight's own cap and gap.
  'marketing_cap',
  'frequency_cap',
  'min_gap',
  // Step 7 (quiet-hours.ts).
  'quiet_hours',
  // Step 8 (messaging-budget.ts; §1).
  'messaging_limit',
  // Step 9, pacing: at most one message to a contact every 6 s from one sender (pacing.ts; §2, 131056).
  'pair_gap',
] as const;
export type DeferReason = (typeof DEFER_REASONS)[number];
