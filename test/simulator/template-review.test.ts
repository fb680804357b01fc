// §4.1, §4.2, §4.5: templates are created PENDING and reviewed after a simulated delay: APPROVED, REJECTED
// with Meta's reason (INVALID_FORMAT, ABUSIVE_CONTENT, INCORRECT_CATEGORY), or approved as MARKETING when a
// UTILITY template reads as a promotion; listed with cursor paging, read by id, deleted by name.

import { describe, expect, it } from 'vitest';
import { graph, makeSimulator, templateStatusEvents, WABA_ID } from './sim-harness.ts';

const body = (textValue: string) => [{ type: 'BODY', text: textValue }];
const draft = (name: string, category: string, textValue: string, extra: Record<string, unknown> = {}) => ({ name, language: 'en_US', category, components: body(textValue), ...extra });

describe('template review', () => {
  it('creates a template as PENDING and approves it after the review delay, with a message_template_status_update webhook', async () => {
    const sim = makeSimulator({ templateReviewDelayMs: 120_000 });
    const created = await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft('order_update', 'UTILITY', 'Hi {{1}}, your order {{2}} has shipped.'));
    expect(created.body).toEqual({ id: expect.stringMatching(/^\d{16}$/) as unknown, status: 'PENDING', category: 'UTILITY' });
    const id = String(created.body['id']);
    await sim.advance(119_000);
    expect((await graph(sim, 'GET', `/${id}?fields=status`)).body).toEqual({ status: 'PENDING', id });
    await sim.advance(1_000);
    expect((await graph(sim, 'GET', `/${id}?fields=status,quality_score`)).body).toMatchObject({ status: 'APPROVED', quality_score: { score: 'UNKNOWN' } });
    expect(templateStatusEvents(sim)).toEqual([
      { event: 'APPROVED', message_template_id: Number(id), message_template_name: 'order_update', message_template_language: 'en-US', reason: 'NONE', message_template_category: 'UTILITY' },
    ]);
  });

  it.each([
    ['adjacent variables', 'Hello {{1}}{{2}}, welcome aboard.', /next to each other/],
    ['a leading variable', '{{1}}, your code is ready.', /starts or ends/],
    ['a trailing variable', 'Your code is {{1}}', /starts or ends/],
    ['non-sequential positional variables', 'Hi {{1}}, see you on {{3}} at the shop.', /not sequential/],
  ])('rejects a template with %s as INVALID_FORMAT with rejection_info', async (_case, textValue, reason) => {
    const sim = makeSimulator();
    await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft('bad_format', 'MARKETING', textValue));
    await sim.advance(60_000);
    const [event] = templateStatusEvents(sim);
    expect(event).toMatchObject({ event: 'REJECTED', reason: 'INVALID_FORMAT' });
    expect(event?.rejection_info?.reason).toMatch(reason);
    expect(sim.templates.find(WABA_ID, 'bad_format', 'en_US')).toMatchObject({ status: 'REJECTED', rejectedReason: 'INVALID_FORMAT' });
  });

  it('rejects obvious scam wording as ABUSIVE_CONTENT and promotional authentication templates as INCORRECT_CATEGORY', async () => {
    const sim = makeSimulator();
    await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft('prize', 'MARKETING', 'Congratulations {{1}}, you have won the lottery! Claim your prize today.'));
    await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft('login_code', 'AUTHENTICATION', 'Your code is {{1}}. Enjoy 20% off with this exclusive offer today.'));
    await sim.advance(60_000);
    expect(templateStatusEvents(sim).map((event) => [event.message_template_name, event.event, event.reason])).toEqual([
      ['prize', 'REJECTED', 'ABUSIVE_CONTENT'],
      ['login_code', 'REJECTED', 'INCORRECT_CATEGORY'],
    ]);
  });

  it('approves a UTILITY template with promotional wording as MARKETING (§4.1 recategorization)', async () => {
    const sim = makeSimulator();
    const created = await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft('order_shipped', 'UTILITY', 'Hi {{1}}, your order shipped. Use code SAVE10 for a discount on your next purchase today.'));
    await sim.advance(60_000);
    expect(templateStatusEvents(sim)[0]).toMatchObject({ event: 'APPROVED', message_template_category: 'MARKETING' });
    expect((await graph(sim, 'GET', `/${String(created.body['id'])}?fields=category`)).body['category']).toBe('MARKETING');
  });

  it('refuses at creation what Meta refuses synchronously: a duplicate name and language, a body over 1024 characters, a bad name', async () => {
    const sim = makeSimulator();
    const first = draft('welcome', 'UTILITY', 'Hi {{1}}, welcome.');
    expect((await graph(sim, 'POST', `/${WABA_ID}/message_templates`, first)).status).toBe(200);
    const duplicate = await graph(sim, 'POST', `/${WABA_ID}/message_templates`, first);
    expect(duplicate.body['error']).toMatchObject({ code: 100, error_subcode: 2388024 });
    const long = await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft('long_one', 'UTILITY', `Hi {{1}}, ${'x'.repeat(1_030)} thanks.`));
    expect(long.body['error']).toMatchObject({ code: 100, error_subcode: 2388040 });
    const badName = await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft('Bad Name', 'UTILITY', 'Hi {{1}}, welcome.'));
    expect(badName).toMatchObject({ status: 400, body: { error: { code: 100 } } });
  });

  it('lists templates with cursor paging: limit, paging.cursors.after and paging.next (absent on the last page)', async () => {
    const sim = makeSimulator({ templates: [] });
    for (let index = 0; index < 5; index += 1) await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft(`template_${index}`, 'UTILITY', `Hi {{1}}, notice ${index} for you.`));
    const page1 = await graph(sim, 'GET', `/${WABA_ID}/message_templates?limit=2&fields=name,status`);
    expect((page1.body['data'] as Array<Record<string, unknown>>).map((template) => template['name'])).toEqual(['template_0', 'template_1']);
    expect(Object.keys((page1.body['data'] as Array<Record<string, unknown>>)[0] ?? {}).sort()).toEqual(['id', 'name', 'status']);
    const paging1 = page1.body['paging'] as { cursors: { after: string }; next: string };
    expect(new URL(paging1.next).searchParams.get('after')).toBe(paging1.cursors.after);
    const page2 = await graph(sim, 'GET', `/${WABA_ID}/message_templates?limit=2&after=${paging1.cursors.after}`);
    const paging2 = page2.body['paging'] as { cursors: { after: string } };
    const page3 = await graph(sim, 'GET', `/${WABA_ID}/message_templates?limit=2&after=${paging2.cursors.after}`);
    expect((page3.body['data'] as unknown[]).length).toBe(1);
    expect(page3.body['paging']).toEqual({ cursors: { before: expect.any(String) as unknown, after: expect.any(String) as unknown } });
  });

  it('deletes every language of a name, or one template with name + hsm_id', async () => {
    const sim = makeSimulator({ templates: [] });
    const en = await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft('greeting', 'UTILITY', 'Hi {{1}}, hello.'));
    await graph(sim, 'POST', `/${WABA_ID}/message_templates`, { ...draft('greeting', 'UTILITY', 'Oi {{1}}, olá.'), language: 'pt_BR' });
    await graph(sim, 'POST', `/${WABA_ID}/message_templates`, draft('other', 'UTILITY', 'Hi {{1}}, other.'));
    expect((await graph(sim, 'DELETE', `/${WABA_ID}/message_templates?name=greeting&hsm_id=${String(en.body['id'])}`)).body).toEqual({ success: true });
    expect(sim.templates.list(WABA_ID).map((template) => `${template.name}/${template.language}`)).toEqual(['greeting/pt_BR', 'other/en_US']);
    await graph(sim, 'DELETE', `/${WABA_ID}/message_templates?name=greeting`);
    expect(sim.templates.list(WABA_ID).map((template) => template.name)).toEqual(['other']);
    expect((await graph(sim, 'DELETE', `/${WABA_ID}/message_templates?name=missing`)).status).toBe(400);
  });

  it('refuses to unpause a template that is not paused', async () => {
    const sim = makeSimulator();
    const id = sim.templates.find(WABA_ID, 'spring_sale', 'en_US')?.id ?? '';
    expect((await graph(sim, 'POST', `/${id}/unpause`)).body['error']).toMatchObject({ code: 100 });
  });
});
