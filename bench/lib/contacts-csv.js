// The synthetic contacts CSV of the import benchmark: valid, unique mobile numbers from six countries
// in the formats people paste, plus ~1% bad rows; from a seeded PRNG, so every run writes the same file.
// Streams to disk (never the whole file in memory) and returns what the import must report.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { normalizePhone } from '../../dist/domain/phone.js';
import { createRandom } from '../../dist/simulator/random.js';

export const csvHeader = ['phone', 'name', 'language', 'tags', 'opt_in_at', 'opt_in_text', 'city'];

/** A seeded PRNG (the simulator's mulberry32): the same seed gives the same file on every machine. */
export function mulberry32(seed) {
  return createRandom(seed).next;
}

/*
 * Each country: national prefixes (area or operator code plus any fixed leading digit) followed by
 * `digits` free digits, and how people write the number with spaces. Every prefix was checked with
 * the project's normalizer to accept all `digits`-long suffixes as mobile numbers (checkPatterns()
 * re-checks samples on every run). Indian 6/7/8 prefixes are left out: some of their ranges are fixed lines.
 */
const countries = [
  {
    code: 'BR', utcOffset: '-03:00', weight: 30, callingCode: '55', digits: 8,
    prefixes: ['119', '219', '319', '419', '519', '619', '719', '819', '859'],
    spaced: (prefix, d) => `+55 ${prefix.slice(0, 2)} ${prefix.slice(2)}${d.slice(0, 4)}-${d.slice(4)}`,
    firstNames: ['João', 'Maria', 'Ana', 'Pedro', 'Luíza', 'Gabriel', 'Beatriz', 'Lucas'],
    lastNames: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Lima', 'Conceição'],
    languages: ['pt_BR', 'pt-BR', 'pt-br', 'pt'],
    cities: ['São Paulo', 'Rio de Janeiro', 'Belo Horizonte', 'Curitiba', 'Porto Alegre', 'Brasília, DF', 'Salvador', 'Recife'],
    optInTexts: ['Sim, quero receber ofertas pelo WhatsApp', 'Aceito receber mensagens da loja no WhatsApp'],
  },
  {
    code: 'IN', utcOffset: '+05:30', weight: 25, callingCode: '91', digits: 9,
    prefixes: ['9'],
    spaced: (prefix, d) => `+91 ${prefix}${d.slice(0, 4)} ${d.slice(4)}`,
    firstNames: ['Aarav', 'Priya', 'Rohan', 'Ananya', 'Vikram', 'Sneha'],
    lastNames: ['Sharma', 'Patel', 'Singh', 'Kumar', 'Reddy', 'Iyer'],
    languages: ['hi', 'en', 'en_IN', 'ta'],
    cities: ['Mumbai', 'Delhi', 'Bengaluru', 'Chennai', 'Hyderabad', 'Pune'],
    optInTexts: ['Yes, send me order updates and offers on WhatsApp', 'I agree to receive messages on WhatsApp'],
  },
  {
    code: 'MX', utcOffset: '-06:00', weight: 15, callingCode: '52', digits: 8,
    prefixes: ['55', '33', '81'],
    spaced: (prefix, d) => `+52 ${prefix} ${d.slice(0, 4)} ${d.slice(4)}`,
    firstNames: ['José', 'Guadalupe', 'Juan', 'Sofía', 'Diego', 'Valentina'],
    lastNames: ['Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez'],
    languages: ['es_MX', 'es-MX', 'es'],
    cities: ['Ciudad de México', 'Guadalajara', 'Monterrey', 'Puebla'],
    optInTexts: ['Sí, quiero recibir promociones por WhatsApp', 'Marqué "Recibir novedades por WhatsApp" al comprar'],
  },
  {
    code: 'NG', utcOffset: '+01:00', weight: 10, callingCode: '234', digits: 7,
    prefixes: ['803', '806', '813', '816', '703', '903'],
    spaced: (prefix, d) => `+234 ${prefix} ${d.slice(0, 3)} ${d.slice(3)}`,
    firstNames: ['Chinedu', 'Ngozi', 'Oluwaseun', 'Aisha', 'Emeka', 'Funmilayo'],
    lastNames: ['Okafor', 'Adeyemi', 'Bello', 'Eze', 'Ogunleye', 'Abubakar'],
    languages: ['en', 'yo', 'ig', 'ha'],
    cities: ['Lagos', 'Abuja', 'Kano', 'Ibadan', 'Port Harcourt'],
    optInTexts: ['Yes, message me on WhatsApp', 'Ticked "Get deals on WhatsApp" at checkout'],
  },
  {
    code: 'DE', utcOffset: '+01:00', weight: 10, callingCode: '49', digits: 8,
    prefixes: ['151', '152', '157', '176'],
    spaced: (prefix, d) => `+49 ${prefix} ${d}`,
    firstNames: ['Lukas', 'Anna', 'Jonas', 'Lena', 'Maximilian', 'Sophie'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Köhler'],
    languages: ['de', 'de-DE', 'de_AT'],
    cities: ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main'],
    optInTexts: ['Ja, ich möchte Angebote per WhatsApp erhalten', 'Newsletter per WhatsApp, jederzeit abbestellbar'],
  },
  {
    code: 'ES', utcOffset: '+01:00', weight: 10, callingCode: '34', digits: 8,
    prefixes: ['6'],
    spaced: (prefix, d) => `+34 ${prefix}${d.slice(0, 2)} ${d.slice(2, 5)} ${d.slice(5)}`,
    firstNames: ['Antonio', 'Carmen', 'Manuel', 'Lucía', 'Javier', 'Marta'],
    lastNames: ['García', 'Fernández', 'Rodríguez', 'Sánchez', 'Martín', 'Núñez'],
    languages: ['es', 'es_ES', 'ca'],
    cities: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Bilbao'],
    optInTexts: ['Sí, acepto recibir ofertas por WhatsApp', 'Acepto las comunicaciones por WhatsApp'],
  },
];
const totalWeight = countries.reduce((sum, country) => sum + country.weight, 0);

// A prime, so coprime with every country's number space (k × 10^n): n ↦ (n × A + offset) mod space
// is a permutation, which makes numbers unique without remembering them, yet not sequential.
// The products stay below 2^53 (exact in a double) up to maxRows.
const permutationMultiplier = 2_654_435_761;

// How people write the same number: E.164, spaced, Meta's wa_id style (digits only) and the 00 prefix.
const phoneFormats = [
  { name: 'e164', share: 0.6, write: (number) => number.e164 },
  { name: 'spaced', share: 0.25, write: (number) => number.country.spaced(number.prefix, number.digits) },
  { name: 'digits', share: 0.1, write: (number) => number.e164.slice(1) },
  { name: '00', share: 0.05, write: (number) => `00${number.e164.slice(1)}` },
];

// The bad rows (~1% in all), each with the reason the import must report.
const badRowShares = [
  ['invalid_phone', 0.003],
  ['not_mobile', 0.002],
  ['bad_date', 0.002],
  ['duplicate_in_file', 0.003],
];
const invalidPhones = [
  () => 'n/a',
  () => 'ask Maria',
  (random) => `+34 6${digitsOf(random, 2)} ${digitsOf(random, 3)}`, // too short
  (random) => `+55 11 8${digitsOf(random, 4)}-${digitsOf(random, 4)}`, // nine digits not starting with 9: only mobiles have nine, and they start with 9
];
const landlines = [
  (random) => `+34 91 ${digitsOf(random, 3)} ${digitsOf(random, 2)} ${digitsOf(random, 2)}`, // Madrid
  (random) => `+49 30 ${digitsOf(random, 8)}`, // Berlin
];
const badDates = [
  (random) => `${pad2(1 + Math.floor(random() * 28))}/${pad2(1 + Math.floor(random() * 12))}/2023`, // not ISO 8601
  () => '2023-02-30',
];
// A row with no opt-in is a contact the business may not market to yet: no consent events.
const noOptInShare = 0.08;
const optInFrom = Date.UTC(2021, 0, 1);
const optInTo = Date.UTC(2025, 0, 1);
const tagChoices = ['', '', 'customer', 'vip', 'customer,newsletter', 'lead;black-friday', 'Wholesale | VIP'];
const recentGoodNumbers = 256;

/** Writes `rows` data rows to `path` and returns the summary the import of that file must produce. */
export async function writeContactsCsv(path, rows, seed) {
  if (rows > maxRows) throw new Error(`at most ${maxRows} rows: beyond that the number permutation could leave 2^53`);
  const random = mulberry32(seed);
  const nextNumber = numberSource(random);
  const recent = []; // a sample of earlier good numbers, to copy into duplicate rows
  const expected = { rows, created: 0, rejected: 0, rejectedByReason: {}, consentEvents: 0, bytes: 0 };
  const out = createWriteStream(path);
  let chunk = `${csvHeader.join(',')}\n`;
  for (let index = 0; index < rows; index += 1) {
    let kind = pickShare(badRowShares, random())?.[0] ?? null;
    if (kind === 'duplicate_in_file' && recent.length === 0) kind = null; // nothing to duplicate yet
    let country = pickCountry(random());
    let phone;
    if (kind === 'invalid_phone') phone = pick(random, invalidPhones)(random);
    else if (kind === 'not_mobile') phone = pick(random, landlines)(random);
    else if (kind === 'duplicate_in_file') {
      // The same number again, often written differently: only normalisation can tell it is a duplicate.
      const number = pick(random, recent);
      country = number.country;
      phone = writePhone(number, random());
    } else {
      // Good rows and bad-date rows take a fresh number (a bad-date row is rejected before its number counts).
      const number = nextNumber(country);
      phone = writePhone(number, random());
      if (!kind) remember(recent, number, random);
    }
    const row = contactFields(random, country, phone, kind === 'bad_date');
    if (kind) {
      expected.rejected += 1;
      expected.rejectedByReason[kind] = (expected.rejectedByReason[kind] ?? 0) + 1;
    } else {
      expected.created += 1;
      // The import records one opt-in per default category (marketing and utility).
      if (row.optedIn) expected.consentEvents += 2;
    }
    chunk += `${row.fields.map(csvField).join(',')}\n`;
    if (chunk.length >= 64 * 1024) {
      expected.bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  expected.bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, 'finish');
  return expected;
}

/**
 * Checks samples of every country prefix in every phone format, and the bad-number patterns, with the
 * project's normalizer, so a metadata update that changes what is valid fails here, loudly, before
 * minutes of importing. Returns how many numbers were checked.
 */
export function checkPatterns(samplesPerPrefix = 40) {
  const random = mulberry32(1);
  const problems = [];
  let checked = 0;
  const expect = (text, ok, why) => {
    checked += 1;
    if (!ok) problems.push(`${text}: ${why}`);
  };
  for (const country of countries) {
    for (const prefix of country.prefixes) {
      for (let sample = 0; sample < samplesPerPrefix; sample += 1) {
        const number = makeNumber(country, prefix, digitsOf(random, country.digits));
        for (const format of phoneFormats) {
          const text = format.write(number);
          const result = normalizePhone(text);
          expect(text, result.ok && result.e164 === number.e164 && result.country === country.code, `expected ${number.e164} (${country.code}), got ${JSON.stringify(result)}`);
        }
      }
    }
  }
  for (let sample = 0; sample < samplesPerPrefix; sample += 1) {
    for (const make of invalidPhones) {
      const text = make(random);
      const result = normalizePhone(text);
      expect(text, !result.ok && result.reason !== 'not_mobile', `expected an invalid number, got ${JSON.stringify(result)}`);
    }
    for (const make of landlines) {
      const text = make(random);
      const result = normalizePhone(text);
      expect(text, !result.ok && result.reason === 'not_mobile', `expected a fixed line, got ${JSON.stringify(result)}`);
    }
  }
  if (problems.length > 0) throw new Error(`the generator's phone patterns disagree with normalizePhone:\n  ${problems.slice(0, 10).join('\n  ')}`);
  return checked;
}

const maxRows = 3_000_000;

function numberSpace(country) {
  return country.prefixes.length * 10 ** country.digits;
}

/** A function that hands out each country's numbers in a scrambled order, never the same one twice. */
function numberSource(random) {
  const counters = new Map(countries.map((country) => [country, 0]));
  const offsets = new Map(countries.map((country) => [country, Math.floor(random() * numberSpace(country))]));
  return (country) => {
    const counter = counters.get(country);
    counters.set(country, counter + 1);
    const block = 10 ** country.digits;
    const value = (counter * permutationMultiplier + offsets.get(country)) % numberSpace(country);
    return makeNumber(country, country.prefixes[Math.floor(value / block)], String(value % block).padStart(country.digits, '0'));
  };
}

function makeNumber(country, prefix, digits) {
  return { country, prefix, digits, e164: `+${country.callingCode}${prefix}${digits}` };
}

function contactFields(random, country, phone, badDate) {
  const name = random() < 0.05 ? '' : `${pick(random, country.firstNames)} ${pick(random, country.lastNames)}`;
  const language = random() < 0.1 ? '' : pick(random, country.languages);
  const tags = pick(random, tagChoices);
  const city = pick(random, country.cities);
  let optInAt = '';
  let optInText = '';
  if (badDate || random() >= noOptInShare) {
    optInAt = badDate ? pick(random, badDates)(random) : writeInstant(country, optInFrom + Math.floor(random() * (optInTo - optInFrom) / 1000) * 1000, random());
    optInText = pick(random, country.optInTexts);
  }
  return { fields: [phone, name, language, tags, optInAt, optInText, city], optedIn: optInAt !== '' };
}

// The ISO 8601 shapes exports contain: a date, a UTC instant, and a local time with its offset.
function writeInstant(country, ms, choice) {
  const iso = new Date(ms).toISOString();
  if (choice < 0.4) return iso.slice(0, 10);
  if (choice < 0.8) return `${iso.slice(0, 19)}Z`;
  const [sign, hours, minutes] = [country.utcOffset[0], Number(country.utcOffset.slice(1, 3)), Number(country.utcOffset.slice(4))];
  const offsetMs = (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  return `${new Date(ms + offsetMs).toISOString().slice(0, 19)}${country.utcOffset}`;
}

function writePhone(number, choice) {
  // Floating-point shares may sum to a hair under 1: the last format takes the remainder.
  const format = pickShare(phoneFormats, choice, (entry) => entry.share) ?? phoneFormats[phoneFormats.length - 1];
  return format.write(number);
}

function pickCountry(choice) {
  let remaining = choice * totalWeight;
  for (const country of countries) {
    remaining -= country.weight;
    if (remaining < 0) return country;
  }
  return countries[countries.length - 1];
}

/** The entry whose share covers `choice` (0 ≤ choice < 1) when the shares are laid end to end; undefined past their sum. */
function pickShare(entries, choice, shareOf = (entry) => entry[1]) {
  let remaining = choice;
  for (const entry of entries) {
    remaining -= shareOf(entry);
    if (remaining < 0) return entry;
  }
  return undefined;
}

function remember(recent, number, random) {
  if (recent.length < recentGoodNumbers) recent.push(number);
  else recent[Math.floor(random() * recentGoodNumbers)] = number;
}

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function digitsOf(random, count) {
  let text = '';
  for (let index = 0; index < count; index += 1) text += Math.floor(random() * 10);
  return text;
}

function pad2(value) {
  return String(value).padStart(2, '0');
}

function csvField(value) {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
