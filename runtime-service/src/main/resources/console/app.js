// The operator console: sign in with the admin token, list and filter executions, open one to follow its
// timeline live and act on it. Preact + htm, no build step (vendor/README.md).
import { h, render } from './vendor/preact.mjs';
import { useCallback, useEffect, useMemo, useRef, useState } from './vendor/hooks.mjs';
import htm from './vendor/htm.mjs';
import { api, follow, Problem, session } from './api.js';
import { duration, timeline } from './timeline.js';

const html = htm.bind(h);
const STATES = ['RUNNING', 'COMPENSATING', 'COMPLETED', 'COMPENSATED', 'CANCELLED', 'FAILED', 'RESOLVED'];
const FILTERS = ['state', 'type', 'version', 'tenant', 'session', 'owner', 'olderThan', 'newerThan'];
const ACTIONS = {
  cancel: { label: 'Cancel', hint: 'Stops the step in flight and compensates the completed steps in reverse; ends CANCELLED.' },
  retry: { label: 'Retry compensation', hint: 'Runs the compensation again from the step where it gave up.' },
  resolve: { label: 'Resolve', hint: 'Marks the execution handled by hand (RESOLVED); nothing runs. The reason is kept as the note.' },
  redrive: { label: 'Re-drive', hint: 'This replica adopts the execution now and drives it on from where it stopped.' },
};
const LIST_REFRESH_MS = 5000;

// ---- routing: #/ (list, filters in the query) and #/executions/{tenant}/{id} ----

let lastListHash = '#/'; // where "back to the list" goes: the list as it was filtered

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'executions' && parts.length === 3) {
    return { view: 'execution', tenant: parts[1], id: parts[2] };
  }
  lastListHash = location.hash || '#/';
  const params = new URLSearchParams(query);
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || '']));
  return { view: 'list', filters };
}

function listHash(filters) {
  const query = new URLSearchParams();
  FILTERS.forEach((name) => filters[name] && query.set(name, filters[name]));
  const text = query.toString();
  return '#/' + (text ? `?${text}` : '');
}

const executionHash = (tenant, id) => `#/executions/${encodeURIComponent(tenant)}/${encodeURIComponent(id)}`;

