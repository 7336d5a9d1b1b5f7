// Cruddur's web page in headless Chromium: what a user sees, end to end.
//
// Starts its own eddy (in memory) and `cruddur serve` on free ports, loads the schema and the
// seed, drives Debian's Chromium through playwright-core, and stops everything at the end.
// Run: cd tests/web && npm ci && node --test   (README.md has the knobs)

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const binPath = (env, fallback) => (env ? path.resolve(env) : path.resolve(here, fallback));
const EDDY_BIN = binPath(process.env.EDDY_BIN, '../../build/bin/eddy');
const CRUDDUR_BIN = binPath(process.env.CRUDDUR_BIN, '../../build/bin/cruddur');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const WEB_DIR = path.join(repo, 'app/web');
// Against a server someone already started and seeded (its page, its data): skips eddy/cruddur.
const EXTERNAL_URL = process.env.CRUDDUR_WEB_URL?.replace(/\/+$/, '');

const REFRESH_LIMIT_MS = 10_000; // the other user's list must show a message within this
const SEEDED_GROUP = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The seeded conversation, oldest first, as the page should show it (without "Person N: ").
const SEEDED_LINES = fs.readFileSync(path.join(repo, 'fixtures/conversation.txt'), 'utf8')
  .split('\n').filter((line) => line.trim()).map((line) => line.replace(/^Person [12]: /, ''));
const SEEDED_LAST = SEEDED_LINES.at(-1);

const execFileP = promisify(execFile);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const report = (line) => console.log(`cruddur-web: ${line}`);

// ---------------------------------------------------------------------------------------------
// Processes

const children = [];

function start(name, bin, args, env) {
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  const keep = (chunk) => {
    child.output = (child.output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.name = name;
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.once('error', (error) => keep(`\n[spawn error] ${error.message}\n`));
  children.push(child);
  return child;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exited.then(() => true), sleep(3000).then(() => false)]);
  if (!done) {
    child.kill('SIGKILL');
    await child.exited;
  }
}

// Even if the test process dies on an uncaught error, leave nothing running.
process.on('exit', () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Polls check() until it returns something truthy; fails with the child's output if the
// child exits first or the deadline passes.
async function waitFor(what, check, { child, timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${child.name} exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${child.output}`);
    }
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}${child ? `\n${child.output}` : ''}`);
}

// Retries an assertion (in Node) until it passes or the timeout is over; rethrows the last failure.
async function eventually(assertion, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------
// Browser helpers

let browser;
const contexts = [];
const pageErrors = [];

async function newPage(label) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${label}: ${error.message}`));
  page.on('console', (message) => {
    // The browser itself logs every non-2xx fetch ("Failed to load resource"); 404s and 401s
    // are expected in some scenarios, so only the page's own errors count.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageErrors.push(`${label}: console.error ${message.text()}`);
    }
  });
  return page;
}

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);
const group = (page, handle) => page.locator(`[data-testid="message-group"][data-handle="${handle}"]`);
const field = (locator, id) => locator.locator(`[data-testid="${id}"]`);

async function signIn(page, handle, displayName) {
  await page.goto(`${baseUrl}/`);
  const button = byTestId(page, `signin-${handle}`);
  assert.equal((await button.textContent()).trim(), `Sign in as ${displayName} (@${handle})`);
  await button.click();
  await page.waitForURL(`${baseUrl}/messages`);
  await eventually(async () => {
    assert.equal(await byTestId(page, 'session-name').textContent(), displayName);
    assert.equal(await byTestId(page, 'session-handle').textContent(), `@${handle}`);
  });
}

// Marks the document; if the page reloads, the mark is gone.
const markDocument = (page) => page.evaluate(() => { window.cruddurTestMark = 'same document'; });
const assertSameDocument = async (page) =>
  assert.equal(await page.evaluate(() => window.cruddurTestMark), 'same document', 'the page reloaded');

// Resolves when handle's entry in the page's conversation list shows text as its last message.
function waitForLastMessage(page, handle, text, timeout = REFRESH_LIMIT_MS) {
  return page.waitForFunction(([h, t]) => {
    const item = document.querySelector(`[data-testid="message-group"][data-handle="${h}"]`);
    return item?.querySelector('[data-testid="last-message"]')?.textContent === t;
  }, [handle, text], { timeout, polling: 25 });
}

// ---------------------------------------------------------------------------------------------
// Setup and teardown

let baseUrl;
let dataDir;

before(async () => {
  if (EXTERNAL_URL) {
    baseUrl = EXTERNAL_URL;
  } else {
    for (const bin of [EDDY_BIN, CRUDDUR_BIN]) {
      assert.ok(fs.existsSync(bin), `${bin} is missing: build it (cmake --build build --target eddy cruddur) or set EDDY_BIN/CRUDDUR_BIN`);
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruddur-web-'));
    const eddyPort = await freePort();
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${eddyPort}`,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'us-east-1',
      CRUDDUR_DATA_DIR: dataDir, // the users' SQLite database (seed reads it too)
    };
    delete env.AWS_ENDPOINT_URL_DYNAMODB;
    delete env.AWS_PROFILE;

    const eddy = start('eddy', EDDY_BIN, ['-port', String(eddyPort), '-inMemory'], env);
    await waitFor('eddy to listen', () => fetch(`http://127.0.0.1:${eddyPort}/`).then(() => true), { child: eddy });

    for (const command of ['schema-load', 'seed']) {
      try {
        await execFileP(CRUDDUR_BIN, [command], { env, timeout: 30_000 });
      } catch (error) {
        throw new Error(`cruddur ${command} failed (${error.code ?? error.signal}):\n${error.stdout}${error.stderr}`);
      }
    }

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const serve = start('cruddur serve', CRUDDUR_BIN,
      ['serve', '--port', String(port), '--data-dir', dataDir, '--web-dir', WEB_DIR], env);
    await waitFor('cruddur serve to answer', async () => (await fetch(`${baseUrl}/api/dev/users`)).ok,
      { child: serve });
  }

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close().catch(() => {});
  for (const child of [...children].reverse()) await stop(child);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Scenarios; each builds on the previous ones (one browser, the same server data).

