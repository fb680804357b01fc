// The simulated template reviewer: synchronous structure checks at creation (§4.2, 2388xxx subcodes) and
// the asynchronous review decision (§4.1): INVALID_FORMAT, ABUSIVE_CONTENT, INCORRECT_CATEGORY, or APPROVED,
// with UTILITY templates that read as promotions approved as MARKETING. Pure: the registry applies it.

import { promotionalWords, scamWords } from './content-signals.ts';
import type { ParameterFormat, TemplateContent } from './template-content.ts';

export type RejectionReason = 'INVALID_FORMAT' | 'ABUSIVE_CONTENT' | 'INCORRECT_CATEGORY';

export type ReviewDecision =
  | { status: 'APPROVED'; category: string }
  | { status: 'REJECTED'; reason: RejectionReason; rejectionInfo: { reason: string; recommendation: string } | null };

export type StructureError = { subcode: number; userTitle: string; userMessage: string };

/** §4.2 limits Meta enforces when the template is created (the create call fails with code 100). */
export function checkTemplateStructure(content: TemplateContent, category: string): StructureError | null {
  // Meta presets the body of authentication templates: their create body carries no text (§4.2).
  if (content.body.text.trim() === '' && category.toUpperCase() !== 'AUTHENTICATION') return { subcode: 2388072, userTitle: 'Invalid body', userMessage: 'A template needs exactly one BODY component with text.' };
  if (content.body.text.length > 1024) return { subcode: 2388040, userTitle: 'Message template character limit exceeded', userMessage: 'The body may be at most 1024 characters.' };
  const headerText = content.header?.text;
  if (headerText && (headerText.text.length > 60 || headerText.variables.length > 1)) {
    return { subcode: 2388047, userTitle: 'Invalid header', userMessage: 'A text header may be at most 60 characters with at most one parameter.' };
  }
  if (content.footer !== null && (content.footer.length > 60 || content.footer.includes('{{'))) {
    return { subcode: 2388073, userTitle: 'Invalid footer', userMessage: 'A footer may be at most 60 characters, without parameters.' };
  }
  return null;
}

const invalidFormat = (reason: string, recommendation: string): ReviewDecision => ({ status: 'REJECTED', reason: 'INVALID_FORMAT', rejectionInfo: { reason, recommendation } });

/** Meta's format rules for one text (§4.2 "Rejection causes (format)"), or null when it passes. */
function formatProblem(text: string, variables: readonly string[], format: ParameterFormat): ReviewDecision | null {
  if ((text.match(/\{\{/g) ?? []).length !== (text.match(/\}\}/g) ?? []).length) {
    return invalidFormat('Your template has mismatched curly braces around a parameter.', 'Write every parameter as {{1}} or {{name}}.');
  }
  if (/\}\}\s*\{\{/.test(text)) {
    return invalidFormat(
      'Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.',
      'Separate parameters with descriptive text or punctuation, or combine them into one parameter.',
    );
  }
  const trimmed = text.trim();
  if (variables.length > 0 && (trimmed.startsWith('{{') || trimmed.endsWith('}}'))) {
    return invalidFormat('Your template starts or ends with a parameter.', 'Add text before the first parameter and after the last one.');
  }
  if (variables.some((name) => /[#$%]/.test(name))) return invalidFormat('Your template has special characters in a parameter.', 'Use only letters, digits and underscores in parameters.');
  if (format === 'positional') {
    const numbers = [...new Set(variables)].map(Number).sort((a, b) => a - b);
    if (numbers.some((value, index) => !Number.isInteger(value) || value !== index + 1)) {
      return invalidFormat('Your template has positional parameters that are not sequential from {{1}}.', 'Number parameters {{1}}, {{2}}, {{3}} in order.');
    }
  } else if (variables.some((name) => !/^[a-z_]+$/.test(name))) {
    return invalidFormat('Your template has named parameters that are not lowercase letters and underscores.', 'Name parameters like {{first_name}}.');
  }
  return null;
}

/** Recommendations are paraphrased: Meta's exact wording varies. */
export function reviewTemplate(draft: { category: string; parameterFormat: ParameterFormat; content: TemplateContent }): ReviewDecision {
  const { content, parameterFormat } = draft;
  const texts = [content.body, ...(content.header?.text ? [content.header.text] : [])];
  for (const text of texts) {
    const problem = formatProblem(text.text, text.variables, parameterFormat);
    if (problem !== null) return problem;
  }
  const allText = [content.header?.text?.text ?? '', content.body.text, content.footer ?? ''].join('\n');
  if (scamWords(allText).length > 0) return { status: 'REJECTED', reason: 'ABUSIVE_CONTENT', rejectionInfo: null };
  const category = draft.category.toUpperCase();
  const promotional = promotionalWords(allText).length > 0;
  if (category === 'AUTHENTICATION' && (promotional || /https?:\/\//i.test(allText))) return { status: 'REJECTED', reason: 'INCORRECT_CATEGORY', rejectionInfo: null };
  // §4.1: since 2025-04-09 a UTILITY template Meta judges to be MARKETING is approved as MARKETING.
  if (category === 'UTILITY' && promotional) return { status: 'APPROVED', category: 'MARKETING' };
  return { status: 'APPROVED', category };
}
