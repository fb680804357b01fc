// The word tables behind the template spam-risk score (template-spam-risk.ts): per-language phrases that make
// people block and report, link shorteners, and the capitals that are acronyms rather than shouting. Data only.

/** Languages with their own tables; any other template language is checked with the English table alone. */
export const SPAM_WORD_LANGUAGES = ['en', 'es', 'pt'] as const;
export type SpamWordLanguage = (typeof SPAM_WORD_LANGUAGES)[number];

export type SpamWordTable = {
  /** Manufactured urgency: the wording people name when they report a business for spam. */
  pressure: readonly string[];
  /** Prizes, free money and guarantees: the vocabulary of scams, so it draws reports even from real customers. */
  moneyBait: readonly string[];
  /** A specific, honest perk ("free shipping"): still an inducement, but it reads as information, so it weighs little. */
  incentives: readonly string[];
  /** Everyday phrases that contain a bait word and must not count as one ("feel free", "toll-free"). */
  harmless: readonly string[];
  /** Selling words: harmless in MARKETING, but they make Meta re-categorise a UTILITY template (§4.1). */
  promotional: readonly string[];
  /** Footer wording that tells the reader how to stop receiving messages. */
  optOutWording: readonly string[];
};

// How to read these tables:
// - Phrases are written in their proper spelling; matching ignores case and accents, so "ULTIMA CHANCE" and
//   "nao perca" are found without being listed, and a phrase matches whole words only ("win" is not in "window").
// - Where a longer phrase contains a shorter one ("free shipping" and "free") the longer one wins, so an honest
//   "free shipping" is scored as an incentive and not as bait.
// - The English table is applied to every template as well, because marketers mix English into other
//   languages ("Black Friday", "last chance"); ENGLISH_FALSE_FRIENDS lists what it must skip in each language.
export const SPAM_WORDS: Readonly<Record<SpamWordLanguage, SpamWordTable>> = {
  en: {
    pressure: [
      'last chance', 'act now', 'only today', 'today only', 'hurry', 'hurry up', 'limited time', 'limited-time',
      'limited time offer', "don't miss", "don't miss out", 'do not miss', 'urgent', 'now or never', 'ends tonight',
      'ends today', 'final hours', 'last day', 'while supplies last', 'expires today', "before it's too late",
    ],
    moneyBait: [
      'free', 'win', 'winner', 'you won', "you've won", 'prize', 'cash prize', 'cash', '100%', '$$$', 'guaranteed',
      'risk-free', 'no cost', 'earn money', 'make money', 'double your money', 'giveaway',
    ],
    harmless: ['feel free', 'toll-free', 'toll free', 'gluten-free', 'sugar-free', 'hands-free', 'cash on delivery'],
    incentives: ['free shipping', 'free delivery', 'free returns', 'free gift wrapping', 'free trial'],
    promotional: [
      'discount', 'discounts', 'sale', 'on sale', 'offer', 'offers', 'special offer', 'exclusive offer', 'coupon',
      'coupons', 'promo', 'promo code', 'promotion', 'deal', 'deals', 'buy one get one', 'bogo', 'special price',
      'shop now', 'new collection', 'save up to', 'black friday', 'cyber monday', 'cashback',
    ],
    optOutWording: ['unsubscribe', 'opt out', 'opt-out', 'stop receiving', 'stop promotions', 'stop messages'],
  },
  es: {
    pressure: [
      'última oportunidad', 'solo hoy', 'sólo hoy', 'únicamente hoy', 'date prisa', 'no te lo pierdas',
      'no te pierdas', 'oferta por tiempo limitado', 'por tiempo limitado', 'corre', 'aprovecha ya',
      'aprovecha ahora', 'ahora o nunca', 'urgente', 'termina hoy', 'acaba hoy', 'últimas horas', 'últimas unidades',
      'quedan pocas horas', 'hasta agotar existencias',
    ],
    moneyBait: [
      'gratis', 'gratuito', 'gana', 'ganaste', 'has ganado', 'ganador', 'premio', '100%', '$$$', 'dinero fácil',
      'sin costo', 'garantizado', 'sorteo',
    ],
    harmless: ['llamada gratuita', 'línea gratuita'],
    incentives: ['envío gratis', 'envío gratuito', 'devolución gratis', 'prueba gratis'],
    promotional: [
      'descuento', 'descuentos', 'oferta', 'ofertas', 'cupón', 'cupones', 'promoción', 'promociones', 'rebaja',
      'rebajas', 'compre', 'compra ya', 'compra ahora', 'código promocional', '2x1', '3x2', 'precio especial',
      'liquidación', 'nueva colección',
    ],
    optOutWording: [
      'darte de baja', 'dar de baja', 'date de baja', 'no recibir más', 'dejar de recibir', 'cancelar suscripción',
      'cancelar la suscripción',
    ],
  },
  pt: {
    pressure: [
      'última chance', 'última oportunidade', 'só hoje', 'somente hoje', 'apenas hoje', 'corra', 'corre',
      'não perca', 'aproveite já', 'aproveite agora', 'por tempo limitado', 'oferta relâmpago', 'é agora ou nunca',
      'agora ou nunca', 'urgente', 'termina hoje', 'acaba hoje', 'últimas horas', 'últimas unidades',
    ],
    moneyBait: [
      'grátis', 'gratuito', 'ganhe', 'ganhou', 'você ganhou', 'ganhador', 'prêmio', '100%', '$$$', 'dinheiro fácil',
      'sem custo', 'garantido', 'sorteio',
    ],
    harmless: ['ligação gratuita', 'ligação grátis'],
    incentives: ['frete grátis', 'entrega grátis', 'troca grátis', 'teste grátis'],
    promotional: [
      'desconto', 'descontos', 'promoção', 'promoções', 'oferta', 'ofertas', 'cupom', 'cupons', 'compre',
      'compre já', 'liquidação', 'preço especial', 'código promocional', 'nova coleção', 'queima de estoque',
    ],
    optOutWording: [
      'descadastrar', 'descadastre', 'parar de receber', 'deixar de receber', 'não receber mais',
      'cancelar inscrição', 'sair da lista',
    ],
  },
};

