/**
 * A message quoted inside a sentence of ISO Desk's own: HOSTKEY's and Node's messages often end
 * with a full stop, and the sentence around them adds its own.
 */
export function clause(message: string): string {
  return message.trim().replace(/\.+$/, '');
}
