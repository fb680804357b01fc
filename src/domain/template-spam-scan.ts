// Finds the raw spam signals in one text (phrases from the word tables, capitals, punctuation runs, emoji, links)
// with their character ranges. It does not weigh them: the points are template-spam-risk.ts's job. Pure.

import { detectOptOut } from './opt-out-keywords.ts';
import {
  ENGLISH_FALSE_FRIENDS,
  LONG_ACRONYMS,
  PERCENT_DISCOUNT,
  SHORT_SHOUTS,
  SPAM_WORD_LANGUAGES,
  SPAM_WORDS,
  type SpamWordLanguage,
} from './template-spam-words.ts';

export type Range = [number, number];
export type Found = { range: Range; text: string };

/** Blanks variables ("{{1}}", "{{first_name}}") with spaces, so offsets stay true and their names are not read as words. */
export const blankVariables = (text: string) => text.replace(/\{\{[^{}]*\}\}/g, (variable) => ' '.repeat(variable.length));

const found = (text: string, start: number, end: number): Found => ({ range: [start, end], text: text.slice(start, end) });

/** Lower case without accents, one character for one character, so match offsets point into the original text. */
export function fold(text: string): string {
  let folded = '';
  for (const character of text) {
    const plain = character.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    folded += plain.length === character.length ? plain : character;
  }
  return folded;
}

// ---- Phrases -------------------------------------------------------------------------------------------

export type PhraseKind = 'pressure' | 'money_bait' | 'incentive' | 'harmless' | 'utility_promotional';
type PhraseMatcher = { pattern: RegExp; kinds: ReadonlyMap<string, PhraseKind> };
export type PhraseMatchers = { pressure: PhraseMatcher; money: PhraseMatcher; promotional: PhraseMatcher };

const phraseKey = (text: string) => fold(text).replace(/\s+/g, ' ').replace(/’/g, "'");

function phraseMatcher(entries: ReadonlyArray<readonly [string, PhraseKind]>): PhraseMatcher {
  const kinds = new Map(entries.map(([phrase, kind]) => [phraseKey(phrase), kind] as const));
  // Longest first, so "free shipping" wins over "free" and "oferta por tiempo limitado" over "por tiempo limitado".
  const alternatives = [...kinds.keys()]
    .sort((a, b) => b.length - a.length)
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+').replace(/'/g, "['’]"));
  return { pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu'), kinds };
}

/** The language's own tables plus the English one, without the English words that mean something else there. */
function buildMatchers(language: SpamWordLanguage): PhraseMatchers {
  const falseFriends = new Set(ENGLISH_FALSE_FRIENDS[language] ?? []);
  const english = { ...SPAM_WORDS.en, promotional: SPAM_WORDS.en.promotional.filter((word) => !falseFriends.has(word)) };
  const tables = language === 'en' ? [english] : [SPAM_WORDS[language], english];
  const pick = (field: 'pressure' | 'moneyBait' | 'incentives' | 'harmless' | 'promotional', kind: PhraseKind) =>
    tables.flatMap((table) => table[field].map((phrase) => [phrase, kind] as const));
  return {
    pressure: phraseMatcher(pick('pressure', 'pressure')),
    // One matcher for the three, so "free shipping" (incentive) and "feel free" (harmless) take their words from "free".
    money: phraseMatcher([...pick('moneyBait', 'money_bait'), ...pick('incentives', 'incentive'), ...pick('harmless', 'harmless')]),
    promotional: phraseMatcher(pick('promotional', 'utility_promotional')),
  };
}

const MATCHERS: Readonly<Record<SpamWordLanguage, PhraseMatchers>> = { en: buildMatchers('en'), es: buildMatchers('es'), pt: buildMatchers('pt') };

/** The matchers for a template language: "pt_BR" → Portuguese and English; a language without tables → English. */
export function phraseMatchersFor(languageCode: string): PhraseMatchers {
  const base = languageCode.split(/[_-]/)[0]?.toLowerCase() ?? '';
  return MATCHERS[SPAM_WORD_LANGUAGES.find((language) => language === base) ?? 'en'];
}

/** Every table phrase in `text`, harmless ones already dropped. */
export function findPhrases(text: string, matcher: PhraseMatcher): Array<Found & { kind: Exclude<PhraseKind, 'harmless'> }> {
  return [...fold(blankVariables(text)).matchAll(matcher.pattern)].flatMap((match) => {
    const kind = matcher.kinds.get(phraseKey(match[0]));
    return kind === undefined || kind === 'harmless' ? [] : [{ kind, ...found(text, match.index, match.index + match[0].length) }];
  });
}

/** Discounts written as numbers ("20% off", "15% de desconto"), in the same shape as findPhrases. */
export function findPercentDiscounts(text: string): Array<Found & { kind: 'utility_promotional' }> {
  return [...blankVariables(text).matchAll(PERCENT_DISCOUNT)].map((match) => ({ kind: 'utility_promotional', ...found(text, match.index, match.index + match[0].length) }));
}

