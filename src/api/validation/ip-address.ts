// IP address checks (upstream: IsValidIP and friends, the messages before 1.33's stricter rules).
import { isIP } from 'node:net';
import { invalid, type FieldError } from '../field-error.js';

export function validateIp(value: string, path: string): FieldError[] {
  return isIP(value) === 0 ? [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')] : [];
}

export function validateIpOfFamily(value: string, family: 'IPv4' | 'IPv6', path: string): FieldError[] {
  const want = family === 'IPv4' ? 4 : 6;
  return isIP(value) === want ? [] : [invalid(path, value, `must be a valid ${family} address`)];
}
