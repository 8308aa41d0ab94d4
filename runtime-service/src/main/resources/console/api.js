// The admin API as the console uses it (runtime-service/ADMIN-API.md). The admin token lives in this tab's
// sessionStorage only (gone when the tab closes) and travels as a bearer header: never in a URL or a cookie.

const TOKEN_KEY = 'runtime-plane.admin-token';
const ACTOR_KEY = 'runtime-plane.actor';
const BASE = '/admin/v1';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
  actor: () => sessionStorage.getItem(ACTOR_KEY) || '',
  rememberActor: (actor) => sessionStorage.setItem(ACTOR_KEY, actor),
};

/** A failed call: the HTTP status and the RFC 9457 problem document (or a stand-in when there was none). */
export class Problem extends Error {
  constructor(status, document) {
    super(document?.detail || document?.title || `HTTP ${status}`);
    this.status = status;
    this.document = document || {};
  }
}

function headers(extra) {
  return { Authorization: `Bearer ${session.token()}`, ...extra };
}

async function call(method, path, body) {
  const init = { method, headers: headers({ Accept: 'application/json' }), cache: 'no-store', credentials: 'omit' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (e) {
    throw new Problem(0, { title: 'The service does not answer', detail: String(e.message || e) });
  }
  const text = await response.text();
  let document = null;
  try {
    document = text ? JSON.parse(text) : null;
  } catch {
    document = { detail: text.slice(0, 300) };
  }
  if (!response.ok) {
    throw new Problem(response.status, document);
  }
  return document;
}

const segment = encodeURIComponent;
const executionPath = (tenant, id) => `/executions/${segment(tenant)}/${segment(id)}`;

// The service leaves empty lists and null members out of its JSON: put the lists back.
const withLists = (detail) => ({ ...detail, actions: detail.actions ?? [], steps: detail.steps ?? [] });

export const api = {
  list: async (filters) => {
    const query = new URLSearchParams();
    Object.entries(filters).forEach(([name, value]) => value !== '' && value != null && query.set(name, value));
    const text = query.toString();
    const page = await call('GET', '/executions' + (text ? `?${text}` : ''));
    return { items: page.items ?? [], nextCursor: page.nextCursor ?? null };
  },
  counts: () => call('GET', '/executions/counts'),
  detail: async (tenant, id) => withLists(await call('GET', executionPath(tenant, id))),
  act: async (tenant, id, action, reason, actor) => withLists(await call('POST',
    `${executionPath(tenant, id)}/${segment(action)}`, actor ? { reason, actor } : { reason })),
};

/**
 * Follows an execution's live feed (server-sent events read through fetch, which, unlike EventSource, can send
 * the bearer header). Calls onEvent with each history event after lastIndex, in order; reconnects with
 * Last-Event-ID after a dropped connection; stops after FINISHED, on a 204, or when signal aborts. Resolves
 * when it stops.
 */
export async function follow(tenant, id, lastIndex, onEvent, signal) {
  let last = lastIndex;
  let backoff = 500;
  while (!signal.aborted) {
    const extra = { Accept: 'text/event-stream' };
    if (last >= 0) {
      extra['Last-Event-ID'] = String(last);
    }
    let finished = false;
    try {
      const response = await fetch(`${BASE}${executionPath(tenant, id)}/stream`,
        { headers: headers(extra), cache: 'no-store', credentials: 'omit', signal });
      if (response.status === 204) {
        return;
      }
      if (!response.ok) {
        throw new Problem(response.status, await response.json().catch(() => null));
      }
      backoff = 500;
      for await (const message of serverSentEvents(response.body)) {
        const event = JSON.parse(message.data);
        if (event.index > last) {
          last = event.index;
          onEvent(event);
        }
        finished = event.type === 'FINISHED';
      }
    } catch (e) {
      if (signal.aborted) {
        return;
      }
      if (e instanceof Problem && e.status >= 400 && e.status < 500) {
        throw e;
      }
    }
    if (finished) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, 5000);
  }
}

/** The messages of a text/event-stream body: {id, event, data}. */
async function* serverSentEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let message = { data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (message.data.length) {
          yield { id: message.id, event: message.event, data: message.data.join('\n') };
        }
        message = { data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') {
          message.data.push(text);
        } else if (field === 'id' || field === 'event') {
          message[field] = text;
        }
      }
    }
  }
}