/** Keeps the first of overlapping matches, so "20% de desconto" is one finding and not two; sorted by position. */
export function withoutOverlaps<T extends { range: Range }>(matches: T[]): T[] {
  const kept: T[] = [];
  for (const match of matches) if (!kept.some((other) => match.range[0] < other.range[1] && other.range[0] < match.range[1])) kept.push(match);
  return kept.sort((a, b) => a.range[0] - b.range[0]);
}

/** True when a footer says how to stop: unsubscribe wording, or a STOP-style keyword in capitals ("Reply STOP", "Responda SAIR"). */
export function tellsHowToStop(text: string): boolean {
  const stopWordInCapitals = (text.match(/\p{L}{2,}/gu) ?? []).some((word) => word === word.toUpperCase() && detectOptOut(word) !== null);
  const folded = fold(text);
  return stopWordInCapitals || OPT_OUT_WORDING.some((phrase) => folded.includes(phrase));
}

// Every language's wording: a footer is often in English whatever the template's language.
const OPT_OUT_WORDING = SPAM_WORD_LANGUAGES.flatMap((language) => SPAM_WORDS[language].optOutWording.map(fold));

// ---- Capitals, punctuation, emoji ----------------------------------------------------------------------

const WORD = /[\p{L}\p{N}]+(?:['’]\p{L}+)*/gu;

/** ALL-CAPS and not an acronym: short words (OK, PIX, SMS), codes with digits, ID names and STOP-style keywords pass. */
function isShouted(word: string): boolean {
  const letters = [...word.replace(/[^\p{L}]/gu, '')].length;
  if (letters < 2 || /\p{N}/u.test(word) || word !== word.toUpperCase() || word === word.toLowerCase()) return false;
  if (letters <= 3 && !SHORT_SHOUTS.has(word)) return false;
  return !LONG_ACRONYMS.has(word) && detectOptOut(word) === null;
}

/** How many words the text has (links and variables aside) and which of them are shouted. */
export function findShouting(text: string): { words: number; shouted: Found[] } {
  const words = [...blankLinks(blankVariables(text)).matchAll(WORD)].filter((match) => /\p{L}/u.test(match[0]));
  const shouted = words.filter((match) => isShouted(match[0])).map((match) => found(text, match.index, match.index + match[0].length));
  return { words: words.length, shouted };
}

// Three or more of any mix, or a doubled "!!" / "??"; a single "?!" is ordinary.
const PUNCTUATION_RUN = /[!?¡¿]{3,}|[!¡]{2,}|[?¿]{2,}/gu;
// An exclamation mark on its own; those in a run are counted as the run.
const LONE_EXCLAMATION = /(?<![!?¡¿])!(?![!?¡¿])/g;
// Emoji as people see them: a flag, or a pictograph with its skin tone, variation selector and zero-width-joined
// partners (a family is one emoji). ©, ® and ™ are pictographs too, but read as text.
const EMOJI =
  /\p{Regional_Indicator}{2}|(?![©®™])\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?(?:\u200D\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?)*/gu;

const findAll = (text: string, pattern: RegExp): Found[] => [...text.matchAll(pattern)].map((match) => found(text, match.index, match.index + match[0].length));
export const findPunctuationRuns = (text: string) => findAll(text, PUNCTUATION_RUN);
export const findLoneExclamations = (text: string) => findAll(text, LONE_EXCLAMATION);
export const findEmoji = (text: string) => findAll(text, EMOJI);

// ---- Links ---------------------------------------------------------------------------------------------

// A link with a scheme or "www.", or a bare domain ending in a common or shortener top-level domain ("bit.ly/x").
const LINK =
  /(?:https?:\/\/|www\.)[^\s<>"]+|(?<![\p{L}\p{N}@./-])(?:[a-z0-9-]+\.)+(?:com|net|org|co|io|me|ly|gl|gd|br|es|mx|ar|cl|pe|pt|at|cc|to|in|id|st|do|gy|ink|pw|one|link|shop|store|app|info)(?![\p{L}\p{N}-])(?:\/[^\s<>"]*)?/giu;

const blankLinks = (text: string) => text.replace(LINK, (link) => ' '.repeat(link.length));

/** "https://www.Bit.ly/x?y" → "bit.ly". */
export const hostOf = (link: string) => (link.replace(/^https?:\/\//i, '').split(/[/?#:]/)[0] ?? '').toLowerCase().replace(/^www\./, '');

/** The links written in a text, without the sentence's trailing punctuation. */
export function findLinks(text: string): Array<Found & { host: string }> {
  return [...blankVariables(text).matchAll(LINK)].map((match) => {
    const link = match[0].replace(/[.,;:!?)\]]+$/, '');
    return { ...found(text, match.index, match.index + link.length), host: hostOf(link) };
  });
}