describe('Cruddur web page', { timeout: 60_000 }, () => {
  let brown; // andrewbrown's page
  let bayko; // bayko's page, in its own browser context (own localStorage)
  let londo;

  it('serves the page and its files on every client-side route', async () => {
    for (const route of ['/', '/signin', '/messages', `/messages/${SEEDED_GROUP}`, '/messages/new/londo']) {
      const response = await fetch(`${baseUrl}${route}`);
      assert.equal(response.status, 200, route);
      assert.match(await response.text(), /<script type="module" src="\/app\.js"><\/script>/, route);
    }
    for (const file of ['/app.js', '/style.css']) {
      const response = await fetch(`${baseUrl}${file}`);
      assert.equal(response.status, 200, file);
      assert.equal(await response.text(), fs.readFileSync(path.join(WEB_DIR, file), 'utf8'), file);
    }
  });

  it('signs in as andrewbrown and lists the conversation with Andrew Bayko', async () => {
    brown = await newPage('andrewbrown');
    await brown.goto(`${baseUrl}/`);
    await brown.waitForURL(`${baseUrl}/signin`);
    for (const [handle, name] of [['andrewbrown', 'Andrew Brown'], ['bayko', 'Andrew Bayko'], ['londo', 'Londo Mollari']]) {
      assert.equal(await byTestId(brown, `signin-${handle}`).textContent(), `Sign in as ${name} (@${handle})`);
    }
    await signIn(brown, 'andrewbrown', 'Andrew Brown');
    assert.ok(await brown.evaluate(() => localStorage.getItem('access_token')), 'token stored');

    // A fresh load of /messages, signed in: the time to first render of the list.
    await brown.goto(`${baseUrl}/messages`);
    const item = group(brown, 'bayko');
    await item.waitFor();
    assert.equal(await byTestId(brown, 'message-group').count(), 1);
    assert.equal(await field(item, 'display-name').textContent(), 'Andrew Bayko');
    assert.equal(await field(item, 'handle').textContent(), '@bayko');
    assert.equal(await field(item, 'last-message').textContent(), SEEDED_LAST);
    assert.notEqual((await field(item, 'time').textContent()).trim(), '');
    assert.equal(await item.getAttribute('href'), `/messages/${SEEDED_GROUP}`);
    const firstRender = await brown.evaluate(() => window.cruddurFirstRenderMs);
    assert.equal(typeof firstRender, 'number');
    report(`time to first render of the conversation list: ${firstRender.toFixed(0)} ms (performance.now() at render, fresh load of /messages)`);

    // Signed in, / goes to the list.
    await brown.goto(`${baseUrl}/`);
    await brown.waitForURL(`${baseUrl}/messages`);
  });

  it('opens the conversation: oldest to newest, ending with the seeded last line', async () => {
    await group(brown, 'bayko').click();
    await brown.waitForURL(`${baseUrl}/messages/${SEEDED_GROUP}`);
    const messages = byTestId(brown, 'message');
    await messages.first().waitFor();
    const texts = await field(messages, 'message-text').allTextContents();
    assert.ok(texts.length > 0 && texts.length <= 20, `${texts.length} messages`);
    assert.deepEqual(texts, SEEDED_LINES.slice(-texts.length), 'the newest seeded lines, oldest first');
    const last = messages.last();
    assert.equal(await field(last, 'display-name').textContent(), 'Andrew Bayko');
    assert.equal(await field(last, 'handle').textContent(), '@bayko');
    assert.ok(SEEDED_LAST.startsWith('Definitely. I think his character is a great example'));
    assert.equal(await field(last, 'message-text').textContent(), SEEDED_LAST);
    assert.match(await byTestId(brown, 'conversation-title').textContent(), /Andrew Bayko\s+@bayko/);
    assert.equal(await group(brown, 'bayko').getAttribute('aria-current'), 'page');

    // The conversation view's first render, on a fresh load.
    await brown.goto(`${baseUrl}/messages/${SEEDED_GROUP}`);
    await messages.first().waitFor();
    const conversationRender = await brown.evaluate(() => window.cruddurFirstConversationRenderMs);
    assert.equal(typeof conversationRender, 'number');
    report(`time to first render of a conversation: ${conversationRender.toFixed(0)} ms (fresh load of /messages/<uuid>)`);
  });

  it('counts characters live and refuses more than 1024', async () => {
    const input = byTestId(brown, 'message-input');
    const counter = byTestId(brown, 'message-counter');
    const send = byTestId(brown, 'send-button');
    assert.equal(await counter.textContent(), '0/1024');
    await input.pressSequentially('Hello');
    assert.equal(await counter.textContent(), '5/1024');
    await input.fill('x'.repeat(1025));
    assert.equal(await counter.textContent(), '1025/1024');
    assert.ok(await send.isDisabled(), 'Send is disabled over 1024');
    assert.match(await counter.getAttribute('class'), /\bover\b/);
    await input.fill('x'.repeat(1024));
    assert.equal(await counter.textContent(), '1024/1024');
    assert.ok(await send.isEnabled(), 'Send is enabled at 1024');
    assert.doesNotMatch(await counter.getAttribute('class'), /\bover\b/);

    // An empty message: the server's 422 ["message_blank"] shown readably.
    await input.fill('');
    await send.click();
    const error = byTestId(brown, 'message-form').locator('[data-testid="error"]');
    await error.waitFor();
    assert.equal(await error.textContent(), 'The message is blank.');
  });

  let sentToBayko;

  it('sends a message: it shows at the bottom, and in bayko\'s list without a reload', async () => {
    bayko = await newPage('bayko');
    await signIn(bayko, 'bayko', 'Andrew Bayko');
    const baykoItem = group(bayko, 'andrewbrown');
    await baykoItem.waitFor();
    assert.equal(await field(baykoItem, 'display-name').textContent(), 'Andrew Brown');
    assert.equal(await field(baykoItem, 'last-message').textContent(), SEEDED_LAST);
    await markDocument(bayko);

    // Markup in a message is text, never HTML.
    sentToBayko = `Hello <b>Bayko</b> & <img src=x onerror="window.cruddurInjected=1"> #${Date.now()}`;
    await byTestId(brown, 'message-input').fill(sentToBayko);
    const refreshed = waitForLastMessage(bayko, 'andrewbrown', sentToBayko);
    const clickedAt = performance.now();
    await byTestId(brown, 'send-button').click();
    await refreshed;
    const latency = performance.now() - clickedAt;
    report(`message-to-list-refresh latency: ${latency.toFixed(0)} ms (andrewbrown clicks Send -> bayko's list shows it; page polls every 1 s)`);
    assert.ok(latency <= REFRESH_LIMIT_MS);
    await assertSameDocument(bayko);
    assert.equal(await byTestId(bayko, 'message-group').first().getAttribute('data-handle'), 'andrewbrown');

    await eventually(async () => {
      const last = byTestId(brown, 'message').last();
      assert.equal(await field(last, 'message-text').textContent(), sentToBayko);
      assert.equal(await field(last, 'handle').textContent(), '@andrewbrown');
      assert.equal(await field(last, 'display-name').textContent(), 'Andrew Brown');
    });
    assert.equal(await byTestId(brown, 'message-input').inputValue(), '');
    assert.equal(await byTestId(brown, 'message-counter').textContent(), '0/1024');
    // The newest message is scrolled into view.
    assert.ok(await byTestId(brown, 'message').last().isVisible());
    assert.equal(await brown.evaluate(() => window.cruddurInjected), undefined);
    assert.equal(await bayko.evaluate(() => window.cruddurInjected), undefined);
    assert.equal(await bayko.locator('[data-testid="message-group"] img, [data-testid="message-group"] b').count(), 0);
  });

  it('bayko opens the conversation and sees the message last', async () => {
    await group(bayko, 'andrewbrown').click();
    await bayko.waitForURL(`${baseUrl}/messages/${SEEDED_GROUP}`);
    await eventually(async () => {
      const last = byTestId(bayko, 'message').last();
      assert.equal(await field(last, 'message-text').textContent(), sentToBayko);
      assert.equal(await field(last, 'handle').textContent(), '@andrewbrown');
    });
  });

  it('starts a new conversation with londo, and londo\'s list gains it', async () => {
    londo = await newPage('londo');
    await signIn(londo, 'londo', 'Londo Mollari');
    await byTestId(londo, 'no-message-groups').waitFor();
    assert.equal(await byTestId(londo, 'message-group').count(), 0);
    await markDocument(londo);

    // From the side list's "New" form.
    await brown.goto(`${baseUrl}/messages`);
    await byTestId(brown, 'new-conversation-handle').fill('@londo');
    await byTestId(brown, 'new-conversation-handle').press('Enter');
    await brown.waitForURL(`${baseUrl}/messages/new/londo`);
    await eventually(async () => assert.equal(
      (await byTestId(brown, 'conversation-title').textContent()).replace(/\s+/g, ' '),
      'New conversation with Londo Mollari (@londo)'));
    assert.equal(await byTestId(brown, 'message-counter').textContent(), '0/1024');

    const text = `Ambassador, a word? #${Date.now()}`;
    await byTestId(brown, 'message-input').fill(text);
    const refreshed = waitForLastMessage(londo, 'andrewbrown', text);
    const clickedAt = performance.now();
    await byTestId(brown, 'send-button').click();
    await brown.waitForURL((url) => /^\/messages\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new/londo'));
    const newGroup = new URL(brown.url()).pathname.split('/').at(-1);
    assert.match(newGroup, UUID);
    assert.notEqual(newGroup, SEEDED_GROUP);
    await eventually(async () => {
      const texts = await byTestId(brown, 'message-text').allTextContents();
      assert.deepEqual(texts, [text]);
    });
    await refreshed;
    report(`new-conversation-to-list latency: ${(performance.now() - clickedAt).toFixed(0)} ms (andrewbrown sends to londo -> londo's list shows it)`);
    await assertSameDocument(londo);
    const item = group(londo, 'andrewbrown');
    assert.equal(await field(item, 'display-name').textContent(), 'Andrew Brown');
    assert.equal(await item.getAttribute('href'), `/messages/${newGroup}`);

    // andrewbrown's own list now has both conversations, londo's (newest) first.
    await eventually(async () => assert.deepEqual(
      await byTestId(brown, 'message-group').evaluateAll((items) => items.map((i) => i.dataset.handle)),
      ['londo', 'bayko']));
  });

  it('says so for an unknown handle', async () => {
    await brown.goto(`${baseUrl}/messages/new/nosuchuser`);
    const error = byTestId(brown, 'error');
    await error.waitFor();
    assert.equal(await error.textContent(), 'No user @nosuchuser');
    assert.equal(await byTestId(brown, 'message-input').count(), 0);
  });

  it('sends to sign-in on a 401, and signs out', async () => {
    const stale = await newPage('stale token');
    await stale.goto(`${baseUrl}/signin`);
    await stale.evaluate(() => {
      localStorage.setItem('access_token', 'not-a-token');
      localStorage.setItem('user', JSON.stringify({ handle: 'andrewbrown', display_name: 'Andrew Brown' }));
    });
    await stale.goto(`${baseUrl}/messages`);
    await stale.waitForURL(`${baseUrl}/signin`);
    await byTestId(stale, 'signin-andrewbrown').waitFor();
    assert.equal(await stale.evaluate(() => localStorage.getItem('access_token')), null);

    await byTestId(brown, 'signout').click();
    await brown.waitForURL(`${baseUrl}/signin`);
    await byTestId(brown, 'signin-bayko').waitFor();
    assert.equal(await brown.evaluate(() => localStorage.getItem('access_token')), null);
    assert.ok(await byTestId(brown, 'session').isHidden());
  });

  it('raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
