// Word lists and scores the simulated reviewer and the simulated people use to judge a text: promotional
// wording (UTILITY → MARKETING, §4.1), obvious scam wording (ABUSIVE_CONTENT) and "spamminess" (ALL CAPS,
// !!!, pressure words, link shorteners), which makes simulated people more likely to block and report (§8.4).

const PROMO_WORDS = [
  'sale', 'discount', '% off', 'offer', 'promo', 'promotion', 'coupon', 'deal', 'deals', 'buy now', 'shop now',
  'limited time', 'free shipping', 'new collection', 'exclusive', 'black friday', 'save up to', 'special price', 'voucher',
];
const SCAM_WORDS = [
  'you have won', "you've won", 'claim your prize', 'lottery', 'wire transfer', 'western union', 'bitcoin',
  'crypto giveaway', 'double your money', 'verify your account', 'send your password', 'gift card code', 'inheritance',
];
const PRESSURE_WORDS = [
  'urgent', 'act now', 'last chance', 'hurry', 'only today', 'expires today', "don't miss", 'dont miss', 'limited time',
  'guaranteed', 'winner', 'free', '100%', 'final notice', 'immediately',
];
const LINK_SHORTENERS = ['bit.ly', 'tinyurl.com', 'goo.gl', 't.co/', 'is.gd', 'ow.ly', 'cutt.ly', 'rb.gy', 'shorturl.at', 'tiny.cc'];

const includesAny = (text: string, words: readonly string[]) => words.filter((word) => text.includes(word));
const wordsIn = (text: string) => text.toLowerCase().replace(/\{\{[^}]*\}\}/g, ' ');

export function promotionalWords(text: string): string[] {
  return includesAny(wordsIn(text), PROMO_WORDS);
}

export function scamWords(text: string): string[] {
  return includesAny(wordsIn(text), SCAM_WORDS);
}

/**
 * 0 (plain) … 1 (obvious spam). Additive and capped: ALL CAPS words (over 30% of words of 3+ letters) +0.3,
 * three or more "!" +0.2, each pressure word +0.15, a link shortener +0.3, scam wording +0.5.
 */
export function spamScore(text: string): number {
  const words = text.match(/\p{L}{3,}/gu) ?? [];
  const upper = words.filter((word) => word === word.toUpperCase() && word !== word.toLowerCase()).length;
  let score = 0;
  if (words.length > 0 && upper / words.length > 0.3) score += 0.3;
  if ((text.match(/!/g) ?? []).length >= 3) score += 0.2;
  const lower = text.toLowerCase();
  score += 0.15 * includesAny(lower, PRESSURE_WORDS).length;
  if (includesAny(lower, LINK_SHORTENERS).length > 0) score += 0.3;
  if (scamWords(text).length > 0) score += 0.5;
  return Math.min(1, score);
}
