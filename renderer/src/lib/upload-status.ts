/**
 * How an upload's status reads. HOSTKEY documents only `Pending`; the words it is known to use
 * get a colour and a plain sentence, and any other word is shown as HOSTKEY sent it.
 */
export type UploadTone = 'working' | 'ready' | 'failed' | 'deleting' | 'other';

const TONES: [RegExp, UploadTone][] = [
  [/^(active|ready|ok|success|done|uploaded)$/i, 'ready'],
  [/error|fail|cancel|abort|reject/i, 'failed'],
  [/^(pending|sent|queued|downloading|uploading|processing|checking|copying)$/i, 'working'],
  [/^deleting$/i, 'deleting'],
];

export function uploadTone(status: string | null | undefined): UploadTone {
  if (!status) return 'other';
  return TONES.find(([words]) => words.test(status.trim()))?.[1] ?? 'other';
}

const SENTENCES: Record<string, string> = {
  pending: 'HOSTKEY has accepted the upload and will start downloading soon.',
  sent: 'Sent to HOSTKEY; waiting for it to list the upload.',
  downloading: 'HOSTKEY is downloading the image.',
  active: 'Ready: it can be mounted on your servers.',
  ready: 'Ready: it can be mounted on your servers.',
  error: 'The upload failed.',
  failed: 'The upload failed.',
  deleting: 'HOSTKEY is deleting it.',
  deleted: 'Deleted.',
};

/** A sentence for the status, or null when HOSTKEY's word is all there is to say. */
export function uploadSentence(status: string | null | undefined): string | null {
  return status ? (SENTENCES[status.trim().toLowerCase()] ?? null) : null;
}

/** The badge class of a status (app.css colours `.badge.<class>`). */
export const BADGE_CLASS: Record<UploadTone, string> = {
  working: 'running',
  ready: 'succeeded',
  failed: 'failed',
  deleting: 'unknown',
  other: '',
};
