/**
 * What ISO Desk refuses before asking HOSTKEY: only what the seed forbids. `add` needs an
 * administrator; `del` is for administrators and owners of private images, ownership known from
 * `uploaded` (or the image's `private` email); `update` names no role, so nobody is refused it.
 */
import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../../main/services/session.js';
import { mayDelete, ownsImage } from '../../main/domain/permissions.js';

const customer = capabilitiesOf({ role: 'Customer', role_type: 'customer', permissions: [] });
const admin = capabilitiesOf({ role: 'Administrator', role_type: 'admin', permissions: [] });
const employee = capabilitiesOf({ role: 'Employee', role_type: 'staff', permissions: [] });

describe('capabilitiesOf', () => {
  it('gives add and deleting any image to administrators only', () => {
    expect(customer).toMatchObject({ add: false, delete: false });
    expect(employee).toMatchObject({ add: false, delete: false, uploadNeedsCustomer: true, uploadedByEmail: true });
    expect(admin).toMatchObject({ add: true, delete: true });
  });

  it('has no rule for update, which the seed leaves to HOSTKEY', () => {
    expect(Object.keys(customer)).not.toContain('update');
  });
});

describe('ownsImage and mayDelete', () => {
  const owner = { email: 'Client@Example.com', uploadIds: new Set([901, 902]) };

  it('knows the account owns what `uploaded` lists, or what is private to its email', () => {
    expect(ownsImage({ id: 902, private: undefined }, owner)).toBe(true);
    expect(ownsImage({ id: 555, private: 'client@example.com' }, owner)).toBe(true);
    expect(ownsImage({ id: 101, private: undefined }, owner)).toBe(false);
    expect(ownsImage({ id: 904, private: 'other@example.com' }, owner)).toBe(false);
    expect(ownsImage({ id: 555, private: 'client@example.com' }, { email: null, uploadIds: new Set() })).toBe(false);
  });

  it('lets a customer delete only what it owns, and an administrator anything', () => {
    expect(mayDelete(customer, true)).toBe(true);
    expect(mayDelete(customer, false)).toBe(false);
    expect(mayDelete(admin, false)).toBe(true);
  });
});
