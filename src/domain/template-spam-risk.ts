// Scores how likely a template is to get its sender blocked and reported, from 0 (safe) to 100, and explains
// every point as a finding with its location. Advisory only: what Meta rejects is template lint's job. Pure.
// Finding signals in text is template-spam-scan.ts's job; the word lists live in template-spam-words.ts.

import { STOP_PROMOTIONS_PAYLOAD } from './inbound-opt-out.ts';
import { detectOptOut } from './opt-out-keywords.ts';
import type { LintFinding, TemplateDefinition, TemplateLocation } from './template.ts';
import {
  findEmoji,
  findLinks,
  findLoneExclamations,
  findPercentDiscounts,
  findPhrases,
  findPunctuationRuns,
  findShouting,
  hostOf,
  phraseMatchersFor,
  tellsHowToStop,
  withoutOverlaps,
  type Found,
  type PhraseKind,
  type PhraseMatchers,
  type Range,
} from './template-spam-scan.ts';
import { LINK_SHORTENERS } from './template-spam-words.ts';

// The weights. `points` is what one occurrence costs (for shouting: points × the share of words in capitals);
// `cap` is the most one signal can add, so a single habit repeated ten times does not outweigh everything else.
// Why these sizes: quality is driven by blocks, reports and read rates (whatsapp-rules.md §8.4), so the heaviest
// signals are the ones that cost money or trust on their own; wording habits are medium and stack; hygiene
// (personalisation, length) is small. Any one wording signal stays below HIGH_RISK_FROM by itself.
export const SPAM_WEIGHTS = {
  // Meta approves or re-categorises it as MARKETING and charges it so; repeated misuse suspends utility sends (§4.1).
  utility_promotional: { points: 35, cap: 35 },
  // A hidden destination is the shape of phishing: reported on sight and distrusted by Meta's review.
  link_shortener: { points: 15, cap: 30 },
  // With no way to stop promotions, a person who has had enough blocks; blocks weigh most in quality (§8.2, §8.4).
  no_opt_out: { points: 20, cap: 20 },
  // Capitals read as shouting. Scaled by the share of words, so one capitalised brand name costs almost nothing.
  shouting: { points: 40, cap: 25 },
  // Manufactured urgency and prize wording are what people name when they report a business for spam.
  pressure: { points: 8, cap: 30 },
  money_bait: { points: 8, cap: 30 },
  // A concrete perk ("free shipping") reads as information, so it costs little.
  incentive: { points: 3, cap: 6 },
  exclamation_run: { points: 6, cap: 12 },
  // Per "!" beyond EXCLAMATIONS_ALLOWED, per emoji beyond EMOJI_ALLOWED, per link beyond LINKS_ALLOWED.
  many_exclamations: { points: 2, cap: 8 },
  emoji_pile: { points: 3, cap: 15 },
  too_many_links: { points: 5, cap: 10 },
  // Generic and long messages are read less, and low read rates lower template quality (§8.4).
  no_personalisation: { points: 5, cap: 5 },
  long_marketing_body: { points: 5, cap: 5 },
} as const;

export type SpamSignal = keyof typeof SPAM_WEIGHTS;

/** Below LOW_RISK_BELOW a template is low risk; from HIGH_RISK_FROM it is high risk; medium in between. */
export const LOW_RISK_BELOW = 25;
export const HIGH_RISK_FROM = 60;

// Allowances: a couple of emoji and exclamation marks make a message friendly, and a body link plus a URL button is normal.
export const EMOJI_ALLOWED = 4;
export const EXCLAMATIONS_ALLOWED = 3;
export const LINKS_ALLOWED = 2;
export const LONG_MARKETING_BODY = 600;

export type SpamVerdict = 'low' | 'medium' | 'high';
export type SpamFinding = LintFinding & { points: number };
export type SpamAssessment = { score: number; verdict: SpamVerdict; findings: SpamFinding[] };

