// SQL for the media-id cache: one Meta media id per (file content, sender).

import type { Db } from './db.ts';

export async function findMediaUpload(db: Db, sha256: string, phoneNumberId: string, uploadedAfter: Date): Promise<string | null> {
  const [row] = await db.query<{ media_id: string }>('select media_id from media_uploads where sha256 = $1 and phone_number_id = $2 and uploaded_at > $3', [sha256, phoneNumberId, uploadedAfter]);
  return row?.media_id ?? null;
}

export async function upsertMediaUpload(db: Db, upload: { sha256: string; phoneNumberId: string; mediaId: string; mimeType: string; fileName: string; bytes: number }, now: Date): Promise<void> {
  await db.query(
    `insert into media_uploads (sha256, phone_number_id, media_id, mime_type, file_name, bytes, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (sha256, phone_number_id) do update set media_id = excluded.media_id, mime_type = excluded.mime_type, file_name = excluded.file_name, bytes = excluded.bytes, uploaded_at = excluded.uploaded_at`,
    [upload.sha256, upload.phoneNumberId, upload.mediaId, upload.mimeType, upload.fileName, upload.bytes, now],
  );
}
