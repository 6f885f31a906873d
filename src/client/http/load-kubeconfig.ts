// Reads a kubeconfig file into HttpClientSetOptions: the current context's cluster (server,
// certificate-authority or -data, insecure-skip-tls-verify) and user (token or tokenFile,
// client-certificate(-data)/client-key(-data)). Relative file paths are relative to the
// kubeconfig's folder, as kubectl resolves them. Exec/auth-provider plugins are not supported.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { BadRequestError } from '../../lib/errors.js';
import type { HttpClientSetOptions } from './http-transport.js';

interface Named<T> {
  name?: string;
  [key: string]: unknown;
  value?: T;
}

type Fields = Record<string, unknown>;

function pick(list: unknown, name: string | undefined, field: string): Fields | undefined {
  if (!Array.isArray(list) || name === undefined) return undefined;
  const entry = (list as Named<unknown>[]).find((item) => item.name === name);
  const value = entry?.[field];
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined;
}

function text(fields: Fields | undefined, key: string): string | undefined {
  const value = fields?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function loadKubeconfig(path: string, options: { readonly context?: string } = {}): HttpClientSetOptions {
  const config = (parse(readFileSync(path, 'utf8')) ?? {}) as Fields;
  const base = dirname(path);
  const readRelative = (file: string): Buffer => readFileSync(isAbsolute(file) ? file : join(base, file));
  const contextName = options.context ?? text(config, 'current-context');
  const context = pick(config['contexts'], contextName, 'context');
  if (!context) throw new BadRequestError(`kubeconfig ${path}: context "${contextName ?? ''}" not found`);
  const cluster = pick(config['clusters'], text(context, 'cluster'), 'cluster');
  const server = text(cluster, 'server');
  if (!server) throw new BadRequestError(`kubeconfig ${path}: cluster "${text(context, 'cluster') ?? ''}" has no server`);
  const user = pick(config['users'], text(context, 'user'), 'user');

  const fileOrData = (fields: Fields | undefined, key: string): Buffer | undefined => {
    const data = text(fields, `${key}-data`);
    if (data) return Buffer.from(data, 'base64');
    const file = text(fields, key);
    return file ? readRelative(file) : undefined;
  };
  const ca = fileOrData(cluster, 'certificate-authority');
  const cert = fileOrData(user, 'client-certificate');
  const key = fileOrData(user, 'client-key');
  const tokenFile = text(user, 'tokenFile');
  const token = text(user, 'token') ?? (tokenFile ? readRelative(tokenFile).toString('utf8').trim() : undefined);
  return {
    server,
    ...(token ? { token } : {}),
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(cluster?.['insecure-skip-tls-verify'] === true ? { insecureSkipTlsVerify: true } : {}),
  };
}
