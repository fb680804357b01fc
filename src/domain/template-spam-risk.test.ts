// Tests the template spam-risk score: a table of real-world-style templates in English, Spanish and Portuguese
// with their expected verdicts and key findings, then the properties every score must keep.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TemplateButton, TemplateCategory, TemplateDefinition, TemplateLocation } from './template.ts';
import { assessSpamRisk, HIGH_RISK_FROM, LOW_RISK_BELOW, SPAM_WEIGHTS, spamVerdict, type SpamAssessment } from './template-spam-risk.ts';

type Extras = Partial<Pick<TemplateDefinition, 'header' | 'buttons'>> & { footer?: string };

/** A template as a marketer would write it; every variable gets an example, as Meta's review requires. */
function template(category: TemplateCategory, language: string, body: string, extras: Extras = {}): TemplateDefinition {
  const examples = Object.fromEntries([...body.matchAll(/\{\{(\w+)\}\}/g)].map((match) => [match[1] ?? '', `example ${match[1] ?? ''}`]));
  return {
    name: 'case',
    language,
    category,
    parameterFormat: 'positional',
    header: extras.header ?? null,
    body: { text: body, examples },
    footer: extras.footer === undefined ? null : { text: extras.footer },
    buttons: extras.buttons ?? [],
  };
}

const quickReply = (text: string): TemplateButton => ({ type: 'QUICK_REPLY', text });
const urlButton = (text: string, url: string): TemplateButton => ({ type: 'URL', text, url, example: url.includes('{{1}}') ? url.replace('{{1}}', 'A1B2') : null });
const textHeader = (text: string): TemplateDefinition['header'] => ({ format: 'TEXT', text, examples: {} });
const stopPromotions = quickReply('Stop promotions');
const codes = (assessment: SpamAssessment) => [...new Set(assessment.findings.filter((finding) => finding.points > 0).map((finding) => finding.code))];

type Case = [name: string, template: TemplateDefinition, verdict: 'low' | 'medium' | 'high', raises: string[], doesNotRaise?: string[]];

