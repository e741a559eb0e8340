import type { z } from 'zod';
import { ApiError } from '../../shared/contract.ts';

/** An HTTP answer that was not a success: its status and the server's coded error, if any. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Called when the server answers 401: the session ended, show the login page. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

async function request<S extends z.ZodType>(
  method: string,
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.infer<S>> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let json: unknown = null;
  if (text !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && path !== '/api/login') onUnauthorized();
    const err = ApiError.safeParse(json);
    throw new ApiFailure(
      res.status,
      json,
      err.success ? err.data.message : `${method} ${path}: HTTP ${res.status}`,
    );
  }
  // Validate at the boundary: a server of another version fails loudly here, not deep in a view.
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiFailure(res.status, json, `${method} ${path}: unexpected answer`);
  return parsed.data;
}

export const api = {
  get: <S extends z.ZodType>(path: string, schema: S) => request('GET', path, schema),
  post: <S extends z.ZodType>(path: string, schema: S, body: unknown) => request('POST', path, schema, body),
  del: <S extends z.ZodType>(path: string, schema: S) => request('DELETE', path, schema),
};

/** Builds a query string from defined values (URLSearchParams does the escaping). */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}
