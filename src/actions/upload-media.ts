// Uploads a file to Meta once per sender and reuses its media id afterwards: sending by id is what
// Meta advises at high throughput, because links are cached for only minutes (whatsapp-rules.md §2).

import { createHash } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { WhatsAppApi } from '../ports.ts';
import type { Db } from '../store/db.ts';
import { findMediaUpload, upsertMediaUpload } from '../store/media-uploads.ts';

// Meta keeps uploaded media for 30 days; re-upload a little before that so a campaign never sends an expired id.
const mediaIdLifetimeMs = 29 * 24 * 60 * 60 * 1000;

// Send-time size limits by type (whatsapp-rules.md §4.2, [MEDIA]).
const maxBytesByType: Array<[RegExp, number, string]> = [
  [/^image\/(jpeg|png)$/, 5 * 1024 * 1024, 'images (JPEG or PNG) up to 5 MB'],
  [/^video\/(mp4|3gpp)$/, 16 * 1024 * 1024, 'videos (MP4 or 3GPP) up to 16 MB'],
  [/^audio\/(aac|amr|mpeg|mp4|ogg)$/, 16 * 1024 * 1024, 'audio up to 16 MB'],
  [/^(application|text)\//, 100 * 1024 * 1024, 'documents up to 100 MB'],
];

export type MediaFile = { bytes: Uint8Array; mimeType: string; fileName: string };

export async function uploadMedia(deps: { db: Db; clock: Clock; whatsapp: WhatsAppApi }, phoneNumberId: string, file: MediaFile): Promise<{ mediaId: string; reused: boolean }> {
  const rule = maxBytesByType.find(([pattern]) => pattern.test(file.mimeType));
  if (!rule) throw new AppError('INVALID_INPUT', `${file.fileName}: type ${file.mimeType} cannot be sent on WhatsApp`);
  if (file.bytes.byteLength > rule[1]) throw new AppError('INVALID_INPUT', `${file.fileName} is ${(file.bytes.byteLength / 1024 / 1024).toFixed(1)} MB; WhatsApp accepts ${rule[2]}`);
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const now = deps.clock.now();
  const cached = await findMediaUpload(deps.db, sha256, phoneNumberId, new Date(now.getTime() - mediaIdLifetimeMs));
  if (cached) return { mediaId: cached, reused: true };
  const { id } = await deps.whatsapp.uploadMedia(phoneNumberId, file);
  await upsertMediaUpload(deps.db, { sha256, phoneNumberId, mediaId: id, mimeType: file.mimeType, fileName: file.fileName, bytes: file.bytes.byteLength }, deps.clock.now());
  return { mediaId: id, reused: false };
}
