/**
 * Tests never read or write the keyring of the machine that runs them: every ISO Desk process a
 * test starts (and every child it spawns, which inherits this) uses the fallback stores. The
 * shared sign-in tests start their own session bus and keyring and turn the keyring back on there.
 */
process.env.ISODESK_NO_KEYRING ??= '1';
