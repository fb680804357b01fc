// Decides whether one inbound WhatsApp text is, as a whole, a request to stop messaging, and owns the
// keyword table behind that decision. Pure: no I/O, no clock, no environment; recording the opt-out is the caller's job.

export type OptOutMatch = { keyword: string; language: string };

// How to read this table:
// - Keywords are written in their proper spelling (accents, capitals); matching ignores case and accents,
//   so unaccented variants such as ARRET or NAO QUERO MAIS are covered without being listed.
// - A keyword may appear under several languages because real users of each language send it (STOP is the
//   obvious one). The lookup keeps the first language in table order, so the order of the keys matters.
// - The bar for inclusion is: sent as the whole message, it clearly means "stop messaging me". Missing a real
//   opt-out costs a block and the number's quality rating, while a false one only costs one marketing
//   contact, so borderline stop-words are included; but everyday replies (NO, OK, ENOUGH…) are left out,
//   because WhatsApp users often send one word per message and those would opt out people who were chatting.
export const OPT_OUT_KEYWORDS = {
  en: [
    'STOP',
    'STOP ALL',
    'STOPALL',
    'STOP PROMOTIONS', // The text of Meta's marketing opt-out quick-reply button.
    'UNSUBSCRIBE',
    'UNSUB',
    'OPT OUT', // Also matches OPT-OUT, because inner dashes count as spaces.
    'OPTOUT',
    'CANCEL', // Could mean "cancel my order", but it is a standard SMS opt-out word and a false positive is cheap.
    'END', // Borderline, kept: a standard SMS opt-out word, and a bare "end" is not an ordinary chat reply.
    'QUIT',
    'REVOKE',
    'REMOVE',
    'REMOVE ME',
    'STOP MESSAGES',
    'STOP MESSAGING ME',
    'STOP SENDING',
    // NO is left out: it is the ordinary answer to any yes/no question a campaign asks.
  ],
  es: [
    'BAJA',
    'DARME DE BAJA',
    'DAR DE BAJA',
    'PARAR',
    'CANCELAR',
    'DETENER',
    'ALTO', // Also means "tall/high", but as a whole reply to a campaign it is the "halt" of road signs.
    'NO MÁS',
    'NO MÁS MENSAJES',
    'DESUSCRIBIR',
    'DESUSCRIBIRME',
    'DETENER PROMOCIONES',
    'NO MÁS PROMOCIONES',
    'PARAR PROMOCIONES',
    // NO is left out (everyday answer); PARA is left out because it is also the preposition "for".
  ],
  pt: [
    'PARAR',
    'PARE',
    'SAIR',
    'CANCELAR',
    'DESCADASTRAR',
    'DESCADASTRAR-ME',
    'NÃO QUERO MAIS',
    'NÃO QUERO MAIS PROMOÇÕES',
    'SAIR DA LISTA',
    'CANCELAR INSCRIÇÃO',
    'PARAR PROMOÇÕES',
    // NÃO QUERO is left out because it declines one offer rather than all messages; CHEGA also means "arrives".
  ],
  fr: [
    'STOP',
    'ARRÊT',
    'ARRÊTER',
    'STOP PUB',
    'DÉSABONNER',
    'DÉSABONNEMENT',
    'DÉSINSCRIRE',
    'DÉSINSCRIPTION',
    'DÉSINSCRIVEZ-MOI',
    'ANNULER',
    'ARRÊTER LES PROMOTIONS',
  ],
  de: [
    'STOPP',
    'STOP',
    'ABMELDEN',
    'ABBESTELLEN',
    'ABMELDUNG',
    'AUSTRAGEN',
    'KEINE WERBUNG',
    'WERBUNG STOPPEN',
    'KEINE NACHRICHTEN MEHR',
    // KÜNDIGEN is left out: it means cancelling a contract, which is not the same request as stopping messages.
  ],
  it: [
    'STOP',
    'BASTA', // Can mean "that's all", but a campaign does not ask the kind of question it would answer.
    'FERMA',
    'CANCELLAMI',
    'DISISCRIVIMI',
    'DISISCRIVI',
    'ANNULLA ISCRIZIONE',
    'RIMUOVIMI',
    'NON SCRIVERMI PIÙ',
    'STOP PROMOZIONI',
  ],
  nl: ['STOP', 'STOPPEN', 'AFMELDEN', 'UITSCHRIJVEN', 'GEEN BERICHTEN MEER'],
  sv: ['STOPP', 'STOP', 'AVSLUTA', 'AVANMÄL', 'AVREGISTRERA'],
  no: ['STOPP', 'STOP', 'AVSLUTT', 'MELD AV', 'AVMELD'],
  da: ['STOP', 'STOPP', 'AFMELD', 'AFMELDE', 'FRAMELD'],
  fi: [
    'LOPETA',
    'STOP',
    'LOPETA VIESTIT',
    // PERU ("cancel") is left out: as a whole message it is just as likely the country.
  ],
  pl: [
    'STOP',
    'WYPISZ',
    'WYPISZ MNIE',
    'REZYGNUJĘ',
    'REZYGNACJA',
    'NIE WYSYŁAJ',
    // ANULUJ is left out: unlike English CANCEL it is no SMS convention, and in a shop thread it cancels an order.
  ],
  tr: [
    'DUR', // Can mean "wait", but a campaign rarely gets it as a reply for anything else; a false positive is cheap.
    'İPTAL',
    'ABONELİKTEN ÇIK',
    'RET', // The reject keyword of Turkey's commercial-message registry (İYS), so Turkish users are trained to send it.
    'STOP',
  ],
  id: ['BERHENTI', 'STOP', 'UNREG', 'BERHENTI LANGGANAN', 'JANGAN KIRIM LAGI'],
  ms: ['BERHENTI', 'STOP', 'HENTIKAN', 'NYAHLANGGAN', 'BERHENTI LANGGAN'],
  hi: [
    // Romanised Hindi as typed on Latin keyboards, then the same phrases in Devanagari.
    'BAND KARO',
    'BAND KAR DO',
    'BAND KARDO',
    'MAT BHEJO',
    'MESSAGE MAT BHEJO',
    'बंद करो',
    'बंद कर दो',
    'मत भेजो',
    // BAND alone is left out: it collides with the English word.
  ],
  ar: ['إيقاف', 'توقف', 'أوقف', 'إلغاء', 'إلغاء الاشتراك', 'إيقاف الرسائل'],
  ru: [
    'СТОП',
    'ОТПИСАТЬСЯ',
    'ОТПИСКА',
    'ОТПИШИТЕ МЕНЯ',
    'НЕ ПИШИТЕ МНЕ',
    // ХВАТИТ ("enough") is left out: it is also the plain answer "that is enough" to a quantity question.
  ],
  uk: ['СТОП', 'ВІДПИСАТИСЯ', 'ВІДПИСКА', 'НЕ ПИШІТЬ МЕНІ'],
  he: [
    'הסר', // The word Israel's anti-spam law tells senders to honour, so users know it.
    'הסרה',
    'עצור',
    'הפסק',
  ],
  el: ['ΣΤΟΠ', 'STOP', 'ΔΙΑΓΡΑΦΗ', 'ΑΠΕΓΓΡΑΦΗ'],
  zh: ['退订', '退訂', '取消订阅', '取消訂閱', '停止'],
  ja: ['配信停止', 'ストップ', '停止'],
  ko: ['수신거부', '수신 거부', '구독취소', '구독 취소', '중지'],
} as const;

