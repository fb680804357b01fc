// REST API routes: contacts — search and page them, show one with its consent ledger, record an
// opt-in or an opt-out, and import a CSV. The writes are the CLI's own actions (recordConsent,
// importContacts), so the API validates and records consent exactly as `greenlight contacts` does.

import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { importContacts } from '../../actions/import-contacts.ts';
import { recordAuditEvent } from '../../actions/record-audit-event.ts';
import { recordContactConsent } from '../../actions/record-contact-consent.ts';
import type { WhatsAppDeps } from '../../deps.ts';
import { parseConsentCategories } from '../../domain/consent.ts';
import { AppError } from '../../errors.ts';
import { countContactsMatching, listContactsMatching } from '../../store/contact-search.ts';
import { idParam, pageQuery, type ApiRouter } from './api-kit.ts';
import { apiActor } from './audit-actor.ts';
import { contactDetail } from './contact-view.ts';
import type { ApiEnvironment } from './status-routes.ts';

const TAG = 'contacts';

/** The largest CSV the API imports in one request (about 200,000 rows); larger files go through `greenlight contacts import`. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const source = z.string().trim().min(1).max(200);

const listQuery = z.object({
  q: z.string().trim().max(100).optional(),
  tag: z.string().trim().min(1).max(64).optional(),
  // `none` is the contract's word for "no consent on record"; the consent state itself is `unknown`.
  consent: z.enum(['opted_in', 'opted_out', 'none', 'unknown']).optional(),
  ...pageQuery,
});

const importQuery = z.object({
  source: source.optional().describe('Where the opt-ins in the file were given (default: csv-import:<fileName>)'),
  consent: z.string().optional().transform((text, context) => {
    if (text === undefined) return undefined;
    const categories = parseConsentCategories(text);
    if (categories === null) context.addIssue({ code: 'custom', message: 'marketing, utility or all' });
    return categories ?? undefined;
  }).describe('The categories the file\'s opt-ins are for: marketing, utility or all (default all)'),
  proof: z.string().trim().min(1).max(4000).optional().describe('The opt-in text people agreed to, for rows without their own'),
  defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter ISO code, e.g. BR').transform((code) => code.toUpperCase()).optional(),
  fileName: z.string().trim().min(1).max(200).default('upload.csv'),
  dryRun: z.enum(['true', 'false']).default('false').transform((flag) => flag === 'true'),
});

export function contactRoutes(api: ApiRouter, deps: WhatsAppDeps, _environment: ApiEnvironment): void {
  api.route({
    method: 'get', path: '/contacts', tag: TAG, summary: 'Contacts by name or number (q), tag and marketing consent, in id order (keyset pages: after = the last id seen)',
    query: listQuery,
    responses: { 200: '{ items: [Contact], nextAfter, total }', 400: 'A query parameter is not valid (field names it)' },
  }, async ({ query }) => {
    const filter = { q: query.q ?? null, tag: query.tag ?? null, marketing: query.consent === undefined ? null : query.consent === 'none' ? 'unknown' as const : query.consent };
    const [items, total] = await Promise.all([listContactsMatching(deps.db, filter, { afterId: query.after ?? null, limit: query.limit }), countContactsMatching(deps.db, filter)]);
    return { status: 200, body: { items, nextAfter: items.length === query.limit ? items.at(-1)!.id : null, total } };
  });

  api.route({
    method: 'get', path: '/contacts/:id', tag: TAG, summary: 'One contact: consent now, its ledger (newest first), active suppressions and the service window',
    params: idParam,
    responses: { 200: '{ contact, consent, history, suppressions, serviceWindow }', 400: 'Not a contact id', 404: 'No such contact' },
  }, async ({ params }) => ({ status: 200, body: await contactDetail(deps, params.id) }));

  api.route({
    method: 'post', path: '/contacts/:id/opt-in', tag: TAG, summary: 'Record an opt-in with its proof (the words the person agreed to, whatsapp-rules.md §8.1)',
    params: idParam,
    body: z.strictObject({ category: z.enum(['marketing', 'utility']), source, proof: z.string().trim().min(1).max(4000) }),
    responses: { 201: 'The contact, as GET /contacts/:id', 400: 'A field is missing or not valid', 404: 'No such contact', 409: 'The contact has no phone number (known only by Meta\'s user id)' },
  }, async ({ c, params, body }) => {
    const recorded = await recordContactConsent(deps, { kind: 'opt_in', contactId: params.id, category: body.category, source: body.source, proof: body.proof });
    await recordAuditEvent(deps, apiActor(c), { action: 'contact.opt_in', targetType: 'contact', targetId: params.id, detail: { categories: [body.category], eventsRecorded: recorded.eventsRecorded } });
    return { status: 201, body: await contactDetail(deps, params.id) };
  });

  api.route({
    method: 'post', path: '/contacts/:id/opt-out', tag: TAG, summary: 'Record an opt-out (idempotent: a category already opted out of records nothing)',
    params: idParam,
    body: z.strictObject({ category: z.enum(['marketing', 'utility', 'all']), source: source.default('api') }),
    responses: { 200: 'The contact, as GET /contacts/:id', 400: 'A field is not valid', 404: 'No such contact' },
  }, async ({ c, params, body }) => {
    const categories = body.category === 'all' ? ['marketing' as const, 'utility' as const] : [body.category];
    const recorded = await recordContactConsent(deps, { kind: 'opt_out', contactId: params.id, categories, source: body.source });
    await recordAuditEvent(deps, apiActor(c), { action: 'contact.opt_out', targetType: 'contact', targetId: params.id, detail: { categories, eventsRecorded: recorded.eventsRecorded } });
    return { status: 200, body: await contactDetail(deps, params.id) };
  });

  api.route({
    method: 'post', path: '/contacts/import', tag: TAG, summary: 'Import contacts and their consent from a CSV body (one transaction: a malformed file writes nothing)',
    query: importQuery,
    rawBody: { contentType: 'text/csv', description: `The CSV file, at most ${MAX_IMPORT_BYTES} bytes; columns as for \`greenlight contacts import\`.` },
    responses: { 200: 'The import summary (as `contacts import --json`)', 400: 'INVALID_CSV (nothing imported) or a query parameter not valid', 413: `The body is over ${MAX_IMPORT_BYTES} bytes (nothing imported)` },
  }, async ({ c, query }) => {
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > MAX_IMPORT_BYTES) throw tooLarge();
    const body = c.req.raw.body ? boundedStream(Readable.fromWeb(c.req.raw.body as WebReadableStream<Uint8Array>)) : Readable.from([]);
    const summary = await importContacts(deps, body, {
      fileName: query.fileName, optInSource: query.source, optInProof: query.proof ?? null, categories: query.consent, defaultCountry: query.defaultCountry ?? null, dryRun: query.dryRun,
    });
    return { status: 200, body: summary };
  });
}

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `the CSV is larger than ${MAX_IMPORT_BYTES} bytes; split it, or use \`greenlight contacts import\`; nothing was imported`);

/** Fails the stream once it passed the limit; the import's transaction then rolls back. */
function boundedStream(input: Readable): Readable {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > MAX_IMPORT_BYTES ? tooLarge() : null, chunk);
    },
  });
  input.on('error', (error) => counter.destroy(error));
  return input.pipe(counter);
}