/** One piece of text the reader sees (or taps), with how to point at a range inside it. */
type Part = { kind: 'header' | 'body' | 'footer' | 'label' | 'url'; text: string; place: (range: Range) => TemplateLocation };
type Candidate = { signal: SpamSignal; points: number; message: string; location: TemplateLocation };

export function assessSpamRisk(template: TemplateDefinition): SpamAssessment {
  const parts = readableParts(template);
  const matchers = phraseMatchersFor(template.language);
  const candidates = [
    ...categoryCandidates(template),
    ...parts.flatMap((part) => wordingCandidates(part, matchers, template.category === 'UTILITY')),
    ...shoutingCandidates(parts),
    ...parts.flatMap(punctuationRunCandidates),
    ...excessCandidates(parts, 'many_exclamations'),
    ...excessCandidates(parts, 'emoji_pile'),
    ...linkCandidates(parts),
  ];
  const findings = allot(candidates);
  const score = Math.min(100, findings.reduce((sum, finding) => sum + finding.points, 0));
  return { score, verdict: spamVerdict(score), findings };
}

/** The verdict for a score, by LOW_RISK_BELOW and HIGH_RISK_FROM. */
export function spamVerdict(score: number): SpamVerdict {
  return score < LOW_RISK_BELOW ? 'low' : score < HIGH_RISK_FROM ? 'medium' : 'high';
}

/** Applies each signal's cap in document order, then lists the costliest findings first (what to fix first). */
function allot(candidates: Candidate[]): SpamFinding[] {
  const spent = new Map<SpamSignal, number>();
  const findings = candidates.map((candidate): SpamFinding => {
    const { cap } = SPAM_WEIGHTS[candidate.signal];
    const used = spent.get(candidate.signal) ?? 0;
    const points = Math.max(0, Math.min(candidate.points, cap - used));
    spent.set(candidate.signal, used + points);
    // A capped occurrence is still listed, so an editor underlines every one of them.
    const message = points < candidate.points ? `${candidate.message} (Not counted again: this signal adds at most ${cap} points.)` : candidate.message;
    // Always a warning: the score is advice. 'error' is for what Meta rejects, which template lint decides.
    return { code: `spam.${candidate.signal}`, severity: 'warning', message, location: candidate.location, points };
  });
  return findings.sort((a, b) => b.points - a.points);
}

// ---- What the reader sees ------------------------------------------------------------------------------

const place =
  (component: 'header' | 'body' | 'footer') =>
  (range: Range): TemplateLocation => ({ component, range });
const placeButton =
  (index: number, field: 'text' | 'url') =>
  (range: Range): TemplateLocation => ({ component: 'button', index, field, range });

/**
 * The texts to scan. An AUTHENTICATION template's header, body and footer are preset by Meta (§4.2), so only
 * its button labels are the business's own words.
 */
function readableParts(template: TemplateDefinition): Part[] {
  const parts: Part[] = [];
  if (template.category !== 'AUTHENTICATION') {
    if (template.header?.format === 'TEXT') parts.push({ kind: 'header', text: template.header.text, place: place('header') });
    parts.push({ kind: 'body', text: template.body.text, place: place('body') });
    if (template.footer) parts.push({ kind: 'footer', text: template.footer.text, place: place('footer') });
  }
  template.buttons.forEach((button, index) => {
    if ('text' in button && button.text) parts.push({ kind: 'label', text: button.text, place: placeButton(index, 'text') });
    if (button.type === 'URL') parts.push({ kind: 'url', text: button.url, place: placeButton(index, 'url') });
  });
  return parts;
}

/** What people read as the message: header, body, footer and button labels, not the URLs behind buttons. */
const isMessageText = (part: Part) => part.kind !== 'url';
const quote = (text: string) => `"${text.trim()}"`;

// ---- Category-level signals ----------------------------------------------------------------------------