const english: Case[] = [
  [
    'scores an English order-shipped notice with a tracking URL button as low, with no finding at all',
    template('UTILITY', 'en_US', 'Hi {{1}}, your order {{2}} has shipped and should arrive by {{3}}. You can follow it with the button below.', {
      buttons: [urlButton('Track order', 'https://shop.example.com/track/{{1}}')],
    }),
    'low',
    [],
    ['spam.utility_promotional', 'spam.too_many_links', 'spam.no_personalisation'],
  ],
  [
    'scores an English appointment reminder as low, even though it asks people to reply YES',
    template('UTILITY', 'en', 'Hello {{1}}, this is a reminder of your appointment with Dr. {{2}} on {{3}} at {{4}}. Reply YES to confirm, or tap Reschedule.', {
      buttons: [quickReply('Confirm'), quickReply('Reschedule')],
    }),
    'low',
    [],
    ['spam.shouting'],
  ],
  [
    'scores an English back-in-stock marketing message with a "Stop promotions" button as low',
    template('MARKETING', 'en_GB', 'Good news, {{1}}! The {{2}} you asked about is back in stock in your size. Have a look while it lasts.', {
      header: { format: 'IMAGE', exampleHandle: '4::aW1hZ2U=' },
      buttons: [urlButton('View product', 'https://shop.example.com/p/{{1}}'), stopPromotions],
    }),
    'low',
    [],
    ['spam.no_opt_out', 'spam.money_bait'],
  ],
  [
    'does not read short acronyms and order codes (ACH, SMS, PDF, OK, AB12CD3) as shouting in an English receipt',
    template('UTILITY', 'en_US', 'Hi {{1}}, we received your ACH payment for order AB12CD3. Your PDF invoice and SMS receipt are ready. Reply OK if you want a copy by email.'),
    'low',
    [],
    ['spam.shouting'],
  ],
  [
    'does not treat the price in an English payment reminder as promotional',
    template('UTILITY', 'en_US', 'Hi {{1}}, your payment of $49.90 for invoice {{2}} is due on {{3}}. You can pay securely at https://billing.example.com/pay.'),
    'low',
    [],
    ['spam.utility_promotional', 'spam.money_bait'],
  ],
  [
    'does not read "feel free" or "window" as bait in an English delivery message',
    template('UTILITY', 'en', 'Hi {{1}}, your delivery window tomorrow is {{2}}. Feel free to reply here if nobody will be home.'),
    'low',
    [],
    ['spam.money_bait'],
  ],
  [
    'counts "free shipping" in English marketing as a small incentive, not bait, and keeps it low',
    template('MARKETING', 'en_US', 'Hi {{1}}, our autumn collection has arrived. Enjoy free shipping on orders over $50 until Sunday.', {
      footer: 'Reply STOP to unsubscribe',
    }),
    'low',
    ['spam.incentive'],
    ['spam.money_bait', 'spam.no_opt_out', 'spam.shouting'],
  ],
  [
    'scores "FREE!!! WIN NOW" English marketing with a bit.ly link and a pile of emoji as high',
    template('MARKETING', 'en', 'FREE!!! WIN NOW!!! Spin the wheel and WIN a new phone, 100% guaranteed $$$ 🎉🎉🎉🎉🎉🎉 https://bit.ly/win-now', {
      header: textHeader('🎁 FREE GIFT INSIDE 🎁'),
    }),
    'high',
    ['spam.shouting', 'spam.money_bait', 'spam.exclamation_run', 'spam.link_shortener', 'spam.emoji_pile', 'spam.no_opt_out'],
  ],
  [
    'flags an English utility delivery notice that adds a coupon and "20% off" as promotional (Meta will charge it as marketing)',
    template('UTILITY', 'en_US', 'Hi {{1}}, your order {{2}} was delivered. Enjoy 20% off your next purchase with coupon THANKS20.'),
    'medium',
    ['spam.utility_promotional'],
  ],
  [
    'scores English marketing that stacks pressure phrases (last chance, hurry, limited time, act now) as medium even with an opt-out button',
    template('MARKETING', 'en', "Last chance, {{1}}! Hurry: our limited time prices end tonight and we don't want you to miss them. Act now.", {
      buttons: [urlButton('See prices', 'https://shop.example.com/sale'), stopPromotions],
    }),
    'medium',
    ['spam.pressure'],
    ['spam.no_opt_out'],
  ],
  [
    'asks for a "Stop promotions" button on otherwise clean English marketing, but keeps it low',
    template('MARKETING', 'en', 'Hi {{1}}, our winter menu is here: pumpkin soup, roasted vegetables and hot chocolate. Book a table for this weekend.'),
    'low',
    ['spam.no_opt_out'],
  ],
  [
    'flags a long, generic English newsletter as a little risky (no variable, body over 600 characters)',
    template('MARKETING', 'en', `This month at the studio: ${'new classes, new teachers and new times for every level. '.repeat(11)}See you soon.`, {
      footer: 'Not interested? Tap Stop promotions',
      buttons: [stopPromotions],
    }),
    'low',
    ['spam.long_marketing_body', 'spam.no_personalisation'],
  ],
  [
    'flags an English promotion with four links in its body as having too many links',
    template('MARKETING', 'en', 'Hi {{1}}, see shoes https://shop.example.com/shoes, bags https://shop.example.com/bags, coats https://shop.example.com/coats and hats https://shop.example.com/hats.', {
      buttons: [stopPromotions],
    }),
    'low',
    ['spam.too_many_links'],
  ],
  [
    'scores a standard English authentication template as low with no finding',
    { ...template('AUTHENTICATION', 'en_US', '{{1}} is your verification code. For your security, do not share this code.', { buttons: [{ type: 'OTP', otpType: 'COPY_CODE', text: 'Copy code' }] }), footer: { text: 'This code expires in 10 minutes.', codeExpirationMinutes: 10 } },
    'low',
    [],
    ['spam.no_personalisation', 'spam.no_opt_out'],
  ],
];

