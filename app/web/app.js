// Cruddur's web page: plain JavaScript, no framework, no build step.
//
// Routes (client-side, history.pushState; the server answers all of them with index.html):
//   /, /signin              sign in as one of the seeded users (dev mode)
//   /messages               the conversation list
//   /messages/<uuid>        the list and one conversation, with the message form
//   /messages/new/<handle>  a new conversation with <handle>
//
// The other user's conversation list is refreshed by a stream worker on the server, so the
// page polls: the list and the open conversation every POLL_MS while the page is visible.
//
// Everything users typed (messages, names, handles) goes into the page with textContent,
// never innerHTML.

const POLL_MS = 1000;
const MAX_CHARS = 1024;

const ERROR_TEXT = {
  message_blank: 'The message is blank.',
  message_exceed_max_chars: `The message is longer than ${MAX_CHARS} characters.`,
  user_reciever_handle_blank: 'Whom to send it to is missing.',
  user_not_found: 'No such user.',
  message_group_not_found: 'No such conversation.',
};

// ---------------------------------------------------------------------------------------------
// Session

const session = {
  get token() {
    return localStorage.getItem('access_token');
  },
  get user() {
    try {
      return JSON.parse(localStorage.getItem('user') || 'null');
    } catch {
      return null;
    }
  },
  save(token, user) {
    localStorage.setItem('access_token', token);
    localStorage.setItem('user', JSON.stringify(user));
  },
  clear() {
    localStorage.removeItem('access_token');
    localStorage.removeItem('user');
  },
};

// ---------------------------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, codes) {
    super(codes.length ? codes.join(', ') : `HTTP ${status}`);
    this.status = status;
    this.codes = codes;
  }
}

// Thrown after a 401 once the page has gone to sign-in; callers only have to stop.
class SignedOut extends Error {}

// The seeds' Flask app answers errors as ["code", ...] or {"errors": ["code", ...]}.
function errorCodes(body) {
  if (Array.isArray(body)) return body.map(String);
  if (body && Array.isArray(body.errors)) return body.errors.map(String);
  return [];
}

function readableErrors(error) {
  if (error instanceof ApiError) {
    if (error.codes.length) return error.codes.map((code) => ERROR_TEXT[code] || code).join(' ');
    return `The server answered ${error.status}.`;
  }
  return 'Could not reach the server.';
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (response.status === 401) {
    signOut();
    throw new SignedOut();
  }
  if (!response.ok) throw new ApiError(response.status, errorCodes(data));
  return data;
}

function signOut() {
  session.clear();
  navigate('/signin', { replace: true });
}

// ---------------------------------------------------------------------------------------------
// DOM helpers

// h('div', {class: 'x', dataset: {testid: 'y'}}, child, 'text', ...): strings become text nodes.
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Python's isoformat() gives microseconds; keep milliseconds so every engine parses it.
function parseTime(iso) {
  if (typeof iso !== 'string') return null;
  const date = new Date(iso.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(date.getTime()) ? null : date;
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
});
const fullDate = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
});
const longDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

// Local time: "10:42" today, "Nov 21, 10:42" this year, with the year otherwise.
function formatTime(iso) {
  const date = parseTime(iso);
  if (!date) return '';
  const now = new Date();
  if (date.toDateString() === now.toDateString()) return timeOnly.format(date);
  if (date.getFullYear() === now.getFullYear()) return dayAndTime.format(date);
  return fullDate.format(date);
}

function timeElement(iso) {
  const date = parseTime(iso);
  return h('time', {
    class: 'time',
    datetime: iso,
    title: date ? longDate.format(date) : undefined,
    dataset: { testid: 'time' },
    text: formatTime(iso),
  });
}

function characterCount(text) {
  return [...text].length; // code points, not UTF-16 units
}

// ---------------------------------------------------------------------------------------------
// Routing

const app = document.getElementById('app');

// Every route render gets a new generation; async work and pollers of an older one stop.
const view = { gen: 0, timers: new Set(), refreshers: [] };

function resetView() {
  view.gen += 1;
  for (const timer of view.timers) clearTimeout(timer);
  view.timers.clear();
  view.refreshers = [];
  return view.gen;
}