// Marks are stripped so that accents stop mattering, but in abugidas (Indic and South-East Asian scripts)
// the vowel signs are the word itself, and Japanese voicing marks tell different kana apart: stripping
// those would make unrelated words collide. Arabic harakat and Hebrew niqqud are optional pointing and are stripped.
const KEPT_MARK =
  /[\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Thai}\p{Script=Lao}\p{Script=Tibetan}\p{Script=Myanmar}\p{Script=Khmer}\u3099\u309A]/u;

// Letters that NFKD does not decompose but that users replace with a plain letter when their keyboard
// lacks them (dotless ı on non-Turkish keyboards, Polish ł, Nordic ø); final sigma is folded so Greek
// words match wherever the sigma falls.
const LETTER_FOLDS: Readonly<Record<string, string>> = { ı: 'i', ł: 'l', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe', ς: 'σ' };

/** Normalises text for comparison; applied identically to the table and to inbound messages. */
function normaliseForMatch(text: string): string {
  return (
    text
      .normalize('NFKD')
      // Invisible format characters (right-to-left marks that phones add around Hebrew and Arabic,
      // zero-width joiners inside emoji, byte-order marks) and the Arabic stretching tatweel carry no meaning.
      .replace(/[\p{Cf}\u0640]/gu, '')
      .replace(/\p{M}/gu, (mark) => (KEPT_MARK.test(mark) ? mark : ''))
      // toLowerCase, not toLocaleLowerCase: the answer must not depend on the server's locale.
      .toLowerCase()
      .replace(/[ıłøßæœς]/gu, (letter) => LETTER_FOLDS[letter] ?? letter)
      // Chat adds punctuation and emoji around the words ("¡Baja!", "«STOP»", "stop 🛑"); they are dropped
      // from the ends only, so anything inside the message still has to match.
      .replace(/^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu, '')
      // Inner dashes count as spaces so OPT-OUT and DESCADASTRAR-ME match their spaced forms.
      .replace(/[\s\p{Pd}_]+/gu, ' ')
  );
}

function buildLookup(): ReadonlyMap<string, OptOutMatch> {
  const lookup = new Map<string, OptOutMatch>();
  for (const [language, keywords] of Object.entries(OPT_OUT_KEYWORDS)) {
    for (const keyword of keywords) {
      const normalised = normaliseForMatch(keyword);
      // First language in table order wins, so STOP reports 'en' and PARAR reports 'es'.
      if (!lookup.has(normalised)) lookup.set(normalised, { keyword, language });
    }
  }
  return lookup;
}

const LOOKUP = buildLookup();

const LONGEST_KEYWORD_LENGTH = Math.max(...Object.values(OPT_OUT_KEYWORDS).flatMap((keywords) => keywords.map((k) => k.length)));

// A matching message is at most the longest keyword, doubled for input that arrives with accents decomposed,
// plus room for surrounding punctuation and emoji. Anything longer cannot match, and bailing out before
// normalising keeps a 100,000-character message as cheap as a short one.
const MAX_MATCHABLE_LENGTH = LONGEST_KEYWORD_LENGTH * 2 + 64;

/**
 * Returns the opt-out keyword (as written in OPT_OUT_KEYWORDS) and its language when the whole message is an
 * opt-out request, or null when it is not.
 */
export function detectOptOut(text: string): OptOutMatch | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_MATCHABLE_LENGTH) return null;
  const normalised = normaliseForMatch(trimmed);
  const match = LOOKUP.get(normalised) ?? LOOKUP.get(withoutCourtesy(normalised));
  // A copy, so a caller that mutates its result cannot change what later calls return.
  return match === undefined ? null : { ...match };
}

// "STOP please", "por favor, BAJA", "Stopp bitte", "STOP thanks": a keyword with only a courtesy word
// before or after it is still the whole request. Nothing else is allowed around the keyword, so
// "please don't stop" stays a conversation (its extra words are not courtesy words).
const COURTESY = ['please', 'pls', 'plz', 'thanks', 'thank you', 'thx', 'por favor', 'porfavor', 'porfa', 'pf', 'gracias', 'obrigado', 'obrigada', 'bitte', 'danke', 's il vous plait', 'svp', 'merci', 'per favore', 'grazie', 'alsjeblieft', 'aub'];
const courtesyEdges = new RegExp(`^(?:(?:${COURTESY.join('|')})\\s+)+|(?:\\s+(?:${COURTESY.join('|')}))+$`, 'g');

function withoutCourtesy(normalised: string): string {
  const words = normalised.replace(/[,.;:!¡?¿]+/gu, ' ').replace(/\s+/gu, ' ').trim();
  return words.replace(courtesyEdges, '').trim();
}