const spanish: Case[] = [
  [
    'does not read Spanish "sale" ("leaves") as the English "sale" in a shipping notice',
    template('UTILITY', 'es_MX', 'Hola {{1}}, tu pedido {{2}} sale hoy de nuestro almacén y llegará el {{3}}. Puedes seguirlo con el botón de abajo.', {
      buttons: [urlButton('Rastrear pedido', 'https://tienda.example.com/rastreo/{{1}}')],
    }),
    'low',
    [],
    ['spam.utility_promotional'],
  ],
  [
    'scores a Spanish appointment reminder as low',
    template('UTILITY', 'es', 'Hola {{1}}, te recordamos tu cita en Clínica Sonrisa el {{2}} a las {{3}}. Si no puedes asistir, avísanos respondiendo a este mensaje.', {
      buttons: [quickReply('Confirmar'), quickReply('Cambiar cita')],
    }),
    'low',
    [],
  ],
  [
    'does not treat the price in a Spanish payment reminder as promotional, nor the brand OXXO as shouting',
    template('UTILITY', 'es_MX', 'Hola {{1}}, te recordamos que el pago de tu plan por $1,250 MXN vence el {{2}}. Puedes pagar en línea o en cualquier OXXO.'),
    'low',
    [],
    ['spam.utility_promotional', 'spam.shouting'],
  ],
  [
    'flags a Spanish utility invoice that offers a 10% descuento as promotional (Meta will charge it as marketing)',
    template('UTILITY', 'es', 'Hola {{1}}, tu factura {{2}} está lista. Paga antes del {{3}} y obtén un 10% de descuento en tu próxima compra.'),
    'medium',
    ['spam.utility_promotional'],
  ],
  [
    'flags a Spanish delivery notice that pushes a cupón as promotional',
    template('UTILITY', 'es_AR', 'Hola {{1}}, tu pedido {{2}} fue entregado. Usá el cupón ENVIO15 en tu próxima compra.'),
    'medium',
    ['spam.utility_promotional'],
  ],
  [
    'scores Spanish marketing with "¡¡ÚLTIMA OPORTUNIDAD!!", GANA, GRATIS and a bit.ly link as high',
    template('MARKETING', 'es', '¡¡ÚLTIMA OPORTUNIDAD!! Solo hoy: GANA un viaje GRATIS 🎉🎉🎉🎉🎉🎉 Date prisa, no te lo pierdas: https://bit.ly/viaje-gratis'),
    'high',
    ['spam.pressure', 'spam.money_bait', 'spam.shouting', 'spam.exclamation_run', 'spam.link_shortener', 'spam.no_opt_out'],
  ],
  [
    'scores clean Spanish marketing with a "No más promociones" quick reply as low',
    template('MARKETING', 'es_ES', 'Hola {{1}}, ya llegó la nueva temporada de Café Aurora: tostado medio con notas de cacao. Pide el tuyo desde la app.', {
      buttons: [urlButton('Ver cafés', 'https://cafe.example.com/temporada'), quickReply('No más promociones')],
    }),
    'low',
    [],
    ['spam.no_opt_out'],
  ],
  [
    'accepts a Spanish footer that says how to opt out, and counts "envío gratis" as a small incentive',
    template('MARKETING', 'es_MX', 'Hola {{1}}, tus tenis favoritos ya tienen envío gratis a todo México esta semana.', { footer: 'Responde BAJA para no recibir más promociones' }),
    'low',
    ['spam.incentive'],
    ['spam.no_opt_out', 'spam.money_bait', 'spam.shouting'],
  ],
  [
    'scores Spanish marketing written in capitals with "por tiempo limitado" as medium',
    template('MARKETING', 'es', 'Hola {{1}}, ¡¡LLEGARON LAS REBAJAS DE VERANO EN TODA LA TIENDA!! Precios especiales por tiempo limitado.', { buttons: [quickReply('Darme de baja')] }),
    'medium',
    ['spam.shouting', 'spam.exclamation_run', 'spam.pressure'],
    ['spam.no_opt_out'],
  ],
  [
    'scores Spanish marketing that says "corre" and hides its link behind cutt.ly as medium',
    template('MARKETING', 'es_CO', 'Hola {{1}}, ¡corre! Oferta por tiempo limitado en colchones: mira el catálogo en https://cutt.ly/colchones', { buttons: [quickReply('No más promociones')] }),
    'medium',
    ['spam.pressure', 'spam.link_shortener'],
  ],
  [
    'scores a Spanish authentication template as low with no finding',
    template('AUTHENTICATION', 'es', '{{1}} es tu código de verificación. Por tu seguridad, no lo compartas.', { buttons: [{ type: 'OTP', otpType: 'ONE_TAP', text: 'Autocompletar' }] }),
    'low',
    [],
  ],
];

