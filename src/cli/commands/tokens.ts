// `greenlight tokens create|list|revoke`: the REST API's bearer tokens. A token is shown once, when it
// is created: only its SHA-256 digest is stored. Creating and revoking are recorded in the audit log.

import { createApiToken } from '../../actions/issue-api-token.ts';
import { CLI_ACTOR, recordAuditEvent } from '../../actions/record-audit-event.ts';
import { revokeApiToken } from '../../actions/revoke-api-token.ts';
import { apiTokenState, MAX_TOKEN_LIFETIME_DAYS } from '../../domain/api-token-lifecycle.ts';
import { AppError } from '../../errors.ts';
import { listApiTokens } from '../../store/api-tokens.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { formatTable } from '../format-table.ts';
import { parseCommandArgs, parseWholeNumberFlag } from '../parse-command-args.ts';

const createUsage = 'greenlight tokens create --label LABEL [--expires-in-days N] [--json]';

async function create(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, { label: { type: 'string' }, 'expires-in-days': { type: 'string' }, json: { type: 'boolean' } }, createUsage);
  if (positionals.length > 0) throw new AppError('INVALID_INPUT', `unexpected argument ${positionals[0]}\nusage: ${createUsage}`);
  if (!values.label?.trim()) throw new AppError('INVALID_INPUT', `--label is required: say who or what the token is for\nusage: ${createUsage}`);
  const days = values['expires-in-days'] === undefined ? null : parseWholeNumberFlag(values['expires-in-days'], '--expires-in-days', 1, MAX_TOKEN_LIFETIME_DAYS);
  const deps = await context.openDeps();
  try {
    const created = await createApiToken(deps, { label: values.label, expiresInDays: days });
    await recordAuditEvent(deps, CLI_ACTOR, { action: 'api_token.create', targetType: 'api_token', targetId: created.id, detail: { label: created.label, expiresAt: created.expiresAt?.toISOString() ?? null } });
    if (values.json) context.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
    else {
      const expiry = created.expiresAt ? `expires ${created.expiresAt.toISOString()}` : 'no expiry';
      context.stdout.write(`API token ${created.id} "${created.label}" created (${expiry}):\n\n  ${created.token}\n\nCopy it now: only its digest is stored, so it cannot be shown again. Send it as "Authorization: Bearer <token>".\n`);
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

async function list(context: CliContext): Promise<number> {
  const usage = 'greenlight tokens list [--json]';
  const { values, positionals } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, usage);
  if (positionals.length > 0) throw new AppError('INVALID_INPUT', `unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const deps = await context.openDeps();
  try {
    const now = deps.clock.now();
    const tokens = (await listApiTokens(deps.db)).map((token) => ({ ...token, state: apiTokenState(token, now) }));
    if (values.json) context.stdout.write(`${JSON.stringify({ tokens }, null, 2)}\n`);
    else if (tokens.length === 0) context.stdout.write('No API tokens yet: greenlight tokens create --label LABEL\n');
    else {
      const when = (date: Date | null) => date?.toISOString() ?? '';
      const rows = tokens.map((token) => [token.id, token.label, token.state, when(token.createdAt), when(token.lastUsedAt), when(token.expiresAt), when(token.revokedAt)]);
      context.stdout.write(`${formatTable(['id', 'label', 'state', 'created', 'last used (±1 min)', 'expires', 'revoked'], rows)}\n`);
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

const revokeUsage = 'greenlight tokens revoke ID [--json]';

async function revoke(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, revokeUsage);
  const [text, ...extra] = positionals;
  if (text === undefined || extra.length > 0) throw new AppError('INVALID_INPUT', `name one token id (greenlight tokens list shows them)\nusage: ${revokeUsage}`);
  const id = parseWholeNumberFlag(text, 'the token id', 1, Number.MAX_SAFE_INTEGER);
  const deps = await context.openDeps();
  try {
    const result = await revokeApiToken(deps, id);
    if (result.revoked) await recordAuditEvent(deps, CLI_ACTOR, { action: 'api_token.revoke', targetType: 'api_token', targetId: id, detail: { label: result.token.label } });
    if (values.json) context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (!result.revoked) context.stdout.write(`API token ${id} "${result.token.label}" was already revoked at ${result.token.revokedAt?.toISOString()}; nothing changed.\n`);
    else {
      // The environment's token is inserted again at each start, but an existing digest keeps its revocation.
      const environment = result.token.label === 'GREENLIGHT_API_TOKEN' ? ' Set a new GREENLIGHT_API_TOKEN too: this one stays refused.' : '';
      context.stdout.write(`API token ${id} "${result.token.label}" revoked: its next request gets 401 API_TOKEN_REVOKED.${environment}\n`);
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

export const tokensCreateCommand: Command = { summary: 'create a REST API token (shown once) with an optional expiry', usage: createUsage, run: create };
export const tokensListCommand: Command = { summary: 'list REST API tokens: id, label, state, created, last used, expiry (never the token)', usage: 'greenlight tokens list [--json]', run: list };
export const tokensRevokeCommand: Command = { summary: 'revoke a REST API token; its next request is refused', usage: revokeUsage, run: revoke };
