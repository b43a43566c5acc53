/**
 * What the upload dialog says about a link before anything is sent: what the file's first bytes
 * show it is, whether it boots, the publisher's checksum, and earlier uploads of the same file.
 * Plain words for people; the facts come from main (main/sniff, main/checksums, upload dedupe).
 */
import type { ImageReport, UploadMatch } from '../../../main/ipc/contract.js';
import { formatApiDate, formatApiDateTime } from './format.js';

export type Tone = 'ok' | 'warning' | 'danger';

/** How the file boots, as a short answer. */
export function bootText(boot: ImageReport['boot']): string {
  switch (boot) {
    case 'both':
      return 'BIOS and UEFI';
    case 'bios':
      return 'BIOS (legacy) only';
    case 'uefi':
      return 'UEFI only';
    case 'none':
      return 'Not bootable';
    case 'unknown':
      return 'Unknown (the boot catalog could not be read)';
    default:
      return '—';
  }
}

const NOT_AN_ISO: Record<Exclude<ImageReport['kind'], 'iso'>, string> = {
  html: 'This is a web page, not an ISO',
  archive: 'This is a compressed archive, not an ISO',
  disk_image: 'This is a disk image, not an ISO',
  executable: 'This is a program, not an ISO',
  unknown: 'Not recognised as an ISO image',
};

/** The headline on what the link points to; main's warnings (ImageReport.warnings) say the rest. */
export function imageVerdict(image: ImageReport): { tone: Tone; title: string } {
  if (image.kind !== 'iso') {
    const format = image.format && image.kind !== 'html' ? ` (${image.format.toUpperCase()})` : '';
    return { tone: image.kind === 'unknown' ? 'warning' : 'danger', title: NOT_AN_ISO[image.kind].replace(', not', `${format}, not`) };
  }
  const systems = [image.iso9660 && 'ISO 9660', image.udf && 'UDF'].filter(Boolean).join(' + ');
  if (image.boot === 'none') return { tone: 'warning', title: `${systems} image that does not boot` };
  if (image.boot === 'unknown' || image.boot === null) return { tone: 'warning', title: `${systems} image; whether it boots is unknown` };
  return { tone: 'ok', title: `${systems} image, boots with ${bootText(image.boot)}` };
}

/** "You uploaded this on 12 Oct 2024 (Active)", "This link is already uploading since 09:30 (Downloading)". */
export function matchSentence(m: UploadMatch): string {
  const status = m.status ? ` (${m.status})` : '';
  const same = m.match === 'url' ? 'this link' : `a file named ${m.iso_name ?? 'like this one'}`;
  if (m.source === 'in_flight' || m.state === 'running') {
    const since = m.since ? ` since ${formatApiDateTime(m.since)}` : '';
    return `${m.match === 'url' ? 'This link is' : `A file named ${m.iso_name ?? 'like this one'} is`} already uploading${since}${status}`;
  }
  const when = m.since ? ` on ${formatApiDate(m.since)}` : '';
  if (m.mountable) return `You uploaded ${same}${when}${status}`;
  return `An earlier upload of ${same}${when} did not finish${status}`;
}
