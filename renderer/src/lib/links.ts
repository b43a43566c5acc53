/** Links people drop on the window or paste: what the upload dialog is opened with. */

const MAX_URL = 2048;

/** True while something that may carry a link is dragged over the window. */
export function carriesLink(types: readonly string[]): boolean {
  return types.includes('text/uri-list') || types.includes('text/plain');
}

export function carriesFiles(types: readonly string[]): boolean {
  return types.includes('Files') && !carriesLink(types);
}

/** The first link of a text/uri-list (comments start with #), else the first line of plain text. */
export function linkFromTransfer(data: Pick<DataTransfer, 'getData'>): string | null {
  const uriList = data
    .getData('text/uri-list')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#'));
  return asLink(uriList ?? data.getData('text/plain'));
}

/**
 * A single token of text that may be a link. It is not judged here: the upload dialog asks main
 * to probe it and shows the refusal for anything that is not a well-formed https URL.
 */
export function asLink(text: string | null | undefined): string | null {
  const first = text?.trim().split(/\r?\n/)[0]?.trim() ?? '';
  if (first === '' || first.length > MAX_URL || /\s/.test(first)) return null;
  return first;
}

/** Pasted text opens the upload dialog only when it clearly is a link (pasting prose does nothing). */
export function pastedLink(text: string | null | undefined): string | null {
  const link = asLink(text);
  return link !== null && (/^[a-z][a-z\d+.-]*:\/\//i.test(link) || /^www\./i.test(link)) ? link : null;
}