function current(gen) {
  return gen === view.gen;
}

function navigate(path, { replace = false } = {}) {
  if (path !== location.pathname) {
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
  }
  route();
}

function route() {
  const gen = resetView();
  renderSession();
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const signedIn = Boolean(session.token);
  let match;

  if (path === '/') {
    return navigate(signedIn ? '/messages' : '/signin', { replace: true });
  }
  if (path === '/signin') return showSignIn(gen);
  if (path === '/messages' || path.startsWith('/messages/')) {
    if (!signedIn) return navigate('/signin', { replace: true });
    if (path === '/messages') return showMessages(gen, null);
    if ((match = path.match(/^\/messages\/new\/([^/]+)$/))) {
      return showNewConversation(gen, decodeURIComponent(match[1]).replace(/^@/, ''));
    }
    if ((match = path.match(/^\/messages\/([^/]+)$/))) {
      return showMessages(gen, decodeURIComponent(match[1]));
    }
  }
  return showNotFound();
}

// Poll fn every POLL_MS while this view is current and the page visible; the next round is
// scheduled after the previous one finished, so slow answers never pile up.
function poll(gen, fn) {
  let running = false;
  const run = async () => {
    if (!current(gen) || running) return;
    running = true;
    try {
      await fn();
    } catch (error) {
      if (!(error instanceof SignedOut)) console.warn('cruddur: refresh failed', error);
    } finally {
      running = false;
    }
  };
  const tick = async () => {
    if (!current(gen)) return;
    if (document.visibilityState === 'visible') await run();
    if (!current(gen)) return;
    const timer = setTimeout(() => {
      view.timers.delete(timer);
      tick();
    }, POLL_MS);
    view.timers.add(timer);
  };
  view.refreshers.push(run);
  setTimeout(tick, POLL_MS);
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') for (const refresh of view.refreshers) refresh();
});

window.addEventListener('popstate', route);

// Same-origin links route on the page instead of loading it again.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(url.pathname);
});

// ---------------------------------------------------------------------------------------------
// Header

const sessionBox = document.querySelector('[data-testid="session"]');
sessionBox.querySelector('[data-testid="signout"]').addEventListener('click', signOut);

function renderSession() {
  const user = session.token ? session.user : null;
  sessionBox.hidden = !user;
  if (!user) return;
  sessionBox.querySelector('[data-testid="session-name"]').textContent = user.display_name;
  sessionBox.querySelector('[data-testid="session-handle"]').textContent = `@${user.handle}`;
}

// ---------------------------------------------------------------------------------------------
// Sign in

async function showSignIn(gen) {
  document.title = 'Sign in · Cruddur';
  const list = h('div', { class: 'signin-users', dataset: { testid: 'signin-users' } },
    h('p', { class: 'muted', text: 'Loading users…' }));
  const error = errorBox();
  const signedInAs = session.token && session.user;
  app.replaceChildren(h('section', { class: 'card signin' },
    h('h1', { text: 'Sign in' }),
    h('p', { class: 'muted', text: signedInAs
      ? `Signed in as ${signedInAs.display_name} (@${signedInAs.handle}). Pick a user to switch.`
      : 'Development mode: pick one of the seeded users.' }),
    list,
    error.el));

  let users;
  try {
    users = await api('GET', '/api/dev/users');
  } catch (e) {
    if (current(gen)) {
      list.replaceChildren();
      error.show(`Could not load the users. ${readableErrors(e)}`);
    }
    return;
  }
  if (!current(gen)) return;
  if (!Array.isArray(users) || users.length === 0) {
    list.replaceChildren(h('p', { class: 'muted', text: 'No users.' }));
    return;
  }
  list.replaceChildren(...users.map((user) => h('button', {
    type: 'button',
    class: 'button signin-user',
    dataset: { testid: `signin-${user.handle}`, handle: user.handle },
    text: `Sign in as ${user.display_name} (@${user.handle})`,
    onclick: (event) => signIn(gen, user.handle, event.currentTarget, error),
  })));
}

