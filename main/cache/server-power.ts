/**
 * What ISO Desk last learnt of each server's power (HOSTKEY's status words and when), the boot
 * device it last set, and the ISO it last mounted and since when (the detach reminder). Each fact
 * only moves forward in time: an older reading never replaces a newer one.
 */
import { writeTransaction, type Db, type Statements } from './connection.js';
import { parseRow } from './rows.js';
import { ServerPowerRow, type ServerPowerRepository } from './types.js';

const SELECT = `SELECT server_id, power, power_text, power_read_at, boot_media, boot_media_at, mounted_iso, mounted_at FROM server_power`;

export class ServerPower implements ServerPowerRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
  ) {}

  get(profile: string, serverId: number): ServerPowerRow | null {
    const row = this.statements.get(`${SELECT} WHERE profile = ? AND server_id = ?`).get(profile, serverId);
    return row === undefined ? null : parseRow(ServerPowerRow, row, 'a server power state');
  }

  list(profile: string): ServerPowerRow[] {
    return this.statements
      .get(`${SELECT} WHERE profile = ? ORDER BY server_id`)
      .all(profile)
      .map((row) => parseRow(ServerPowerRow, row, 'a server power state'));
  }

  setPower(profile: string, serverId: number, power: ServerPowerRow['power'], text: string | null, at: number): void {
    this.set(profile, serverId, 'power_read_at', { power, power_text: text, power_read_at: at });
  }

  setBootMedia(profile: string, serverId: number, media: 'cd' | 'disk' | 'pxe', at: number): void {
    this.set(profile, serverId, 'boot_media_at', { boot_media: media, boot_media_at: at });
  }

  setMounted(profile: string, serverId: number, isoName: string | null, at: number): void {
    this.set(profile, serverId, 'mounted_at', { mounted_iso: isoName, mounted_at: at });
  }

  /** Writes `values` unless the row already holds a later `stamp`. */
  private set(
    profile: string,
    serverId: number,
    stamp: 'power_read_at' | 'boot_media_at' | 'mounted_at',
    values: Record<string, string | number | null>,
  ): void {
    const columns = Object.keys(values);
    writeTransaction(this.db, () => {
      this.statements.get(`INSERT OR IGNORE INTO server_power (profile, server_id) VALUES (?, ?)`).run(profile, serverId);
      this.statements
        .get(
          `UPDATE server_power SET ${columns.map((c) => `${c} = @${c}`).join(', ')}
           WHERE profile = @profile AND server_id = @server_id AND (${stamp} IS NULL OR ${stamp} <= @${stamp})`,
        )
        .run({ ...values, profile, server_id: serverId });
    });
  }
}
