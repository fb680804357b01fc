import { describe, expect, it } from 'vitest';
import { describeDatabase, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('works with nothing set: embedded PGlite under ./.greenlight and the built-in simulator', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/srv/app/.greenlight/data' });
    expect(config.whatsapp).toMatchObject({ mode: 'simulator', accessToken: null, apiVersion: 'v25.0' });
    expect(config.http.port).toBe(3000);
  });

  it('talks to Meta once an access token is set', () => {
    const config = loadConfig({ WHATSAPP_ACCESS_TOKEN: 'EAAG-secret', WHATSAPP_APP_SECRET: 'shh' }, '/srv/app');
    expect(config.whatsapp).toMatchObject({ mode: 'meta', baseUrl: 'https://graph.facebook.com' });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ GREENLIGHT_DATABASE_URL: '', WHATSAPP_ACCESS_TOKEN: ' ' }, '/x')).toMatchObject({ database: { kind: 'pglite' }, whatsapp: { mode: 'simulator' } });
  });

  it.each([
    ['GREENLIGHT_DATABASE_URL', 'mysql://db', 'postgres://'],
    ['GREENLIGHT_PORT', 'eighty', 'port number'],
    ['WHATSAPP_API_VERSION', '25', 'v25.0'],
    ['WHATSAPP_PHONE_NUMBER_ID', '+1 555', 'numeric id'],
  ])('refuses a bad %s with a message naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value }, '/x')).toThrow(new RegExp(`${name}: .*${message.replace(/[.+]/g, '\\$&')}`));
  });

  it('returns a frozen configuration, so no module can change it behind the others', () => {
    const config = loadConfig({}, '/x');
    expect(Object.isFrozen(config.whatsapp)).toBe(true);
  });

  it('never prints the database password', () => {
    expect(describeDatabase(loadConfig({ GREENLIGHT_DATABASE_URL: 'postgres://app:hunter2@db:5432/greenlight' }, '/x'))).not.toContain('hunter2');
  });
});
