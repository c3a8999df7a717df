import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { expect, Page } from '@playwright/test';

export const PASSWORD = 'Rekey-demo-2026';

/**
 * Signs in (with the demo password unless told). When self-service reset is on, sign-in may
 * continue into the registration wizard; unless the test is about it (`keepWizard`), it is
 * skipped, as a user in a hurry would.
 */
export async function signIn(page: Page, name: string, start = '/', { keepWizard = false, password = PASSWORD } = {}) {
  await page.goto(start);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Sign-in name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toHaveCount(0);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toBeVisible();
  if (!keepWizard && (await heading.innerText()) === 'Keep your account secure') {
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await expect(page.getByRole('heading', { name: 'Keep your account secure' })).toHaveCount(0);
    // An admin skips into the admin centre, another bundle: a new page load that a test's own
    // navigation must not race, so wait for that page's heading.
    await expect(heading).toBeVisible();
  }
}

/**
 * Signs out from any screen and waits for the sign-in page: from the admin centre that is a
 * new page load (another bundle), which a test must not race with a navigation of its own.
 */
export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

/** On a phone the navigation sits behind the Menu button. */
export async function navigate(page: Page, link: string) {
  // Wait for the admin frame; at phone width the navigation is hidden until Menu is pressed.
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Admin centre' });
  const menu = page.getByRole('button', { name: 'Menu' });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) === 'false') {
    await menu.click();
  }
  await nav.getByRole('link', { name: link, exact: true }).click();
}

/** Settings › Org settings › Security & privacy › Self-service password reset. */
export async function openSsprSettings(page: Page) {
  await navigate(page, 'Org settings');
  await expect(page.getByRole('heading', { name: 'Org settings' })).toBeVisible();
  await page.getByRole('tab', { name: 'Security & privacy' }).click();
  await page.getByRole('link', { name: /Self-service password reset/ }).click();
  await expect(page.getByRole('heading', { name: 'Self-service password reset' })).toBeVisible();
}

/** Chooses a scope and saves, unless it is already the saved one. */
export async function saveScope(page: Page, scope: 'None' | 'All') {
  await page.getByRole('radio', { name: scope, exact: true }).check();
  const save = page.getByRole('button', { name: 'Save' });
  if (await save.isEnabled()) {
    await save.click();
    await expect(page.getByText('Saved.')).toBeVisible();
  }
}

// ---------------------------------------------------------------------------------------------
// Delivery sinks (tests/e2e/sinks.mjs): a local SMTP server and SMS receiver the Rekey servers
// deliver to during the browser tests.

export const SINKS_URL = process.env.E2E_SINKS_URL ?? 'http://127.0.0.1:18090';

export interface SinkEmail {
  /** Envelope and To/Cc recipients, lower-cased. */
  to: string[];
  from: string;
  subject: string;
  /** Decoded text part (quoted-printable and base64 undone); HTML-only mail leaves this empty. */
  text: string;
  html: string;
  /** ms since the epoch, by the sink's clock (same machine). */
  receivedAt: number;
}

export interface SinkSms {
  to: string;
  body: string;
  from: string;
  /** 'webhook' (POST /sms) or 'twilio' (Twilio-style Messages.json). */
  provider: string;
  /** The Authorization header the sender used, verbatim. */
  authorization: string;
  receivedAt: number;
}

