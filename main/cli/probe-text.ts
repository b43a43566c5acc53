/** How the look at an upload URL reads in a terminal: the file, the image, its checksum, earlier uploads. */
import type { ImageReport, UploadMatch, UrlProbe } from '../ipc/contract.js';
import { formatApiDate, formatSize } from './format.js';

const BOOT: Record<NonNullable<ImageReport['boot']>, string> = {
  bios: 'BIOS (legacy) only',
  uefi: 'UEFI only',
  both: 'BIOS and UEFI',
  none: 'not bootable',
  unknown: 'unknown',
};

const NOT_AN_ISO: Record<Exclude<ImageReport['kind'], 'iso'>, string> = {
  html: 'a web page',
  archive: 'a compressed archive',
  disk_image: 'a disk image',
  executable: 'a program',
  unknown: 'unrecognised',
};

function imageLines(image: ImageReport): string[] {
  if (image.kind !== 'iso') return [`  image: not an ISO: ${NOT_AN_ISO[image.kind]}${image.format ? ` (${image.format})` : ''}`];
  const systems = [image.iso9660 && 'ISO 9660', image.udf && 'UDF'].filter(Boolean).join(' + ');
  const facts = [
    systems,
    image.volume_label && `label "${image.volume_label}"`,
    image.created_at && `created ${formatApiDate(image.created_at)}`,
    image.volume_size !== null && `volume ${formatSize(image.volume_size)}`,
  ].filter(Boolean);
  const lines = [`  image: ${facts.join(', ')}`];
  if (image.boot !== null) lines.push(`  boot: ${BOOT[image.boot]}${image.hybrid ? '; isohybrid (can also be written to a USB stick)' : ''}`);
  return lines;
}

function checksumLines(probe: UrlProbe): string[] {
  const checksum = probe.checksum;
  if (!checksum) return [];
  if (!checksum.sha256) {
    const names = checksum.tried.map((url) => decodeURIComponent(url.slice(url.lastIndexOf('/') + 1)));
    return names.length ? [`  sha256: none published beside the file (looked for ${names.join(', ')})`] : [];
  }
  return [
    `  sha256: ${checksum.sha256}`,
    `    expected, as published in ${checksum.source_url ?? '?'} (ISO Desk does not download the file, so it has not verified it)`,
    `    to verify on the server with the ISO mounted, compare with: ${checksum.verify_command}`,
  ];
}

/** "You uploaded this on 2024-11-02 10:12 as arch.iso (ID 901, Active)", and what to do about it. */
export function matchText(m: UploadMatch): string {
  const what = `${m.iso_name ?? 'it'}${m.iso_id !== null ? ` (ID ${m.iso_id}${m.status ? `, ${m.status}` : ''})` : m.status ? ` (${m.status})` : ''}`;
  const when = m.since ? ` on ${formatApiDate(m.since)}` : '';
  const same = m.match === 'url' ? 'this link' : `a file of this name${m.url ? ` from ${m.url}` : ''}`;
  if (m.mountable) return `You uploaded ${same}${when} as ${what}: mount it instead with "isodesk mount --server ID --iso ${m.iso_name ?? 'NAME'}".`;
  if (m.state === 'running')
    return `${m.match === 'url' ? 'This link is' : `A file of this name${m.url ? ` (${m.url})` : ''} is`} already uploading${when}: ${what}.`;
  return `An earlier upload of ${same} did not finish${when}: ${what}.`;
}

export function probeLines(probe: UrlProbe): string[] {
  const facts = [
    probe.file_name && `file ${probe.file_name}`,
    probe.size !== null && `size ${formatSize(probe.size)}`,
    probe.content_type && `type ${probe.content_type}`,
  ].filter(Boolean);
  const lines = [`Checked ${probe.url}${facts.length ? `: ${facts.join(', ')}` : ''}`];
  if (probe.final_url && probe.final_url !== probe.url) lines.push(`  redirects to ${probe.final_url}`);
  if (probe.image) lines.push(...imageLines(probe.image));
  lines.push(...checksumLines(probe));
  for (const warning of [...probe.warnings, ...(probe.image?.warnings ?? []), ...(probe.checksum?.warnings ?? [])]) lines.push(`  note: ${warning}`);
  for (const match of probe.duplicates ?? []) lines.push(`  ${match.repeat ? 'already' : 'earlier'}: ${matchText(match)}`);
  for (const problem of probe.problems) lines.push(`  problem: ${problem}`);
  return lines;
}
