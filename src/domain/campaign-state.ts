// The campaign's states and which command may move it where (product.md, States):
// draft → scheduled → running ⇄ paused(reason) → completed | cancelled. Pure.

export const CAMPAIGN_STATES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Why a campaign is paused: a person did it, the canary wave, a breaker, or the budget (product.md). */
export const PAUSE_REASONS = ['manual', 'canary', 'breaker', 'budget'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export type Pause = { reason: PauseReason; detail: string; action: string };

export type CampaignCommand = 'launch' | 'start' | 'pause' | 'resume' | 'cancel' | 'complete';

/** The states each command may start from; anything else is refused with a message naming the state. */
const FROM: Record<CampaignCommand, readonly CampaignState[]> = {
  launch: ['draft'],
  // A scheduled campaign starts when its time comes (the dispatcher does it).
  start: ['scheduled'],
  pause: ['scheduled', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
  complete: ['running'],
};

export function statesAllowing(command: CampaignCommand): readonly CampaignState[] {
  return FROM[command];
}

export function canApply(command: CampaignCommand, state: CampaignState): boolean {
  return FROM[command].includes(state);
}

/** Why `command` cannot run now, in words a person can act on. */
export function refusal(command: CampaignCommand, state: CampaignState): string {
  if (state === 'completed' || state === 'cancelled') return `the campaign is ${state}; nothing can change it now (create a new campaign)`;
  const allowed = FROM[command].join(' or ');
  return `cannot ${command} a ${state} campaign (only a ${allowed} one)`;
}

export function isFinished(state: CampaignState): boolean {
  return state === 'completed' || state === 'cancelled';
}