function useRoute() {
  const [route, setRoute] = useState(parseRoute);
  useEffect(() => {
    const changed = () => setRoute(parseRoute());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

// ---- small pieces ----

const stateBadge = (state) => html`<span class="state state-${state.toLowerCase()}" data-state=${state}>${state}</span>`;

function when(iso) {
  if (!iso) {
    return '';
  }
  const at = new Date(iso);
  return html`<time datetime=${iso} title=${at.toISOString()}>${at.toLocaleString()}</time>`;
}

function ago(iso, now) {
  return iso ? `${duration(now - Date.parse(iso))} ago` : '';
}

function ProblemBox({ problem }) {
  if (!problem) {
    return null;
  }
  const doc = problem.document || {};
  return html`<div class="problem" role="alert" data-testid="problem">
    <strong>${doc.title || 'Error'}${problem.status ? ` (${problem.status})` : ''}</strong>
    <div>${problem.message}</div>
    ${doc.currentState && html`<div>Current state: ${stateBadge(doc.currentState)}</div>`}
    ${doc.owner && html`<div>Driven by replica ${doc.owner}</div>`}
  </div>`;
}

function useNow(active, every = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    const timer = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(timer);
  }, [active, every]);
  return now;
}

// ---- sign in ----

function SignIn({ onSignedIn }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    session.signIn(token.trim());
    try {
      await api.counts();
      onSignedIn();
    } catch (error) {
      session.signOut();
      setProblem(error.status === 401 ? new Problem(401, { title: 'Not signed in', detail: 'The admin token is not valid.' }) : error);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="sign-in" onSubmit=${submit} data-testid="sign-in">
    <h1>Runtime Plane console</h1>
    <label>Admin token
      <input type="password" name="token" autocomplete="off" required value=${token}
             onInput=${(e) => setToken(e.target.value)} />
    </label>
    <p class="hint">Kept in this tab only (session storage) and sent as a bearer header.</p>
    <button type="submit" disabled=${busy}>Sign in</button>
    <${ProblemBox} problem=${problem} />
  </form>`;
}

// ---- the list ----

function Counts({ counts, active }) {
  if (!counts) {
    return null;
  }
  return html`<nav class="counts" data-testid="counts">
    <a href=${listHash({})} class=${active ? '' : 'active'}>All <b>${counts.total}</b></a>
    ${STATES.map((state) => html`<a href=${listHash({ state })} class=${active === state ? 'active' : ''}
        data-testid=${`count-${state}`}>${stateBadge(state)} <b>${counts.counts[state] ?? 0}</b></a>`)}
  </nav>`;
}

function Filters({ filters }) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [JSON.stringify(filters)]);
  const field = (name, label, props = {}) => html`<label>${label}
      <input name=${name} value=${draft[name]} onInput=${(e) => setDraft({ ...draft, [name]: e.target.value })} ...${props} />
    </label>`;
  const apply = (e) => {
    e.preventDefault();
    location.hash = listHash(draft);
  };
  return html`<form class="filters" onSubmit=${apply} data-testid="filters">
    <label>State
      <select name="state" value=${draft.state} onChange=${(e) => setDraft({ ...draft, state: e.target.value })}>
        <option value="">any</option>
        ${STATES.map((state) => html`<option value=${state}>${state}</option>`)}
      </select>
    </label>
    ${field('type', 'Intent type')}
    ${field('version', 'Version', { type: 'number', min: 1, disabled: !draft.type, title: 'needs an intent type' })}
    ${field('tenant', 'Tenant')}
    ${field('session', 'Session', { disabled: !draft.tenant, title: 'needs a tenant' })}
    ${field('owner', 'Replica')}
    ${field('olderThan', 'Unchanged for (min)', { type: 'number', min: 1 })}
    ${field('newerThan', 'Changed within (min)', { type: 'number', min: 1 })}
    <button type="submit">Apply</button>
    <a class="button secondary" href=${listHash({})}>Clear</a>
  </form>`;
}

function query(filters, cursor) {
  const now = Date.now();
  const minutesAgo = (minutes) => (minutes ? new Date(now - Number(minutes) * 60_000).toISOString() : '');
  return {
    state: filters.state, type: filters.type, version: filters.type ? filters.version : '', tenant: filters.tenant,
    session: filters.tenant ? filters.session : '', owner: filters.owner,
    updatedBefore: minutesAgo(filters.olderThan), updatedAfter: minutesAgo(filters.newerThan),
    limit: 50, cursor: cursor || '',
  };
}

function ExecutionList({ filters, onUnauthorized }) {
  const [page, setPage] = useState(null);
  const [counts, setCounts] = useState(null);
  const [problem, setProblem] = useState(null);
  const [live, setLive] = useState(true);
  const key = JSON.stringify(filters);
  // The cursors of the pages walked so far under these filters (the last is shown); new filters start over.
  const [paging, setPaging] = useState({ key, cursors: [null] });
  const cursors = paging.key === key ? paging.cursors : [null];
  const setCursors = (next) => setPaging({ key, cursors: next });
  const cursor = cursors[cursors.length - 1];

  const load = useCallback(async () => {
    try {
      const [next, nextCounts] = await Promise.all([api.list(query(filters, cursor)), api.counts()]);
      setPage(next);
      setCounts(nextCounts);
      setProblem(null);
    } catch (error) {
      if (error.status === 401) {
        onUnauthorized();
      } else {
        setProblem(error);
      }
    }
  }, [key, cursor]);

  useEffect(() => {
    load();
    if (!live || cursors.length > 1) {
      return undefined; // later pages stay still: new changes would shift them
    }
    const timer = setInterval(load, LIST_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, live, cursors.length]);

  const now = useNow(true, 5000);
  return html`<section data-testid="list">
    <${Counts} counts=${counts} active=${filters.state} />
    <${Filters} filters=${filters} />
    <div class="toolbar">
      <label class="inline"><input type="checkbox" checked=${live} onChange=${(e) => setLive(e.target.checked)} />
        refresh every ${LIST_REFRESH_MS / 1000} s</label>
      <button class="secondary" onClick=${load}>Refresh</button>
    </div>
    <${ProblemBox} problem=${problem} />
    ${page && html`<table class="executions" data-testid="executions">
      <thead><tr><th>Changed</th><th>State</th><th>Intent type</th><th>Tenant</th><th>Execution</th><th>Session</th><th>Replica</th></tr></thead>
      <tbody>
        ${page.items.map((item) => html`<tr key=${item.tenant + item.executionId} data-execution=${item.executionId}>
          <td title=${item.updatedAt}>${ago(item.updatedAt, now)}</td>
          <td>${stateBadge(item.state)}</td>
          <td>${item.type} <span class="muted">v${item.typeVersion}</span></td>
          <td>${item.tenant}</td>
          <td><a href=${executionHash(item.tenant, item.executionId)} class="mono">${item.executionId}</a></td>
          <td class="mono muted">${item.sessionId}</td>
          <td>${item.owner || ''}</td>
        </tr>`)}
      </tbody>
    </table>
    ${page.items.length === 0 && html`<p class="empty" data-testid="empty">No execution on this page matches.</p>`}
    <div class="pager">
      <button class="secondary" disabled=${cursors.length === 1} onClick=${() => setCursors(cursors.slice(0, -1))}>Previous</button>
      <button class="secondary" disabled=${!page.nextCursor} onClick=${() => setCursors([...cursors, page.nextCursor])}
              data-testid="next-page">Next</button>
    </div>`}
  </section>`;
}

// ---- one execution ----

function useExecution(tenant, id, onUnauthorized) {
  const [detail, setDetail] = useState(null);
  const [events, setEvents] = useState([]);
  const [problem, setProblem] = useState(null);
  const [generation, setGeneration] = useState(0); // bumped to re-follow the feed after an action
  const lastIndex = useRef(-1);

  const refreshDetail = useCallback(async () => {
    try {
      setDetail(await api.detail(tenant, id));
    } catch (error) {
      error.status === 401 ? onUnauthorized() : setProblem(error);
    }
  }, [tenant, id]);

  useEffect(() => {
    setDetail(null);
    setEvents([]);
    lastIndex.current = -1;
  }, [tenant, id]);

  useEffect(() => {
    const stop = new AbortController();
    let pending = null;
    const changed = () => { // one detail read per burst of events
      clearTimeout(pending);
      pending = setTimeout(refreshDetail, 100);
    };
    refreshDetail();
    follow(tenant, id, lastIndex.current, (event) => {
      lastIndex.current = event.index;
      setEvents((known) => [...known, event]);
      changed();
    }, stop.signal).then(changed, (error) => (error.status === 401 ? onUnauthorized() : setProblem(error)));
    return () => {
      stop.abort();
      clearTimeout(pending);
    };
  }, [tenant, id, generation]);

  const acted = (next) => {
    setDetail(next);
    setGeneration((g) => g + 1);
  };
  return { detail, events, problem, acted };
}

function Timeline({ events, terminal }) {
  const now = useNow(!terminal, 500);
  const line = useMemo(() => timeline(events), [events]);
  if (!line.rows.length) {
    return html`<p class="muted">No step has started yet.</p>`;
  }
  const end = terminal ? line.end : Math.max(now, line.end);
  const span = Math.max(end - line.start, 1);
  const position = (from, to) => ({
    left: `${((from - line.start) / span) * 100}%`,
    width: `max(3px, ${(((to ?? end) - from) / span) * 100}%)`,
  });
  return html`<div class="timeline" data-testid="timeline">
    <div class="scale"><span>0</span><span>${duration(span)}</span></div>
    ${line.rows.map((row) => html`<div class=${`row ${row.phase}`} data-step=${row.step} data-phase=${row.phase}>
      <div class="label">${row.phase === 'compensation' ? html`<span title="compensation">↩</span> ` : ''}${row.step}</div>
      <div class="track">
        ${row.attempts.map((attempt) => html`<span class=${`bar ${attempt.outcome}`} style=${position(attempt.startedAt, attempt.endedAt)}
            title=${`attempt ${attempt.number}: ${attempt.outcome}`}></span>`)}
      </div>
      <ol class="attempts">
        ${row.attempts.map((attempt) => html`<li class=${attempt.outcome} data-outcome=${attempt.outcome}>
          attempt ${attempt.number} · ${attempt.outcome} · ${duration((attempt.endedAt ?? end) - attempt.startedAt)}
          ${attempt.error && html`<span class="error"> · ${attempt.error}</span>`}
          ${attempt.retryAt && html`<span class="muted"> · retry at ${new Date(attempt.retryAt).toLocaleTimeString()}</span>`}
        </li>`)}
      </ol>
    </div>`)}
    ${line.marks.length > 0 && html`<ul class="marks" data-testid="marks">
      ${line.marks.map((mark) => html`<li class=${mark.type.toLowerCase()}><span class="muted">+${duration(mark.at - line.start)}</span> ${mark.text}</li>`)}
    </ul>`}
  </div>`;
}

function Actions({ detail, onActed, onUnauthorized }) {
  const [chosen, setChosen] = useState(null);
  const [reason, setReason] = useState('');
  const [actor, setActor] = useState(session.actor());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  const [done, setDone] = useState(null);
  useEffect(() => { setChosen(null); setProblem(null); }, [detail.state]);
  if (!detail.actions.length && !problem && !done) {
    return null;
  }
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    session.rememberActor(actor.trim());
    try {
      const next = await api.act(detail.tenant, detail.executionId, chosen, reason.trim(), actor.trim() || undefined);
      setDone(`${ACTIONS[chosen].label}: done`);
      setChosen(null);
      setReason('');
      onActed(next);
    } catch (error) {
      error.status === 401 ? onUnauthorized() : setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="actions" data-testid="actions">
    ${detail.actions.map((action) => html`<button class=${action === 'cancel' || action === 'resolve' ? 'warn' : ''}
        data-action=${action} onClick=${() => { setChosen(action); setDone(null); setProblem(null); }} disabled=${busy}>${ACTIONS[action]?.label || action}</button>`)}
    ${chosen && html`<form class="action-form" onSubmit=${submit} data-testid="action-form">
      <p>${ACTIONS[chosen]?.hint}</p>
      <label>Reason (recorded in the history)
        <textarea name="reason" required maxlength="1000" value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>
      </label>
      <label>Your name (optional)
        <input name="actor" maxlength="128" value=${actor} onInput=${(e) => setActor(e.target.value)} />
      </label>
      <button type="submit" disabled=${busy || !reason.trim()} data-testid="confirm-action">${ACTIONS[chosen]?.label || chosen}</button>
      <button type="button" class="secondary" onClick=${() => setChosen(null)}>Back</button>
    </form>`}
    ${done && html`<p class="done" role="status">${done}</p>`}
    <${ProblemBox} problem=${problem} />
  </section>`;
}

function ExecutionView({ tenant, id, onUnauthorized }) {
  const { detail, events, problem, acted } = useExecution(tenant, id, onUnauthorized);
  const now = useNow(true, 5000);
  if (!detail) {
    return html`<section><a href=${lastListHash}>← Executions</a><${ProblemBox} problem=${problem} />${!problem && html`<p>Loading…</p>`}</section>`;
  }
  return html`<section class="execution" data-testid="execution" data-state=${detail.state}>
    <a href=${lastListHash} data-testid="back">← Executions</a>
    <header>
      <h2><span class="mono">${detail.executionId}</span> ${stateBadge(detail.state)}
        ${!detail.terminal && html`<span class="live" title="following the live feed">live</span>`}</h2>
      <dl>
        <dt>Intent type</dt><dd>${detail.type} v${detail.typeVersion}</dd>
        <dt>Tenant</dt><dd>${detail.tenant}</dd>
        <dt>Session</dt><dd class="mono">${detail.sessionId}</dd>
        <dt>Replica</dt><dd>${detail.owner || '—'}${detail.leaseHolder ? ` (lease: ${detail.leaseHolder})` : detail.terminal ? '' : ' (no lease holder)'}</dd>
        <dt>Created</dt><dd>${when(detail.createdAt)}</dd>
        <dt>Changed</dt><dd>${when(detail.updatedAt)} <span class="muted">(${ago(detail.updatedAt, now)})</span></dd>
        ${detail.compensationCause && html`<dt>Compensation cause</dt><dd>${detail.compensationCause}</dd>`}
        ${detail.cancelRequested && html`<dt>Cancel</dt><dd>requested</dd>`}
        ${detail.error && html`<dt>Error</dt><dd class="error">${detail.error}</dd>`}
        ${detail.resolution && html`<dt>Resolution</dt><dd data-testid="resolution">${detail.resolution.note} <span class="muted">— ${detail.resolution.actor}, ${when(detail.resolution.at)}</span></dd>`}
      </dl>
    </header>
    <${ProblemBox} problem=${problem} />
    <${Actions} detail=${detail} onActed=${acted} onUnauthorized=${onUnauthorized} />
    <h3>Timeline</h3>
    <${Timeline} events=${events} terminal=${detail.terminal} />
    <h3>Steps</h3>
    <table class="steps" data-testid="steps">
      <thead><tr><th>Step</th><th>Status</th><th>Attempts</th><th>Compensation attempts</th><th>Result</th><th>Last error</th></tr></thead>
      <tbody>${detail.steps.map((step) => html`<tr data-step=${step.name}>
        <td>${step.name}</td><td><span class=${`step-status ${step.status.toLowerCase()}`}>${step.status}</span></td>
        <td>${step.attempts}</td><td>${step.compensationAttempts}</td>
        <td class="mono clip">${step.result ?? ''}</td><td class="error">${step.lastError ?? ''}</td>
      </tr>`)}</tbody>
    </table>
    <details>
      <summary>History (${events.length} events)</summary>
      <ol class="history" data-testid="history">${events.map((event) => html`<li key=${event.index} data-type=${event.type}>
        <span class="mono muted">${new Date(event.at).toISOString().slice(11, 23)}</span> <b>${event.type}</b>
        ${event.step && ` ${event.step}`}${event.attempt ? ` #${event.attempt}` : ''}
        ${event.detail && html` <span class=${event.type.endsWith('FAILED') ? 'error' : ''}>${event.detail}</span>`}
        ${event.actor && html` <span class="muted">by ${event.actor}</span>`}
      </li>`)}</ol>
    </details>
    ${detail.input && html`<details><summary>Input</summary><pre>${detail.input}</pre></details>`}
  </section>`;
}

// ---- the page ----

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(session.token()));
  const route = useRoute();
  const signOut = () => {
    session.signOut();
    setSignedIn(false);
  };
  if (!signedIn) {
    return html`<${SignIn} onSignedIn=${() => setSignedIn(true)} />`;
  }
  return html`<div>
    <header class="top">
      <a href="#/" class="brand">Runtime Plane · executions</a>
      <button class="secondary" onClick=${signOut} data-testid="sign-out">Sign out</button>
    </header>
    ${route.view === 'execution'
      ? html`<${ExecutionView} key=${route.tenant + '/' + route.id} tenant=${route.tenant} id=${route.id} onUnauthorized=${signOut} />`
      : html`<${ExecutionList} filters=${route.filters} onUnauthorized=${signOut} />`}
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