function categoryCandidates(template: TemplateDefinition): Candidate[] {
  if (template.category === 'AUTHENTICATION') return [];
  const candidates: Candidate[] = [];
  const optOutButton = template.buttons.some((button) => button.type === 'QUICK_REPLY' && detectOptOut(button.text) !== null);
  if (template.category === 'MARKETING' && !optOutButton && !tellsHowToStop(template.footer?.text ?? '')) {
    candidates.push({
      signal: 'no_opt_out',
      points: SPAM_WEIGHTS.no_opt_out.points,
      // At the footer: one of the two fixes goes there, and the buttons, where the other goes, sit right below it.
      location: { component: 'footer' },
      message: `This MARKETING template gives no way to stop promotions. People who cannot opt out block the number instead, and blocks lower its quality the most; add a quick-reply button "Stop promotions" (payload ${STOP_PROMOTIONS_PAYLOAD}), or a footer such as "Reply STOP to unsubscribe".`,
    });
  }
  const header = template.header?.format === 'TEXT' ? template.header.text : '';
  if (!/\{\{[^{}]+\}\}/.test(`${header} ${template.body.text}`)) {
    candidates.push({
      signal: 'no_personalisation',
      points: SPAM_WEIGHTS.no_personalisation.points,
      location: { component: 'body' },
      message: "There is no variable in the header or body, so everyone gets the same text. Generic messages are read less, and low read rates lower template quality; add the person's name or their order number.",
    });
  }
  const length = template.body.text.length;
  if (template.category === 'MARKETING' && length > LONG_MARKETING_BODY) {
    candidates.push({
      signal: 'long_marketing_body',
      points: SPAM_WEIGHTS.long_marketing_body.points,
      location: { component: 'body', range: [LONG_MARKETING_BODY, length] },
      message: `The body is ${length} characters. Marketing longer than ${LONG_MARKETING_BODY} characters is read less, and low read rates lower template quality; keep the offer and one call to action.`,
    });
  }
  return candidates;
}

// ---- Wording -------------------------------------------------------------------------------------------

type WordingSignal = Exclude<PhraseKind, 'harmless'>;

const WORDING_MESSAGES: Readonly<Record<WordingSignal, (phrase: string) => string>> = {
  pressure: (phrase) => `${phrase} is pressure wording. People read manufactured urgency as spam and block or report the sender; state the real deadline plainly instead ("Offer ends Sunday at 23:59").`,
  money_bait: (phrase) => `${phrase} is prize or free-money wording, the vocabulary of scams, which even real customers report. Name the actual benefit and its conditions ("10% off your next order").`,
  incentive: (phrase) => `${phrase} is a concrete perk, which is fine, but it still counts a little as bait; keep it specific and do not stack it with other offers.`,
  utility_promotional: (phrase) => `${phrase} is promotional wording in a UTILITY template. Meta will approve or re-categorise it as MARKETING and charge the marketing rate, and repeated misuse suspends utility messaging for 7 days; remove the offer, or send it as a separate MARKETING template.`,
};

function wordingCandidates(part: Part, matchers: PhraseMatchers, isUtility: boolean): Candidate[] {
  if (!isMessageText(part)) return [];
  const promotional = isUtility ? withoutOverlaps([...findPercentDiscounts(part.text), ...findPhrases(part.text, matchers.promotional)]) : [];
  const phrases = [...findPhrases(part.text, matchers.pressure), ...findPhrases(part.text, matchers.money), ...promotional];
  return phrases.map(({ kind, range, text }) => ({ signal: kind, points: SPAM_WEIGHTS[kind].points, message: WORDING_MESSAGES[kind](quote(text)), location: part.place(range) }));
}

// ---- Capitals, punctuation, emoji ----------------------------------------------------------------------