async function sinkGet<T>(path: string): Promise<T> {
  const res = await fetch(`${SINKS_URL}${path}`);
  if (!res.ok) throw new Error(`GET ${path} from the sinks: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every email the SMTP sink holds for this address, oldest first. */
export function emailsTo(to: string): Promise<SinkEmail[]> {
  return sinkGet(`/messages/email?to=${encodeURIComponent(to)}`);
}

/** Every SMS the sink holds for this number (matched by digits), oldest first. */
export function smsTo(to: string): Promise<SinkSms[]> {
  return sinkGet(`/messages/sms?to=${encodeURIComponent(to)}`);
}

/** Forgets every email and SMS in the sinks. */
export async function clearMessages(): Promise<void> {
  const res = await fetch(`${SINKS_URL}/messages`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`DELETE /messages on the sinks: ${res.status}`);
}

const EIGHT_DIGITS = /(?<!\d)\d{8}(?!\d)/;

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ');
}

async function pollForCode<T extends { receivedAt: number }>(
  what: string,
  list: () => Promise<T[]>,
  content: (m: T) => string,
  since: number,
): Promise<string> {
  const deadline = Date.now() + 15_000;
  let seen: T[] = [];
  for (;;) {
    seen = (await list()).filter((m) => m.receivedAt >= since);
    for (let i = seen.length - 1; i >= 0; i--) {
      const match = EIGHT_DIGITS.exec(content(seen[i]));
      if (match) return match[0];
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `No 8-digit code in ${what} within 15 s` +
      (seen.length ? `; received: ${JSON.stringify(seen.map(content))}` : '; nothing received'),
  );
}

/**
 * The code in the newest email to `to` received at or after `since` (ms epoch, default 0) that
 * holds an 8-digit run; polls the sink every 250 ms for up to 15 s. Reads the text part, or the
 * HTML with tags stripped when there is no text part.
 */
export function latestEmailCode(to: string, since = 0): Promise<string> {
  return pollForCode(
    `email to ${to}`,
    () => emailsTo(to),
    (m) => (m.text.trim() ? m.text : htmlToText(m.html)),
    since,
  );
}

/** As latestEmailCode, for the newest SMS to `to`. */
export function latestSmsCode(to: string, since = 0): Promise<string> {
  return pollForCode(`SMS to ${to}`, () => smsTo(to), (m) => m.body, since);
}

// ---------------------------------------------------------------------------------------------
// TOTP

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, case-insensitive; spaces, hyphens and '=' padding are ignored. */
export function base32Decode(input: string): Buffer {
  const clean = input.replace(/[\s=-]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/**
 * RFC 6238 TOTP (HMAC-SHA-1, 30 s step, T0 = 0) for a base32 secret at `at` (ms epoch, default
 * now). `digits` is 6 unless told.
 */
export function totp(secretBase32: string, at: number = Date.now(), digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

// ---------------------------------------------------------------------------------------------
// Setting up state through the API as an admin, where a test is about something else.

import { request as apiRequest } from '@playwright/test';

export interface Api {
  get(path: string): Promise<any>;
  send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, expected?: number): Promise<any>;
  dispose(): Promise<void>;
}

/** Signs in over the API (no browser); requests carry the session and its CSRF token. */
export async function apiAs(baseURL: string, name: string): Promise<Api> {
  const api = await apiRequest.newContext({ baseURL });
  const session = await api.post('api/session', { data: { sign_in_name: name, password: PASSWORD } });
  expect(session.status(), `API sign-in of ${name}`).toBe(200);
  const csrf = (await session.json()).csrf_token as string;
  return {
    get: async (path) => (await api.get(`api${path}`)).json(),
    send: async (method, path, body, expected) => {
      const r = await api.fetch(`api${path}`, { method, data: body, headers: { 'x-csrf-token': csrf } });
      if (expected !== undefined) expect(r.status(), `${method} ${path}: ${await r.text()}`).toBe(expected);
      return r.status() === 204 ? null : r.json();
    },
    dispose: () => api.dispose(),
  };
}

/** Signs in as the Global admin over the API; calls `change` with a PUT helper. */
export async function asAdmin(baseURL: string, change: (put: (path: string, body: unknown) => Promise<void>) => Promise<void>) {
  const api = await apiAs(baseURL, 'global.admin@contoso.example');
  await change(async (path, body) => {
    await api.send('PUT', path, body, 200);
  });
  await api.dispose();
}

/** An admin fills in a user's authentication email and/or phone (replacing what is there). */
export async function prefillContact(baseURL: string, name: string, contact: { email?: string; phone?: string }) {
  const api = await apiAs(baseURL, 'global.admin@contoso.example');
  const users = await api.get(`/users?q=${encodeURIComponent(name)}`);
  await api.send('PUT', `/users/${users.items[0].id}/contact-info`, contact, 200);
  await api.dispose();
}

export const DEFAULT_METHODS = {
  methods_required: 1, email: true, mobile_phone: true, authenticator_app: false, security_questions: false,
  questions_to_register: 3, questions_to_reset: 3, custom_questions: [], allow_unlock: true,
};

/**
 * Users a test creates over the API (demo password), deleted by `deleteAll` after it so the
 * directory is as the demo seeded it.
 */
export class TestUsers {
  private ids: string[] = [];

  /** Creates a user; `extra` adds to or overrides the request (roles, group_ids, password). */
  async create(baseURL: string, name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const api = await apiAs(baseURL, 'global.admin@contoso.example');
    const result = await api.send('POST', '/users', {
      sign_in_name: name,
      display_name: displayName(name),
      password: { password: PASSWORD, require_change: false },
      ...extra,
    }, 201);
    await api.dispose();
    this.ids.push(result.user.id);
    return result.user.id;
  }

  /** Deletes it with the rest after the test (for users created through the page). */
  remember(id: string) {
    this.ids.push(id);
  }

  async deleteAll(baseURL: string) {
    const api = await apiAs(baseURL, 'global.admin@contoso.example');
    for (const id of this.ids) await api.send('DELETE', `/users/${id}`, undefined, 204);
    await api.dispose();
    this.ids = [];
  }
}

/** "reset.desktop@contoso.example" shows as "Reset Desktop". */
export function displayName(name: string): string {
  return name
    .split('@')[0]
    .split('.')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join(' ');
}

/** The page fits its viewport: no horizontal scrolling. */
export async function expectFits(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** Types a code into the labelled box and verifies it. */
export async function codeInto(page: Page, label: string, code: string) {
  await page.getByLabel(label).fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
}

/** Registers an authenticator app from Security info or the wizard, reading its key. */
export async function registerApp(page: Page) {
  const add = page.getByRole('button', { name: 'Add Authenticator app' });
  await add.click();
  // One step: the key is there at once, and the Add button gives way to its form.
  await expect(page.getByRole('img', { name: /QR/i })).toBeVisible();
  await expect(add).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Open in authenticator app' })).toHaveAttribute('href', /^otpauth:\/\/totp\//);
  const secret = (await page.locator('code.secret').innerText()).replace(/\s+/g, '');
  await codeInto(page, '6-digit code', totp(secret));
  await expect(page.getByText('Authenticator app saved.')).toBeVisible();
}

/**
 * Whether a directory itself takes this password (a bind and a read of its root entry, as any
 * application signing in there would), not going through Rekey.
 */
export function directoryAccepts(url: string, caFile: string, bindName: string, password: string): boolean {
  try {
    execFileSync('ldapsearch', ['-x', '-H', url, '-D', bindName, '-w', password, '-b', '', '-s', 'base'], {
      env: { ...process.env, LDAPTLS_CACERT: caFile },
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/** From the sign-in page through "I forgot my password" and an emailed code, to "Choose a new password". */
export async function forgotByEmail(page: Page, name: string, email: string) {
  await page.goto('/');
  await page.getByRole('link', { name: "Can't access your account?" }).click();
  await page.getByLabel('Sign-in name').fill(name);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'I forgot my password' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /^Email/ }).check();
  await page.getByLabel('Email address').fill(email);
  const since = Date.now();
  await page.getByRole('button', { name: 'Send code' }).click();
  await codeInto(page, '8-digit code', await latestEmailCode(email, since));
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
}
