// REST API routes: templates (filled in by the API work of issue 6).

import type { WhatsAppDeps } from '../../deps.ts';
import type { ApiRouter } from './api-kit.ts';
import type { ApiEnvironment } from './status-routes.ts';

export function templateRoutes(_api: ApiRouter, _deps: WhatsAppDeps, _environment: ApiEnvironment): void {}