function shoutingCandidates(parts: Part[]): Candidate[] {
  const scanned = parts.filter((part) => part.kind === 'header' || part.kind === 'body' || part.kind === 'footer').map((part) => ({ part, ...findShouting(part.text) }));
  const total = scanned.reduce((sum, { words }) => sum + words, 0);
  const shouted = scanned.reduce((sum, part) => sum + part.shouted.length, 0);
  // One capitalised word is emphasis; it is shouting when others come with it or it is most of a tiny message.
  if (shouted === 0 || (shouted === 1 && shouted / total < 0.5)) return [];
  return scanned.flatMap(({ part, shouted: words }) => {
    const first = words[0];
    const last = words[words.length - 1];
    const points = Math.round((SPAM_WEIGHTS.shouting.points * words.length) / total);
    if (first === undefined || last === undefined || points === 0) return [];
    const examples = words.slice(0, 3).map((word) => quote(word.text)).join(', ');
    return [{
      signal: 'shouting',
      points,
      location: part.place([first.range[0], last.range[1]]),
      message: `${shouted} of ${total} words are in capitals (${examples} here). Capitals read as shouting, a classic reason to report a message as spam; write in sentence case (acronyms such as OK or PIX are fine).`,
    }];
  });
}

function punctuationRunCandidates(part: Part): Candidate[] {
  if (!isMessageText(part)) return [];
  return findPunctuationRuns(part.text).map(({ range, text }) => ({
    signal: 'exclamation_run',
    points: SPAM_WEIGHTS.exclamation_run.points,
    location: part.place(range),
    message: `${quote(text)} is a run of punctuation, which makes a message look like spam; one mark is enough.`,
  }));
}

const EXCESS = {
  many_exclamations: {
    allowed: EXCLAMATIONS_ALLOWED,
    find: findLoneExclamations,
    message: (count: number) => `${count} exclamation marks (more than ${EXCLAMATIONS_ALLOWED}). A message that exclaims everything reads as hype and gets muted or blocked; keep one for the key sentence.`,
  },
  emoji_pile: {
    allowed: EMOJI_ALLOWED,
    find: findEmoji,
    message: (count: number) => `${count} emoji (more than ${EMOJI_ALLOWED}). Piles of emoji look like bulk spam and get messages reported; keep one or two that add meaning.`,
  },
} as const;

/** One finding per component holding occurrences beyond the allowance, priced per extra occurrence. */
function excessCandidates(parts: Part[], signal: keyof typeof EXCESS): Candidate[] {
  const { allowed, find, message } = EXCESS[signal];
  const occurrences = parts.filter(isMessageText).flatMap((part) => find(part.text).map(({ range }) => ({ part, range })));
  const extrasByPart = new Map<Part, Range[]>();
  for (const { part, range } of occurrences.slice(allowed)) extrasByPart.set(part, [...(extrasByPart.get(part) ?? []), range]);
  return [...extrasByPart].map(([part, ranges]) => ({
    signal,
    points: SPAM_WEIGHTS[signal].points * ranges.length,
    location: part.place([ranges[0]?.[0] ?? 0, ranges[ranges.length - 1]?.[1] ?? 0]),
    message: message(occurrences.length),
  }));
}

// ---- Links ---------------------------------------------------------------------------------------------

function linksIn(part: Part): Array<Found & { part: Part; host: string }> {
  if (part.kind === 'url') return [{ part, range: [0, part.text.length], text: part.text, host: hostOf(part.text) }];
  return part.kind === 'label' ? [] : findLinks(part.text).map((link) => ({ part, ...link }));
}

function linkCandidates(parts: Part[]): Candidate[] {
  const links = parts.flatMap(linksIn);
  const shortened = links
    .filter(({ host }) => LINK_SHORTENERS.has(host))
    .map(({ part, range, host }): Candidate => ({
      signal: 'link_shortener',
      points: SPAM_WEIGHTS.link_shortener.points,
      location: part.place(range),
      message: `${quote(host)} is a link shortener. A hidden destination is what phishing looks like, so people report it and Meta's review distrusts it; use the full link on your own domain, ideally in a URL button.`,
    }));
  const extra = links.slice(LINKS_ALLOWED).map(({ part, range }, index): Candidate => ({
    signal: 'too_many_links',
    points: SPAM_WEIGHTS.too_many_links.points,
    location: part.place(range),
    message: `This is link ${LINKS_ALLOWED + index + 1} of ${links.length}. More than ${LINKS_ALLOWED} links make a message look like spam and split attention; keep one, ideally in a URL button.`,
  }));
  return [...shortened, ...extra];
}
