/** The product's name and version, for the User-Agent, About and `--version`. */
import pkg from '../package.json' with { type: 'json' };

export const PRODUCT = 'ISO Desk';
export const VERSION: string = pkg.version;
export const USER_AGENT = `ISO-Desk/${VERSION} (+https://github.com/isodesk; ${process.platform})`;