/** English phrases that are ordinary words in another language: Spanish "sale" is "leaves" ("su pedido sale hoy"). */
export const ENGLISH_FALSE_FRIENDS: Readonly<Partial<Record<SpamWordLanguage, readonly string[]>>> = {
  es: ['sale'],
};

/** "20% off", "15 % de desconto", "30% de descuento": a discount written as a number, in any of the three languages. */
export const PERCENT_DISCOUNT = /\d{1,3}\s?%\s?(?:off|de\s+desconto|de\s+descuento|dto\b|desconto|descuento)/giu;

// Hosts whose only job is to hide where a link goes; scammers rely on them, so people and Meta's review distrust
// them. wa.me and a business's own branded short domain are not here: they show who the link belongs to.
export const LINK_SHORTENERS: ReadonlySet<string> = new Set([
  'bit.ly', 'bitly.com', 'bit.do', 'tinyurl.com', 't.co', 'cutt.ly', 'goo.gl', 'ow.ly', 'is.gd', 'v.gd', 'buff.ly',
  'rebrand.ly', 'shorturl.at', 'rb.gy', 't.ly', 'tiny.cc', 'tiny.one', 's.id', 'bl.ink', 'short.io', 'shorte.st',
  'adf.ly', 'lnkd.in', 'x.gd', 'encurtador.com.br', 'encr.pw',
]);

// Capitalised words of four letters or more that are names, not shouting: identity documents and payment
// rails of the three markets, and technical terms. Words of three letters or fewer are acronyms by default.
export const LONG_ACRONYMS: ReadonlySet<string> = new Set([
  'CNPJ', 'CURP', 'IBAN', 'SEPA', 'SWIFT', 'BOLETO', 'HTTP', 'HTTPS', 'HTML', 'WIFI', 'ASAP', 'NASA', 'UNESCO',
  'COVID', 'RSVP',
]);

// Words of three letters or fewer that are shouting rather than acronyms: "WIN NOW", "50% OFF", "SÓ HOJE".
export const SHORT_SHOUTS: ReadonlySet<string> = new Set([
  'NOW', 'WIN', 'NEW', 'BUY', 'OFF', 'GET', 'ALL', 'YES', 'YOU', 'FOR', 'THE', 'AND', 'HOT', 'TOP', 'BIG', 'HOY',
  'YA', 'JÁ', 'SÓ', 'NÃO', 'MÁS', 'VEM',
]);
