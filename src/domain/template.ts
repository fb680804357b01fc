// The template (HSM) model: one name + language variant with its category, parameter format and
// components, and what Meta says about it. Types only; lint, spam scoring, rendering and the JSON
// file format live beside it (template-*.ts). See whatsapp-rules.md §4.
//
// Terminology (docs/glossary.md): a *template* is a name; each *variant* is that name in one language,
// reviewed and rated by Meta on its own. A *variable* is a parameter in a text: positional "{{1}}" or
// named "{{first_name}}"; every variable needs an *example* value for Meta's review.

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export const PARAMETER_FORMATS = ['positional', 'named'] as const;
export type ParameterFormat = (typeof PARAMETER_FORMATS)[number];

/** A text that may hold variables, with an example value per variable name ("1", "2" or "first_name"). */
export type TextWithVariables = { text: string; examples: Record<string, string> };

export type TemplateHeader =
  | ({ format: 'TEXT' } & TextWithVariables)
  | { format: 'IMAGE' | 'VIDEO' | 'DOCUMENT'; exampleHandle: string | null }
  | { format: 'LOCATION' };

export type TemplateButton =
  | { type: 'QUICK_REPLY'; text: string }
  /** `url` may end with one variable ("https://shop.example/track/{{1}}"); `example` fills it for review. */
  | { type: 'URL'; text: string; url: string; example: string | null }
  | { type: 'PHONE_NUMBER'; text: string; phoneNumber: string }
  | { type: 'COPY_CODE'; example: string }
  | { type: 'OTP'; otpType: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP'; text: string | null };

export type TemplateDefinition = {
  name: string;
  /** Meta's code: "en", "en_US", "pt_BR". */
  language: string;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  header: TemplateHeader | null;
  /** Authentication templates have a preset body; only these options apply to it (§4.2). */
  body: TextWithVariables & { addSecurityRecommendation?: boolean };
  footer: { text: string; codeExpirationMinutes?: number } | null;
  buttons: TemplateButton[];
};

/** Where a lint finding is, so an editor can underline it. Ranges are [start, end) character offsets. */
export type TemplateLocation =
  | { component: 'name' | 'language' | 'category' | 'parameter_format' }
  | { component: 'header' | 'body' | 'footer'; range?: [number, number] }
  | { component: 'button'; index: number; field?: 'text' | 'url' | 'phone_number' | 'example'; range?: [number, number] };

export type LintSeverity = 'error' | 'warning';

/** One problem: a stable code, a message a marketer understands, and where it is. */
export type LintFinding = { code: string; severity: LintSeverity; message: string; location: TemplateLocation };

/** What Meta says about a variant (whatsapp-rules.md §4.1); null until it has been submitted. */
export type TemplateReview = {
  metaTemplateId: string | null;
  status: string | null;
  qualityScore: string | null;
  rejectionReason: string | null;
};
