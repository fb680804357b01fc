// The demo's templates: two of the starter templates as a careful shop would send them (order_update,
// UTILITY; back_in_stock, MARKETING), each in English, Spanish and Brazilian Portuguese — and one
// "flash sale" blast written the way spam is written (capitals, "!!!", pressure, a link shortener), so
// the linter has something to warn about and the guards something to stop. Meta approves it: nothing
// in it breaks a structural rule, which is exactly why the guards matter.

import path from 'node:path';
import { parseTemplateJson } from '../../domain/template-json.ts';
import type { TemplateDefinition } from '../../domain/template.ts';
import { packageRootHolding } from '../../lib/package-root.ts';
import { readTemplateFile } from '../template-file.ts';

export const DEMO_LANGUAGES = ['en', 'es', 'pt_BR'] as const;

const STARTERS = ['order_update', 'back_in_stock'] as const;

const SPAMMY_BODIES: Record<(typeof DEMO_LANGUAGES)[number], string> = {
  en: '🔥 FLASH SALE {{1}}!!! 70% OFF EVERYTHING, ONLY TODAY!!! Hurry, last chance, act now before it is gone: bit.ly/lv-flash',
  es: '🔥 ¡¡¡VENTA FLASH {{1}}!!! 70% DE DESCUENTO EN TODO, SOLO HOY!!! Date prisa, última oportunidad: bit.ly/lv-flash',
  pt_BR: '🔥 SUPER PROMOÇÃO {{1}}!!! 70% DE DESCONTO EM TUDO, SÓ HOJE!!! Corra, última chance, aproveite já: bit.ly/lv-flash',
};

export const SPAMMY_TEMPLATE = 'flash_sale_blast';

function spammy(language: (typeof DEMO_LANGUAGES)[number]): TemplateDefinition {
  const parsed = parseTemplateJson({
    name: SPAMMY_TEMPLATE, language, category: 'MARKETING', parameter_format: 'positional',
    components: [{ type: 'BODY', text: SPAMMY_BODIES[language], example: { body_text: [['Ana']] } }],
  });
  if (!parsed.ok) throw new Error(`the demo's ${SPAMMY_TEMPLATE} (${language}) is not a template: ${parsed.errors.map((error) => error.message).join('; ')}`);
  return parsed.template;
}

/** Every template the demo submits, in submission order. */
export function demoTemplates(): TemplateDefinition[] {
  const starterDir = path.join(packageRootHolding(import.meta.url, path.join('templates', 'starter')), 'templates', 'starter');
  const starters = STARTERS.flatMap((name) => DEMO_LANGUAGES.map((language) => readTemplateFile(starterDir, `${name}.${language}.json`)));
  return [...starters, ...DEMO_LANGUAGES.map(spammy)];
}
