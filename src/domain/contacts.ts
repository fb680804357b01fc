// The contact: a person Greenlight may message, keyed by E.164 phone. Types only; normalisation is
// in phone.ts and language.ts, persistence in store/contacts.ts.
//
// Terminology (docs/glossary.md): *phone* is the E.164 number; *waId* is the id Meta's webhooks use
// for the person (usually the number without "+"); *businessUserId* is Meta's business-scoped user id
// (BSUID), which may be all Meta tells about a person.

import type { LineType } from './phone.ts';

/** What an import or a command knows about a contact; empty fields mean "keep what is stored". */
export type ContactInput = {
  phone: string;
  name: string | null;
  language: string | null;
  country: string | null;
  timeZone: string | null;
  /** True when the time zone came from the user, not from the number; such a zone is never replaced by a guess. */
  timeZoneOverridden: boolean;
  lineType: LineType;
  attributes: Record<string, string>;
  tags: string[];
};

export type Contact = {
  id: number;
  phone: string | null;
  waId: string | null;
  businessUserId: string | null;
  name: string | null;
  language: string | null;
  country: string | null;
  timeZone: string | null;
  timeZoneOverridden: boolean;
  lineType: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
};