const portuguese: Case[] = [
  [
    'scores a Portuguese order-shipped notice with a tracking URL button as low',
    template('UTILITY', 'pt_BR', 'Olá {{1}}, seu pedido {{2}} foi enviado! Previsão de entrega: {{3}}. Acompanhe pelo botão abaixo.', {
      buttons: [urlButton('Rastrear pedido', 'https://loja.example.com.br/rastreio/{{1}}')],
    }),
    'low',
    [],
  ],
  [
    'does not treat the price in a Portuguese bill reminder as promotional, nor PIX as shouting',
    template('UTILITY', 'pt_BR', 'Olá {{1}}, sua fatura de R$ 89,90 vence em {{2}}. Pague com PIX ou boleto pelo app. Se já pagou, desconsidere esta mensagem.'),
    'low',
    [],
    ['spam.utility_promotional', 'spam.shouting'],
  ],
  [
    'does not read CNPJ or a single DANFE as shouting in a Portuguese invoice notice',
    template('UTILITY', 'pt_BR', 'Olá {{1}}, a nota fiscal do pedido {{2}} foi emitida para o CNPJ informado. Consulte o DANFE no app.'),
    'low',
    [],
    ['spam.shouting'],
  ],
  [
    'flags a Portuguese utility template that offers a discount as promotional (Meta will charge it as marketing)',
    template('UTILITY', 'pt_BR', 'Olá {{1}}, sua consulta está confirmada para {{2}}. Aproveite: 15% de desconto na próxima limpeza.'),
    'medium',
    ['spam.utility_promotional'],
  ],
  [
    'scores Portuguese back-in-stock marketing with a "Parar promoções" quick reply as low',
    template('MARKETING', 'pt_BR', 'Oi {{1}}, o tênis {{2}} voltou ao estoque no seu tamanho. Dá uma olhada antes que acabe.', {
      buttons: [urlButton('Ver tênis', 'https://loja.example.com.br/p/{{1}}'), quickReply('Parar promoções')],
    }),
    'low',
    [],
    ['spam.no_opt_out'],
  ],
  [
    'accepts a Portuguese footer "responda SAIR" as an opt-out, and counts "frete grátis" as a small incentive',
    template('MARKETING', 'pt_BR', 'Oi {{1}}, a coleção de inverno chegou com frete grátis para todo o Brasil até domingo.', { footer: 'Para não receber mais, responda SAIR' }),
    'low',
    ['spam.incentive'],
    ['spam.no_opt_out', 'spam.money_bait'],
  ],
  [
    'scores Portuguese marketing with "SÓ HOJE!!!", GANHE 100%, fire emoji and a bit.ly link as high',
    template('MARKETING', 'pt_BR', '🔥🔥🔥 SÓ HOJE!!! GANHE 100% DE DESCONTO 🔥🔥🔥 Corra, é agora ou nunca: bit.ly/promo-hoje'),
    'high',
    ['spam.pressure', 'spam.money_bait', 'spam.shouting', 'spam.exclamation_run', 'spam.emoji_pile', 'spam.link_shortener', 'spam.no_opt_out'],
  ],
  [
    'scores Portuguese marketing with pressure wording and no way to opt out as medium',
    template('MARKETING', 'pt_BR', 'Oi {{1}}, última chance: a liquidação de inverno termina hoje. Não perca!'),
    'medium',
    ['spam.pressure', 'spam.no_opt_out'],
  ],
  [
    'scores Portuguese marketing with a pile of emoji, "corre" and "!!" as medium',
    template('MARKETING', 'pt_BR', 'Oi {{1}} 😍😍😍 Chegou a coleção de verão 🌞🌴👙🕶️🍹🌊 Corre que está linda!!', { buttons: [quickReply('Parar promoções')] }),
    'medium',
    ['spam.emoji_pile', 'spam.pressure', 'spam.exclamation_run'],
  ],
  [
    'flags a Portuguese utility message that smuggles in "Ganhe" and "cupom" with exclamations as high',
    template('UTILITY', 'pt_BR', 'Olá {{1}}, seu pagamento foi aprovado!!! Ganhe um cupom de R$ 20 grátis: corra, só hoje!'),
    'high',
    ['spam.utility_promotional', 'spam.money_bait', 'spam.pressure', 'spam.exclamation_run'],
  ],
  [
    'scores a Portuguese authentication template as low with no finding',
    template('AUTHENTICATION', 'pt_BR', '{{1}} é seu código de verificação. Por segurança, não o compartilhe.', { buttons: [{ type: 'OTP', otpType: 'COPY_CODE', text: 'Copiar código' }] }),
    'low',
    [],
  ],
];

