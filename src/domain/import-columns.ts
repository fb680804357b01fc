// Which CSV column holds which contact field: recognised header names (in several languages), user
// overrides (--map name=Nome), and every other column kept as a free attribute. Pure.

export const IMPORT_FIELDS = [
  'phone',
  'name',
  'language',
  'country',
  'timeZone',
  'tags',
  'optInAt',
  'optInSource',
  'optInText',
  'consentCategories',
  'optOutAt',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export type ColumnMapping = {
  fieldCount: number;
  columns: Partial<Record<ImportField, number>>;
  /** Attribute name → column index, for every column that is not a known field. */
  attributes: Array<[string, number]>;
};

// Header names people actually use, after lowercasing and turning spaces and hyphens into "_".
const aliases: Record<ImportField, readonly string[]> = {
  phone: ['phone', 'phone_number', 'mobile', 'mobile_number', 'msisdn', 'whatsapp', 'whatsapp_number', 'wa_number', 'telephone', 'tel', 'telefone', 'telefono', 'teléfono', 'celular', 'cell', 'number'],
  name: ['name', 'full_name', 'fullname', 'contact_name', 'nome', 'nombre'],
  language: ['language', 'lang', 'locale', 'idioma', 'language_code'],
  country: ['country', 'country_code', 'pais', 'país'],
  timeZone: ['time_zone', 'timezone', 'tz'],
  tags: ['tags', 'tag', 'labels', 'segments'],
  optInAt: ['opt_in_at', 'opted_in_at', 'optin_at', 'consent_at', 'opt_in_date'],
  optInSource: ['opt_in_source', 'optin_source', 'consent_source'],
  optInText: ['opt_in_text', 'opt_in_proof', 'consent_text', 'consent_proof'],
  consentCategories: ['consent_categories', 'opt_in_categories', 'categories'],
  optOutAt: ['opt_out_at', 'opted_out_at', 'optout_at', 'unsubscribed_at'],
};

export function normalizeHeader(header: string): string {
  return header.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export type MappingResult = { ok: true; mapping: ColumnMapping } | { ok: false; message: string };

/** `overrides` maps a field to the exact header of its column, e.g. { phone: 'Telefone celular' }. */
export function planColumnMapping(header: readonly string[], overrides: Partial<Record<ImportField, string>> = {}): MappingResult {
  const normalized = header.map(normalizeHeader);
  const duplicate = normalized.find((name, index) => name !== '' && normalized.indexOf(name) !== index);
  if (duplicate) return { ok: false, message: `the header names column "${duplicate}" twice` };
  const columns: Partial<Record<ImportField, number>> = {};
  for (const field of IMPORT_FIELDS) {
    const override = overrides[field];
    const index = override !== undefined ? header.findIndex((name) => name.trim() === override.trim()) : normalized.findIndex((name) => aliases[field].includes(name));
    if (override !== undefined && index === -1) return { ok: false, message: `--map ${field}=${override}: no column is called "${override}" (columns: ${header.join(', ')})` };
    if (index !== -1) columns[field] = index;
  }
  if (columns.phone === undefined) {
    return { ok: false, message: `no phone column: name one "phone" or pass --map phone=COLUMN (columns: ${header.join(', ')})` };
  }
  const used = new Set(Object.values(columns));
  const attributes: Array<[string, number]> = [];
  normalized.forEach((name, index) => {
    if (!used.has(index) && name !== '') attributes.push([name, index]);
  });
  return { ok: true, mapping: { fieldCount: header.length, columns, attributes } };
}

/** Reads a --map argument: "name=Nome completo" → ['name', 'Nome completo']. */
export function parseMapOverride(text: string): [ImportField, string] | null {
  const separator = text.indexOf('=');
  if (separator <= 0) return null;
  const field = text.slice(0, separator).trim().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const column = text.slice(separator + 1);
  if (!(IMPORT_FIELDS as readonly string[]).includes(field) || column.trim() === '') return null;
  return [field as ImportField, column];
}

/** The delimiter of a CSV, guessed from its header line: the most frequent of , ; tab and |. */
export function detectDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t', '|'].map((delimiter) => [delimiter, headerLine.split(delimiter).length - 1] as const);
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : ',';
}
