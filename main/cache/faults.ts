/**
 * The cache's repositories as the services see them: every SQLite failure that is about the disk
 * or the file (full, read-only, damaged, busy) comes out as a plain AppError instead of a raw
 * SqliteError, which the front ends would show as a bug. Damage also marks the file for repair
 * at the next open (repair.ts).
 */
import type { ReadOnlyReason } from '../domain/storage-faults.js';
import { sqliteFault } from '../domain/storage-faults.js';
import { isDamage, markForRepair } from './repair.js';

export interface FaultContext {
  file: string;
  dir: string;
  /** Set when the data folder could not be written at open, and the cache is a read-only snapshot. */
  readOnly: ReadOnlyReason | null;
}

export function translateFault(err: unknown, where: FaultContext): unknown {
  const fault = sqliteFault(err, where);
  if (!fault) return err;
  if (isDamage(err)) markForRepair(where.file);
  return fault;
}

/** The repository with each method's SQLite failures translated. */
export function guarded<T extends object>(repository: T, where: FaultContext): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      let method = wrapped.get(property);
      if (!method) {
        method = (...args: unknown[]): unknown => {
          try {
            return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
          } catch (err) {
            throw translateFault(err, where);
          }
        };
        wrapped.set(property, method);
      }
      return method;
    },
  });
}
