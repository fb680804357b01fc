// §3.2 and §4.3: what Meta refuses synchronously when a message is sent: the bearer token (0/190, HTTP 401),
// unknown ids (100/33), template problems (132001, 132000, 132012, 132018, 132005, 132015, 132016) and the
// Marketing Messages API's marketing-only rule (131055).

import { describe, expect, it } from 'vitest';
import { brazilNumber, errorCode, graph, makeSimulator, PHONE_ID, send, templateMessage, text, WABA_ID } from './sim-harness.ts';

const to = brazilNumber(1);
const NAMED = {
  name: 'order_named',
  language: 'en_US',
  category: 'UTILITY',
  parameterFormat: 'named',
  components: [{ type: 'BODY', text: 'Hi {{first_name}}, order {{order_id}} has shipped.' }],
};
const WITH_BUTTON = {
  name: 'track_order',
  language: 'en_US',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}, track your parcel below.' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://example.com/track/{{1}}' }] },
  ],
};

describe('send-time validation', () => {
  it('accepts a valid template send with Meta’s success shape', async () => {
    const sim = makeSimulator();
    const answer = await send(sim, templateMessage(to, 'spring_sale', [text('Ana')]));
    expect(answer).toEqual({
      status: 200,
      body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.slice(1) }], messages: [{ id: expect.stringMatching(/^wamid\./) as unknown, message_status: 'accepted' }] },
    });
    expect(sim.sent({ to })).toHaveLength(1);
  });

  it.each([
    ['an unknown template name', templateMessage(to, 'no_such_template', [text('Ana')]), 132001, 404],
    ['an approved template in another language', templateMessage(to, 'spring_sale', [text('Ana')], 'pt_BR'), 132001, 404],
    ['too few body parameters', templateMessage(to, 'spring_sale', []), 132000, 400],
    ['too many body parameters', templateMessage(to, 'spring_sale', [text('Ana'), text('extra')]), 132000, 400],
    ['a named parameter for a positional template', templateMessage(to, 'spring_sale', [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }]), 132012, 400],
    ['a newline in a parameter', templateMessage(to, 'spring_sale', [text('Ana\nMaria')]), 132018, 400],
    ['a tab in a parameter', templateMessage(to, 'spring_sale', [text('Ana\tMaria')]), 132018, 400],
    ['five spaces in a row in a parameter', templateMessage(to, 'spring_sale', [text('Ana     Maria')]), 132018, 400],
    ['a currency parameter Meta would refuse (code not 3 letters, per graph-wire.ts)', templateMessage(to, 'spring_sale', [{ type: 'currency', currency: { fallback_value: '$1', code: 'DOLLAR', amount_1000: 1000 } }]), 100, 400],
    ['a message type Meta does not know', { messaging_product: 'whatsapp', to, type: 'hologram', hologram: {} }, 131051, 400],
    ['a hydrated body over 1024 characters', templateMessage(to, 'spring_sale', [text('A'.repeat(1_000))]), 132005, 400],
  ])('refuses %s', async (_case, payload, code, httpStatus) => {
    const sim = makeSimulator();
    const answer = await send(sim, payload);
    expect(errorCode(answer)).toBe(code);
    expect(answer.status).toBe(httpStatus);
    expect(sim.sent()).toHaveLength(0);
  });

  it('checks named parameters by name (132012 for positional ones) and header and URL-button parameters by count (132000)', async () => {
    const sim = makeSimulator({ templates: [NAMED, WITH_BUTTON] });
    const named = (parameters: Array<Record<string, unknown>>) => templateMessage(to, 'order_named', parameters);
    expect(errorCode(await send(sim, named([text('Ana'), text('A-1')])))).toBe(132012);
    const ok = await send(sim, named([{ type: 'text', text: 'Ana', parameter_name: 'first_name' }, { type: 'text', text: 'A-1', parameter_name: 'order_id' }]));
    expect(ok.status).toBe(200);
    const track = templateMessage(brazilNumber(2), 'track_order', [text('Ana')]);
    expect(errorCode(await send(sim, track))).toBe(132000);
    track.template.components.push(
      { type: 'header', parameters: [text('A-1')] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [text('A-1')] } as (typeof track.template.components)[number],
    );
    expect((await send(sim, track)).status).toBe(200);
  });

  it('refuses a template that is still PENDING with 132001, a paused one with 132015 and a disabled one with 132016', async () => {
    const sim = makeSimulator();
    await graph(sim, 'POST', `/${WABA_ID}/message_templates`, { name: 'fresh', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}, thanks.' }] });
    expect(errorCode(await send(sim, templateMessage(to, 'fresh', [text('Ana')])))).toBe(132001);
    const spring = sim.templates.find(WABA_ID, 'spring_sale', 'en_US')?.id ?? '';
    sim.controls.pauseTemplate(spring);
    expect(errorCode(await send(sim, templateMessage(to, 'spring_sale', [text('Ana')])))).toBe(132015);
    await sim.advance(3 * 3_600_000);
    sim.controls.pauseTemplate(spring);
    await sim.advance(6 * 3_600_000);
    sim.controls.pauseTemplate(spring);
    expect(sim.templates.get(spring)?.status).toBe('DISABLED');
    expect(errorCode(await send(sim, templateMessage(to, 'spring_sale', [text('Ana')])))).toBe(132016);
  });

  it('accepts only marketing templates on /marketing_messages (131055) and prices them as marketing_lite', async () => {
    const sim = makeSimulator({ templates: [NAMED, { name: 'spring_sale', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'Hi {{1}}, new arrivals are in.' }] }] });
    const textAnswer = await graph(sim, 'POST', `/${PHONE_ID}/marketing_messages`, { messaging_product: 'whatsapp', to, type: 'text', text: { body: 'hi' } });
    expect(errorCode(textAnswer)).toBe(131055);
    const utility = await graph(sim, 'POST', `/${PHONE_ID}/marketing_messages`, templateMessage(to, 'order_named', [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }, { type: 'text', text: 'A', parameter_name: 'order_id' }]));
    expect(errorCode(utility)).toBe(131055);
    expect((await graph(sim, 'POST', `/${PHONE_ID}/marketing_messages`, templateMessage(to, 'spring_sale', [text('Ana')]))).status).toBe(200);
    expect(sim.sent()[0]).toMatchObject({ route: 'marketing_messages', pricingCategory: 'marketing_lite' });
  });

  it('answers a missing token with code 0 and a wrong one with 190, both HTTP 401', async () => {
    const sim = makeSimulator();
    const missing = await graph(sim, 'POST', `/${PHONE_ID}/messages`, templateMessage(to, 'spring_sale', [text('Ana')]), null);
    expect(missing.status).toBe(401);
    expect(missing.body['error']).toMatchObject({ code: 0, type: 'OAuthException' });
    const wrong = await graph(sim, 'GET', `/${PHONE_ID}`, undefined, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.body['error']).toMatchObject({ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
  });

  it('answers unknown ids with code 100 subcode 33, bad bodies with 100, and a send to the sender itself with 131021', async () => {
    const sim = makeSimulator();
    expect((await send(sim, templateMessage(to, 'spring_sale', [text('Ana')]), '999')).body['error']).toMatchObject({ code: 100, error_subcode: 33 });
    expect((await send(sim, { to, type: 'text', text: { body: 'no product' } })).body['error']).toMatchObject({ code: 100 });
    expect(errorCode(await send(sim, { messaging_product: 'whatsapp', to: 'not-a-number', type: 'text', text: { body: 'x' } }))).toBe(100);
    expect(errorCode(await send(sim, { messaging_product: 'whatsapp', to: '+15550783881', type: 'text', text: { body: 'x' } }))).toBe(131021);
  });

  it('fails the next N sends with a chosen code, synchronously or in a status webhook', async () => {
    const sim = makeSimulator();
    sim.controls.failNextSends({ count: 2, code: 131000 });
    sim.controls.failNextSends({ count: 1, code: 131026, surface: 'async' });
    const answers = [];
    for (let index = 0; index < 4; index += 1) answers.push(await send(sim, templateMessage(brazilNumber(index), 'spring_sale', [text('Ana')])));
    expect(answers.map((answer) => errorCode(answer) ?? answer.status)).toEqual([131000, 131000, 200, 200]);
    expect(answers[0]?.status).toBe(500);
    await sim.advance(10_000);
    expect(sim.sent().map((message) => message.errorCode)).toEqual([131026, null]);
  });
});