const cases = [...english, ...spanish, ...portuguese];

describe('assessSpamRisk: real-world templates', () => {
  it.each(cases)('%s', (_name, definition, verdict, raises, doesNotRaise = []) => {
    const assessment = assessSpamRisk(definition);
    const raised = codes(assessment);
    expect({ verdict: assessment.verdict, raised }).toEqual({ verdict, raised: expect.arrayContaining(raises) as unknown });
    for (const code of doesNotRaise) expect(raised).not.toContain(code);
    if (raises.length === 0) expect(assessment.findings.filter((finding) => finding.points > 0)).toEqual([]);
  });

  it('covers at least 30 templates, 8 per language, all three categories and all three verdicts', () => {
    const byLanguage = (prefix: string) => cases.filter(([, definition]) => definition.language.startsWith(prefix)).length;
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect([byLanguage('en'), byLanguage('es'), byLanguage('pt')].every((count) => count >= 8)).toBe(true);
    expect(new Set(cases.map(([, definition]) => definition.category))).toEqual(new Set(['MARKETING', 'UTILITY', 'AUTHENTICATION']));
    expect(new Set(cases.map(([, , verdict]) => verdict))).toEqual(new Set(['low', 'medium', 'high']));
  });
});

/** The text a location points into, so a test can check that a range is inside it. */
function textAt(definition: TemplateDefinition, location: TemplateLocation): string | null {
  if (location.component === 'header') return definition.header?.format === 'TEXT' ? definition.header.text : null;
  if (location.component === 'body') return definition.body.text;
  if (location.component === 'footer') return definition.footer?.text ?? '';
  if (location.component !== 'button') return null;
  const button = definition.buttons[location.index];
  if (button === undefined) return null;
  if (location.field === 'url') return button.type === 'URL' ? button.url : null;
  return 'text' in button ? button.text : null;
}

const sliceAt = (definition: TemplateDefinition, location: TemplateLocation) =>
  'range' in location && location.range ? (textAt(definition, location) ?? '').slice(...location.range) : null;