async function signIn(gen, handle, button, error) {
  error.clear();
  for (const b of app.querySelectorAll('.signin-user')) b.disabled = true;
  try {
    const answer = await api('POST', '/api/dev/sign_in', { handle });
    session.save(answer.access_token, answer.user);
    navigate('/messages');
  } catch (e) {
    if (!current(gen)) return;
    for (const b of app.querySelectorAll('.signin-user')) b.disabled = false;
    error.show(readableErrors(e));
    button.focus();
  }
}

// ---------------------------------------------------------------------------------------------
// Messages: the layout (side list + pane), kept across the /messages routes so the list does
// not flash while moving between conversations.

let layout = null;

function messagesLayout() {
  if (layout && app.contains(layout.root)) return layout;
  const groups = h('nav', { class: 'groups-list', dataset: { testid: 'message-groups' },
    'aria-label': 'Conversations' });
  const handleInput = h('input', { type: 'text', name: 'handle', placeholder: '@handle',
    'aria-label': 'Handle to message', autocomplete: 'off', spellcheck: 'false',
    dataset: { testid: 'new-conversation-handle' } });
  const newForm = h('form', { class: 'new-conversation', onsubmit: (event) => {
    event.preventDefault();
    const handle = handleInput.value.trim().replace(/^@/, '');
    if (!handle) return handleInput.focus();
    handleInput.value = '';
    navigate(`/messages/new/${encodeURIComponent(handle)}`);
  } }, handleInput, h('button', { type: 'submit', class: 'button button-quiet', text: 'New' }));
  const pane = h('section', { class: 'pane' });
  const root = h('div', { class: 'messages-layout' },
    h('aside', { class: 'sidebar' },
      h('h2', { class: 'sidebar-title', text: 'Messages' }), newForm, groups),
    pane);
  app.replaceChildren(root);
  layout = { root, groups, pane, signature: null, data: null };
  return layout;
}

