// The synthetic status webhooks of the webhook ingestion benchmark: for each message of a campaign,
// Meta's sent → delivered → read, in Meta's wire shape (whatsapp-rules.md §6.2), arriving the way
// Meta delivers them: mostly in time order, some late (out of order), some twice, and a few POST
// bodies delivered again byte for byte (Meta's retries). From a seeded PRNG: the same seed gives the
// same stream on every machine.

import { mulberry32 } from './contacts-csv.js';

export const wabaId = '102290129340398';
export const phoneNumberId = '106540352242922';
export const displayPhoneNumber = '15550783881';

// A wamid looks like base64 of Meta's binary id; the index goes in as 16 hex digits so the same wamid
// can be written in SQL (wamidSql) to pre-insert the messages rows with generate_series.
const wamidPrefix = 'wamid.HBgLNTUxMTk4NzY1NDMyFQIAERgS';

export function wamidOf(index) {
  return `${wamidPrefix}${index.toString(16).toUpperCase().padStart(16, '0')}AA`;
}

/** The SQL expression for wamidOf(`expression`), `expression` being an integer column or series. */
export function wamidSql(expression) {
  return `'${wamidPrefix}' || upper(lpad(to_hex(${expression}), 16, '0')) || 'AA'`;
}

/** The messages Greenlight has a row for (the rest are statuses that arrive before the send is recorded, or for another app). */
export const preinsertedShare = 0.6;

export function isPreinserted(index) {
  return index % 10 < preinsertedShare * 10;
}

/** The same rule as isPreinserted, in SQL over generate_series. */
export function preinsertedSql(expression) {
  return `${expression} % 10 < ${preinsertedShare * 10}`;
}

export const statusRank = { accepted: 1, sent: 2, delivered: 3, read: 4 };

// The campaign as Meta sees it: messages sent at 100/s (a STANDARD-tier number tops out at 80 mps,
// HIGH at 1,000), delivered 1–4 s later (97%), read by 70% of those who got it, a few seconds to two
// minutes later; 2% of reads come without a delivered (§6.2: "read can arrive without a preceding delivered").
const sendIntervalSeconds = 0.01;
const deliveredShare = 0.97;
const readShare = 0.7;
const readWithoutDeliveredShare = 0.02;
// How the statuses reach us: a little network jitter, 3% held back 2–30 s (so they come after a later
// status of the same message), 2% delivered a second time up to a minute later.
const jitterMeanSeconds = 0.3;
const lateShare = 0.03;
const duplicateShare = 0.02;
/** The share of POST bodies Meta delivers again byte for byte, after the first delivery was answered. */
export const redeliveredBodyShare = 0.005;

const epochSeconds = 1_750_000_000;

/**
 * An endless stream of statuses in arrival order: next() → { index, status, at (seconds), pricing }.
 * Every status that can still arrive before the next message's send is pending in a min-heap on its
 * arrival time; arrivals are never before the message's send, so once the heap's head is older than
 * the next send, nothing generated later can overtake it.
 */
export function createStatusStream(seed) {
  const random = mulberry32(seed);
  const exponential = (mean) => -mean * Math.log(1 - random());
  const heap = new MinHeap();
  let nextIndex = 0;
  let sequence = 0;

  const arrive = (index, status, at) => {
    const pricing = status === 'sent' ? { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' } : null;
    const push = (arrival) => heap.push({ arrival, sequence: sequence++, item: { index, status, at: Math.floor(at), pricing } });
    let arrival = at + exponential(jitterMeanSeconds);
    if (random() < lateShare) arrival += 2 + random() * 28;
    push(arrival);
    if (random() < duplicateShare) push(arrival + 1 + random() * 59);
  };

  const sendNext = () => {
    const index = nextIndex++;
    const sentAt = epochSeconds + index * sendIntervalSeconds;
    arrive(index, 'sent', sentAt);
    if (random() >= deliveredShare) return;
    const deliveredAt = sentAt + 1 + random() * 3;
    const read = random() < readShare;
    if (!(read && random() < readWithoutDeliveredShare)) arrive(index, 'delivered', deliveredAt);
    if (read) arrive(index, 'read', deliveredAt + 3 + Math.min(117, exponential(15)));
  };

  return {
    next() {
      while (heap.size === 0 || heap.peek().arrival > epochSeconds + nextIndex * sendIntervalSeconds) sendNext();
      return heap.pop().item;
    },
    /** How many messages (wamids 0 … n-1) the stream has started so far. */
    get messages() {
      return nextIndex;
    },
  };
}

/** One POST body as Meta sends it: one entry, one `messages` change, `statuses` in arrival order. */
export function statusWebhookBody(statuses) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: displayPhoneNumber, phone_number_id: phoneNumberId },
              statuses: statuses.map((status) => ({
                id: wamidOf(status.index),
                status: status.status,
                timestamp: String(status.at),
                recipient_id: recipientOf(status.index),
                ...(status.pricing ? { pricing: status.pricing } : {}),
              })),
            },
            field: 'messages',
          },
        ],
      },
    ],
  });
}

function recipientOf(index) {
  return `55119${String(87_654_321 - (index % 80_000_000)).padStart(8, '0')}`;
}

class MinHeap {
  #items = [];

  get size() {
    return this.#items.length;
  }

  peek() {
    return this.#items[0];
  }

  push(entry) {
    const items = this.#items;
    items.push(entry);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!before(items[child], items[parent])) break;
      [items[child], items[parent]] = [items[parent], items[child]];
      child = parent;
    }
  }

  pop() {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0) {
      items[0] = last;
      let parent = 0;
      for (;;) {
        const left = parent * 2 + 1;
        const right = left + 1;
        let smallest = parent;
        if (left < items.length && before(items[left], items[smallest])) smallest = left;
        if (right < items.length && before(items[right], items[smallest])) smallest = right;
        if (smallest === parent) break;
        [items[smallest], items[parent]] = [items[parent], items[smallest]];
        parent = smallest;
      }
    }
    return top;
  }
}

function before(a, b) {
  return a.arrival < b.arrival || (a.arrival === b.arrival && a.sequence < b.sequence);
}