describe('assessSpamRisk: findings point at what they are about', () => {
  it('underlines the exact phrase, in the component where it is', () => {
    const definition = template('MARKETING', 'pt_BR', 'Oi {{1}}, Última Chance: tudo pela metade.', { header: textHeader('Não perca, {{1}}'), buttons: [quickReply('Parar promoções')] });
    const pressure = assessSpamRisk(definition).findings.filter((finding) => finding.code === 'spam.pressure');
    expect(pressure.map((finding) => [finding.location.component, sliceAt(definition, finding.location)])).toEqual([
      ['header', 'Não perca'],
      ['body', 'Última Chance'],
    ]);
  });

  it('points a link shortener behind a URL button at that button\'s url', () => {
    const definition = template('MARKETING', 'en', 'Hi {{1}}, our spring catalogue is out.', { buttons: [urlButton('See catalogue', 'https://tinyurl.com/spring-cat'), stopPromotions] });
    const finding = assessSpamRisk(definition).findings.find((candidate) => candidate.code === 'spam.link_shortener');
    expect(finding?.location).toEqual({ component: 'button', index: 0, field: 'url', range: [0, 'https://tinyurl.com/spring-cat'.length] });
  });

  it('explains every finding: what it is, why people block it and how to fix it, with its points', () => {
    const { findings } = assessSpamRisk(template('MARKETING', 'en', 'LAST CHANCE!!! Win a FREE trip: https://bit.ly/x 🎉🎉🎉🎉🎉🎉'));
    for (const finding of findings) {
      expect(finding.code).toMatch(/^spam\.[a-z_]+$/);
      expect(finding.severity).toBe('warning');
      expect(finding.message.length).toBeGreaterThan(60);
      expect(finding.points).toBeGreaterThan(0);
    }
    expect(findings.map((finding) => finding.points)).toEqual([...findings.map((finding) => finding.points)].sort((a, b) => b - a));
  });

  it('stops counting a signal at its cap but still lists every occurrence, saying why it adds nothing', () => {
    const definition = template('MARKETING', 'en', 'Hi {{1}}: last chance, hurry, act now, limited time, ends tonight, final hours.', { buttons: [stopPromotions] });
    const pressure = assessSpamRisk(definition).findings.filter((finding) => finding.code === 'spam.pressure');
    expect(pressure).toHaveLength(6);
    expect(pressure.reduce((sum, finding) => sum + finding.points, 0)).toBe(SPAM_WEIGHTS.pressure.cap);
    expect(pressure.filter((finding) => finding.points === 0).every((finding) => finding.message.includes('Not counted again'))).toBe(true);
  });
});

