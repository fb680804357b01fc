// Suppression reasons: why someone must not be messaged for a reason other than consent (product.md,
// Suppression). Shared by the ledger (store/suppressions.ts) and the send decision. Types only.

export const SUPPRESSION_REASONS = ['undeliverable', 'blocked', 'marketing_stopped', 'marketing_cap', 'erased'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