function renderGroups(l, groups, activeUuid) {
  const signature = JSON.stringify(groups);
  if (signature !== l.signature) {
    l.signature = signature;
    l.data = groups;
    if (groups.length === 0) {
      l.groups.replaceChildren(h('p', { class: 'muted empty', dataset: { testid: 'no-message-groups' },
        text: 'No conversations yet.' }));
    } else {
      l.groups.replaceChildren(...groups.map((group) => h('a', {
        class: 'group',
        href: `/messages/${encodeURIComponent(group.uuid)}`,
        dataset: { testid: 'message-group', handle: group.handle, uuid: group.uuid },
      },
      h('span', { class: 'group-top' },
        h('span', { class: 'name', dataset: { testid: 'display-name' }, text: group.display_name }),
        timeElement(group.created_at)),
      h('span', { class: 'handle', dataset: { testid: 'handle' }, text: `@${group.handle}` }),
      h('span', { class: 'group-message', dataset: { testid: 'last-message' }, text: group.message }))));
    }
  }
  for (const a of l.groups.querySelectorAll('.group')) {
    const active = a.dataset.uuid === activeUuid;
    a.classList.toggle('active', active);
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// Loads the list now and then polls it; onFirst runs after the first render.
function startGroups(gen, l, activeUuid, onFirst) {
  let first = true;
  const load = async () => {
    const groups = await api('GET', '/api/message_groups');
    if (!current(gen)) return;
    renderGroups(l, Array.isArray(groups) ? groups : [], activeUuid);
    if (first) {
      first = false;
      if (window.cruddurFirstRenderMs === undefined) window.cruddurFirstRenderMs = performance.now();
      onFirst?.(l.data);
    }
  };
  load().catch((e) => {
    if (e instanceof SignedOut || !current(gen)) return;
    if (!l.data) {
      l.groups.replaceChildren(h('p', { class: 'error', role: 'alert', dataset: { testid: 'error' },
        text: `Could not load the conversations. ${readableErrors(e)}` }));
    }
  }).finally(() => poll(gen, load));
}

function showMessages(gen, groupUuid) {
  const l = messagesLayout();
  if (!groupUuid) {
    document.title = 'Messages · Cruddur';
    l.pane.replaceChildren(h('div', { class: 'pane-empty' },
      h('p', { text: 'Pick a conversation, or start one with a handle.' })));
    startGroups(gen, l, null);
    return;
  }
  showConversation(gen, l, groupUuid);
}

// A conversation: header, messages oldest to newest, form.
function showConversation(gen, l, groupUuid) {
  const me = session.user;
  const title = h('h1', { class: 'pane-title', dataset: { testid: 'conversation-title' }, text: 'Conversation' });
  const list = h('ol', { class: 'messages', dataset: { testid: 'messages' } },
    h('li', { class: 'muted empty', text: 'Loading…' }));
  // Re-fetch the list right after sending, besides the polling.
  const refreshGroups = () => {
    api('GET', '/api/message_groups').then((groups) => {
      if (current(gen) && Array.isArray(groups)) renderGroups(l, groups, groupUuid);
    }).catch(() => {});
  };
  const form = messageForm({
    send: async (message) => {
      await api('POST', '/api/messages', { message, message_group_uuid: groupUuid });
      if (!current(gen)) return;
      await loadMessages({ toBottom: true });
      refreshGroups();
    },
  });
  l.pane.replaceChildren(h('header', { class: 'pane-header' }, title), list, form.el);
  document.title = 'Conversation · Cruddur';

  const setTitle = (groups) => {
    const group = groups?.find((g) => g.uuid === groupUuid);
    if (group) setConversationTitle(title, group.display_name, group.handle);
  };

  let signature = null;
  let first = true;
  let missing = false;
  const loadMessages = async ({ toBottom = false } = {}) => {
    if (missing) return;
    let messages;
    try {
      messages = await api('GET', `/api/messages/${encodeURIComponent(groupUuid)}`);
    } catch (e) {
      if (current(gen) && e instanceof ApiError && e.status === 404) {
        missing = true;
        title.textContent = 'Conversation not found';
        list.replaceChildren(h('li', { class: 'error', role: 'alert', dataset: { testid: 'error' },
          text: 'No such conversation, or you are not in it.' }));
        form.el.hidden = true;
        return;
      }
      throw e;
    }
    if (!current(gen)) return;
    messages = Array.isArray(messages) ? messages : [];
    const next = JSON.stringify(messages);
    if (next !== signature) {
      const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
      signature = next;
      renderMessages(list, messages, me);
      if (first || toBottom || nearBottom) list.scrollTop = list.scrollHeight;
      const other = messages.find((m) => m.handle !== me?.handle);
      if (other && title.textContent === 'Conversation') {
        setConversationTitle(title, other.display_name, other.handle);
      }
    }
    if (first) {
      first = false;
      if (window.cruddurFirstConversationRenderMs === undefined) {
        window.cruddurFirstConversationRenderMs = performance.now();
      }
      form.input.focus();
    }
  };

  startGroups(gen, l, groupUuid, setTitle);
  setTitle(l.data);

  loadMessages().catch((e) => {
    if (e instanceof SignedOut || !current(gen)) return;
    list.replaceChildren(h('li', { class: 'error', role: 'alert', dataset: { testid: 'error' },
      text: `Could not load the messages. ${readableErrors(e)}` }));
  }).finally(() => poll(gen, loadMessages));
}

function setConversationTitle(title, displayName, handle) {
  title.replaceChildren(
    h('span', { class: 'name', text: displayName }), ' ',
    h('span', { class: 'handle', text: `@${handle}` }));
  document.title = `${displayName} · Cruddur`;
}

function renderMessages(list, messages, me) {
  if (messages.length === 0) {
    list.replaceChildren(h('li', { class: 'muted empty', text: 'No messages yet.' }));
    return;
  }
  list.replaceChildren(...messages.map((m) => h('li', {
    class: m.handle === me?.handle ? 'message mine' : 'message',
    dataset: { testid: 'message', handle: m.handle, uuid: m.uuid },
  },
  h('div', { class: 'message-meta' },
    h('span', { class: 'name', dataset: { testid: 'display-name' }, text: m.display_name }),
    h('span', { class: 'handle', dataset: { testid: 'handle' }, text: `@${m.handle}` }),
    timeElement(m.created_at)),
  h('p', { class: 'message-text', dataset: { testid: 'message-text' }, text: m.message }))));
}

// ---------------------------------------------------------------------------------------------
// New conversation

async function showNewConversation(gen, handle) {
  const l = messagesLayout();
  startGroups(gen, l, null);
  document.title = `@${handle} · Cruddur`;
  const title = h('h1', { class: 'pane-title', dataset: { testid: 'conversation-title' },
    text: `New conversation with @${handle}` });
  const body = h('div', { class: 'messages new' }, h('p', { class: 'muted empty', text: 'Loading…' }));
  l.pane.replaceChildren(h('header', { class: 'pane-header' }, title), body);

  let user;
  try {
    user = await api('GET', `/api/users/@${encodeURIComponent(handle)}/short`);
  } catch (e) {
    if (e instanceof SignedOut || !current(gen)) return;
    const text = e instanceof ApiError && e.status === 404
      ? `No user @${handle}`
      : `Could not load @${handle}. ${readableErrors(e)}`;
    title.textContent = e instanceof ApiError && e.status === 404 ? 'No such user' : 'New conversation';
    body.replaceChildren(h('p', { class: 'error', role: 'alert', dataset: { testid: 'error' }, text }));
    return;
  }
  if (!current(gen)) return;

  title.replaceChildren('New conversation with ',
    h('span', { class: 'name', text: user.display_name }), ' ',
    h('span', { class: 'handle', text: `(@${user.handle})` }));
  document.title = `${user.display_name} · Cruddur`;
  body.replaceChildren(h('p', { class: 'muted empty',
    text: `Say hello to ${user.display_name}.` }));
  const form = messageForm({
    send: async (message) => {
      const answer = await api('POST', '/api/messages', { message, handle: user.handle });
      if (current(gen)) navigate(`/messages/${encodeURIComponent(answer.message_group_uuid)}`);
    },
  });
  l.pane.append(form.el);
  form.input.focus();
}

// ---------------------------------------------------------------------------------------------
// The message form: textarea, live "N/1024" counter, Send; errors shown under it.

function messageForm({ send }) {
  const input = h('textarea', {
    name: 'message', rows: 3, placeholder: 'Send a direct message…',
    'aria-label': 'Message', dataset: { testid: 'message-input' },
  });
  const counter = h('span', { class: 'counter', dataset: { testid: 'message-counter' },
    'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button', dataset: { testid: 'send-button' },
    text: 'Send' });
  const error = errorBox();
  let sending = false;

  const update = () => {
    const count = characterCount(input.value);
    const over = count > MAX_CHARS;
    counter.textContent = `${count}/${MAX_CHARS}`;
    counter.classList.toggle('over', over);
    input.classList.toggle('over', over);
    input.setAttribute('aria-invalid', over ? 'true' : 'false');
    button.disabled = over || sending;
  };

  const submit = async () => {
    if (sending || characterCount(input.value) > MAX_CHARS) return;
    error.clear();
    sending = true;
    update();
    try {
      const sent = input.value;
      await send(sent);
      if (input.value === sent) input.value = '';
    } catch (e) {
      if (!(e instanceof SignedOut)) error.show(readableErrors(e));
    } finally {
      sending = false;
      update();
    }
  };

  const form = h('form', { class: 'message-form', dataset: { testid: 'message-form' },
    onsubmit: (event) => {
      event.preventDefault();
      submit();
    } },
  input,
  h('div', { class: 'message-form-bar' },
    error.el,
    h('span', { class: 'message-form-actions' }, counter, button)));

  input.addEventListener('input', update);
  // Ctrl+Enter or Cmd+Enter sends.
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  });
  update();
  return { el: form, input };
}

function errorBox() {
  const el = h('p', { class: 'error', role: 'alert', dataset: { testid: 'error' }, hidden: true });
  return {
    el,
    show(text) {
      el.textContent = text;
      el.hidden = false;
    },
    clear() {
      el.textContent = '';
      el.hidden = true;
    },
  };
}

// ---------------------------------------------------------------------------------------------

function showNotFound() {
  document.title = 'Not found · Cruddur';
  app.replaceChildren(h('section', { class: 'card' },
    h('h1', { text: 'Not found' }),
    h('p', {}, 'Nothing here. ', h('a', { href: '/messages', text: 'Go to your messages' }), '.')));
}

route();