describe('assessSpamRisk: language and category', () => {
  it.each([
    ['reads a Brazilian template with the Portuguese table', 'pt_BR', 'Oi {{1}}, só hoje: tênis novos.', true],
    ['ignores accents and capitals when matching', 'pt_BR', 'Oi {{1}}, NAO PERCA: tênis novos.', true],
    ['reads a Spanish template with the Spanish table', 'es_MX', 'Hola {{1}}, date prisa: tenis nuevos.', true],
    ['adds the English table to a Spanish template', 'es', 'Hola {{1}}, last chance: tenis nuevos.', true],
    ['does not apply the Portuguese table to a Spanish template', 'es', 'Hola {{1}}, só hoje: tenis nuevos.', false],
    ['falls back to English alone for a language without tables', 'fr', 'Bonjour {{1}}, dernière chance : last chance.', true],
    ['does not invent French pressure wording it has no table for', 'fr', 'Bonjour {{1}}, dernière chance : baskets neuves.', false],
  ])('%s', (_name, language, body, flagged) => {
    const raised = codes(assessSpamRisk(template('MARKETING', language, body, { buttons: [stopPromotions] })));
    expect(raised.includes('spam.pressure')).toBe(flagged);
  });

  it('treats promotional wording as a problem only in UTILITY templates', () => {
    const body = 'Hi {{1}}, get 20% off with coupon SPRING.';
    expect(codes(assessSpamRisk(template('UTILITY', 'en', body)))).toContain('spam.utility_promotional');
    expect(codes(assessSpamRisk(template('MARKETING', 'en', body, { buttons: [stopPromotions] })))).not.toContain('spam.utility_promotional');
  });

  it.each([
    ['a footer "Reply STOP to unsubscribe"', { footer: 'Reply STOP to unsubscribe' }],
    ['a footer "Para darte de baja, escribe BAJA"', { footer: 'Para darte de baja, escribe BAJA' }],
    ['a quick reply "Unsubscribe"', { buttons: [quickReply('Unsubscribe')] }],
    ['a quick reply "Não quero mais promoções"', { buttons: [quickReply('Não quero mais promoções')] }],
  ])('accepts %s as a way to opt out of marketing', (_name, extras: Extras) => {
    expect(codes(assessSpamRisk(template('MARKETING', 'en', 'Hi {{1}}, new arrivals are in.', extras)))).not.toContain('spam.no_opt_out');
  });

  it.each([
    ['a footer that only names the shop', { footer: 'Loja Aurora, São Paulo' }],
    ['a quick reply that is not an opt-out', { buttons: [quickReply('Tell me more')] }],
    ['a footer that says "end" in lower case', { footer: 'Sale ends Sunday' }],
  ])('does not accept %s as a way to opt out of marketing', (_name, extras: Extras) => {
    expect(codes(assessSpamRisk(template('MARKETING', 'en', 'Hi {{1}}, new arrivals are in.', extras)))).toContain('spam.no_opt_out');
  });

  it('checks only the button labels of an AUTHENTICATION template, because Meta presets its body and footer', () => {
    const shoutedBody = { ...template('AUTHENTICATION', 'en', 'YOUR FREE CODE IS {{1}}!!! HURRY 🎉🎉🎉🎉🎉🎉'), footer: { text: 'EXPIRES TODAY!!!' } };
    expect(assessSpamRisk(shoutedBody)).toEqual({ score: 0, verdict: 'low', findings: [] });
    const loudButton = template('AUTHENTICATION', 'en', '{{1}} is your verification code.', { buttons: [{ type: 'OTP', otpType: 'COPY_CODE', text: 'Copy now!!!' }] });
    expect(codes(assessSpamRisk(loudButton))).toEqual(['spam.exclamation_run']);
  });

  it('turns medium at LOW_RISK_BELOW: marketing with no opt-out (20) and no variable (5) scores exactly 25', () => {
    const assessment = assessSpamRisk(template('MARKETING', 'en', 'Our new winter menu is here. Book a table for this weekend.'));
    expect([assessment.score, assessment.verdict]).toEqual([25, 'medium']);
  });
});

describe('spamVerdict', () => {
  it.each([
    [0, 'low'],
    [LOW_RISK_BELOW - 1, 'low'],
    [LOW_RISK_BELOW, 'medium'],
    [HIGH_RISK_FROM - 1, 'medium'],
    [HIGH_RISK_FROM, 'high'],
    [100, 'high'],
  ])('calls a score of %i %s', (score, verdict) => {
    expect(spamVerdict(score)).toBe(verdict);
  });
});

// ---- Properties ----------------------------------------------------------------------------------------

const FRAGMENTS = [
  'Hi', 'Olá', 'Hola', '{{1}}', '{{2}}', 'your order', 'seu pedido', 'tu pedido', 'has shipped.', 'is ready', 'OK', 'PIX', 'SMS',
  'AB12CD', 'FREE', 'WIN', 'NOW', 'grátis', 'gratis', 'ganhe', 'gana', '100%', '$$$', 'free shipping', 'frete grátis', 'last chance',
  'última chance', 'solo hoy', 'só hoje', 'hurry', 'corra', 'no te lo pierdas', 'não perca', 'discount', 'desconto', 'descuento',
  '20% off', 'cupom', 'sale', 'oferta', '!', '!!!', '???', '¡¡', '🎉', '🔥', '👍🏽', '🇧🇷', '👨‍👩‍👧', '™', 'https://bit.ly/x',
  'https://shop.example.com/a', 't.co/abc', 'www.example.com', 'STOP', 'Reply STOP to unsubscribe', 'SALE ENDS SUNDAY', 'é', '\u0301',
];

