import { describe, expect, it } from 'vitest';
import { decideInboundOptOut } from './inbound-opt-out.ts';

describe('decideInboundOptOut', () => {
  it.each([
    ['a bare STOP stops every category', { text: 'STOP', payload: null }, ['marketing', 'utility']],
    ['"Parar" in Portuguese stops every category', { text: 'parar', payload: null }, ['marketing', 'utility']],
    ['the "Stop promotions" button text stops marketing only', { text: 'Stop promotions', payload: null }, ['marketing']],
    ['the STOP_PROMOTIONS button payload stops marketing only', { text: 'Parar promoções', payload: 'STOP_PROMOTIONS' }, ['marketing']],
    ['a button whose payload is STOP stops every category', { text: 'Não quero', payload: 'STOP' }, ['marketing', 'utility']],
  ])('%s', (_name, message, categories) => {
    expect(decideInboundOptOut(message)?.categories).toEqual(categories);
  });

  it.each([
    ['a question that contains stop', { text: 'how do I stop the order?', payload: null }],
    ['an unrelated button', { text: 'Track my order', payload: 'TRACK_ORDER' }],
    ['a message with no text', { text: null, payload: null }],
  ])('is not an opt-out: %s', (_name, message) => {
    expect(decideInboundOptOut(message)).toBeNull();
  });
});
