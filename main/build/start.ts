/**
 * `npm start` (after `npm run build`): launches the development app. Extra arguments go to
 * Electron; ISODESK_DATA_DIR and ISODESK_API_URL pass through to the app.
 */
import { NativeBuildError } from './electron-native.js';
import { LaunchError, prepareElectron, runElectron } from './launch.js';

try {
  const binary = await prepareElectron();
  process.exit(await runElectron(binary, process.argv.slice(2), process.env));
} catch (err) {
  if (!(err instanceof LaunchError || err instanceof NativeBuildError)) throw err;
  console.error(err.message);
  process.exit(1);
}