const text = (maxLength: number) =>
  fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: 40 }).map((parts) => parts.join(' ').slice(0, maxLength));

const BUTTONS: TemplateButton[] = [
  quickReply('Tell me more'),
  quickReply('SHOP NOW!!!'),
  urlButton('Open', 'https://bit.ly/{{1}}'),
  urlButton('Track', 'https://shop.example.com/t/{{1}}'),
  { type: 'PHONE_NUMBER', text: 'Call us', phoneNumber: '+5511999999999' },
  { type: 'OTP', otpType: 'COPY_CODE', text: 'Copy code' },
];

const templates = (categories: readonly TemplateCategory[]) =>
  fc.record({
    category: fc.constantFrom(...categories),
    language: fc.constantFrom('en', 'en_US', 'es', 'es_MX', 'pt_BR', 'fr', 'xx'),
    header: fc.option(text(60)),
    body: text(1024),
    footer: fc.option(text(60)),
    buttons: fc.subarray(BUTTONS),
  }).map(({ category, language, header, body, footer, buttons }) =>
    template(category, language, body, { header: header === null ? null : textHeader(header), buttons, ...(footer === null ? {} : { footer }) }),
  );

const ALL_CATEGORIES: readonly TemplateCategory[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

describe('assessSpamRisk: properties', () => {
  it('keeps the score an integer within 0..100 with the verdict its thresholds give', () => {
    fc.assert(
      fc.property(templates(ALL_CATEGORIES), (definition) => {
        const { score, verdict } = assessSpamRisk(definition);
        expect(Number.isInteger(score) && score >= 0 && score <= 100).toBe(true);
        expect(verdict).toBe(spamVerdict(score));
      }),
    );
  });

  it('makes every point come from a finding: the points sum to the score before the 100 cap, and no signal exceeds its cap', () => {
    fc.assert(
      fc.property(templates(ALL_CATEGORIES), (definition) => {
        const { score, findings } = assessSpamRisk(definition);
        const sum = findings.reduce((total, finding) => total + finding.points, 0);
        expect(score).toBe(Math.min(100, sum));
        for (const [signal, { cap }] of Object.entries(SPAM_WEIGHTS)) {
          expect(findings.filter((finding) => finding.code === `spam.${signal}`).reduce((total, finding) => total + finding.points, 0)).toBeLessThanOrEqual(cap);
        }
      }),
    );
  });

  it('places every range inside the text of the component it names', () => {
    fc.assert(
      fc.property(templates(ALL_CATEGORIES), (definition) => {
        for (const { location } of assessSpamRisk(definition).findings) {
          if (!('range' in location) || location.range === undefined) continue;
          const [start, end] = location.range;
          expect(0 <= start && start <= end && end <= (textAt(definition, location) ?? '').length).toBe(true);
        }
      }),
    );
  });

  it('never raises the score of a MARKETING template when a "Stop promotions" quick reply is added', () => {
    fc.assert(
      fc.property(templates(['MARKETING']), (definition) => {
        const withOptOut = assessSpamRisk({ ...definition, buttons: [...definition.buttons, stopPromotions] });
        expect(withOptOut.score).toBeLessThanOrEqual(assessSpamRisk(definition).score);
        expect(codes(withOptOut)).not.toContain('spam.no_opt_out');
      }),
    );
  });

  it('is pure: the same template gives the same assessment, and the template is not changed', () => {
    fc.assert(
      fc.property(templates(ALL_CATEGORIES), (definition) => {
        const copy = structuredClone(definition);
        expect(assessSpamRisk(definition)).toEqual(assessSpamRisk(copy));
        expect(definition).toEqual(copy);
      }),
    );
  });
});
