import { expect, Page, test } from '@playwright/test';
import { DEFAULT_METHODS, PASSWORD, TestUsers, apiAs, asAdmin, emailsTo, latestEmailCode, latestSmsCode, prefillContact, totp } from './helpers';

// Every reset is walked at a phone size; the plain email reset on a desktop too.
const phoneOnly = (project: string) => test.skip(project !== 'phone', 'a phone-size journey');

test.beforeEach(async ({ baseURL }) => {
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr', { scope: 'all' });
    await put('/settings/sspr/methods', { ...DEFAULT_METHODS, authenticator_app: true });
    await put('/settings/sspr/customization', { custom_helpdesk: true, helpdesk_contact: 'helpdesk@contoso.example' });
  });
});

const users = new TestUsers();

test.afterEach(async ({ baseURL }) => {
  await users.deleteAll(baseURL!);
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr/methods', DEFAULT_METHODS);
    await put('/settings/sspr/customization', { custom_helpdesk: false, helpdesk_contact: '' });
    await put('/settings/sspr', { scope: 'none' });
  });
});

/** From the sign-in page to "What do you need?" (or the gates, for an unknown choice). */
async function startReset(page: Page, name: string) {
  await page.goto('/');
  await page.getByRole('link', { name: "Can't access your account?" }).click();
  await expect(page.getByRole('heading', { name: 'Who are you?' })).toBeVisible();
  await page.getByLabel('Sign-in name').fill(name);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'What do you need?' })).toBeVisible();
}

async function choose(page: Page, intent: 'I forgot my password' | "I know my password, but can't sign in") {
  await page.getByRole('radio', { name: intent }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
}

async function emailGate(page: Page, address: string) {
  await page.getByRole('radio', { name: /^Email/ }).check();
  await page.getByLabel('Email address').fill(address);
  const since = Date.now();
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('8-digit code').fill(await latestEmailCode(address, since));
  await page.getByRole('button', { name: 'Verify' }).click();
}

async function signInWith(page: Page, name: string, password: string) {
  await page.goto('/');
  await page.getByLabel('Sign-in name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const NEW_PASSWORD = 'Tangerine-Kite-47';

test('a user resets by an emailed code and signs in with the new password; the old one fails', async ({ page, baseURL }, testInfo) => {
  const name = testInfo.project.name === 'phone' ? 'lee.gu@contoso.example' : 'adele.vance@contoso.example';
  const email = `reset.${testInfo.project.name}@home.example`;
  await prefillContact(baseURL!, name, { email });

  // The browser check runs with a progress bar and a status for screen readers, and says
  // nothing technical once it is done.
  await page.goto('/reset');
  await expect(page.locator('.puzzle-done')).toBeAttached();
  await expect(page.getByRole('status').filter({ hasText: /checked|checking/i })).toHaveCount(0);
  await startReset(page, name);
  await choose(page, 'I forgot my password');
  await expect(page.getByText('Step 1 of 1')).toBeVisible();
  await emailGate(page, email);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  // The shared rules answer as you type: the organisation's name makes a weak password.
  await page.getByLabel('New password', { exact: true }).fill('Contoso2026!');
  await page.getByLabel('Confirm new password').fill('Contoso2026!');
  await expect(page.getByText(/too easy to guess/)).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  await expect(page.getByText(/too easy to guess/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password has been reset' })).toBeVisible();

  // The way back to sign-in has the name filled in; the password is next.
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Sign-in name')).toHaveValue(name);
  const password = page.getByLabel('Password');
  await expect(password).toBeFocused();
  await password.fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('The sign-in name or password is incorrect.')).toBeVisible();
  await password.fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('an admin needs two gates and resets with a texted code and an authenticator app', async ({ page, baseURL }, testInfo) => {
  phoneOnly(testInfo.project.name);
  // An admin of this test's own: the new password stays with it.
  const name = 'reset.reader@contoso.example';
  await users.create(baseURL!, name, { roles: ['reports_reader'] });
  const phone = '+14255550188';
  // Registered beforehand through the API: a phone and an authenticator app.
  const api = await apiAs(baseURL!, name);
  let since = Date.now();
  await api.send('POST', '/me/security-info/mobile_phone/send', { destination: phone }, 202);
  await api.send('POST', '/me/security-info/mobile_phone/verify', { code: await latestSmsCode(phone, since) }, 200);
  const { secret } = await api.send('POST', '/me/security-info/authenticator_app/start', {}, 200);
  const enrolled = totp(secret);
  await api.send('POST', '/me/security-info/authenticator_app/verify', { code: enrolled }, 200);
  await api.dispose();

  await startReset(page, name);
  await choose(page, 'I forgot my password');
  // Until a gate is passed an admin looks like anyone: the organisation's one step.
  await expect(page.getByText('Step 1 of 1')).toBeVisible();
  await page.getByRole('radio', { name: /^Mobile phone/ }).check();
  since = Date.now();
  await page.getByLabel('Mobile number').fill('+1 425 555 0188');
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('8-digit code').fill(await latestSmsCode(phone, since));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Step 2 of 2')).toBeVisible();
  await page.getByRole('radio', { name: /^Authenticator app/ }).check();
  // The code used at enrolment does not count twice, and the page says why.
  await page.getByLabel('6-digit code').fill(enrolled);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('That code was already used. Each code works once: wait for the next one in your app.')).toBeVisible();
  await page.getByLabel('6-digit code').fill(totp(secret, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('Marble-violet-canyon-9');
  await page.getByLabel('Confirm new password').fill('Marble-violet-canyon-9');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password has been reset' })).toBeVisible();
});

test('wrong codes use up the tries and block reset for the day', async ({ page, baseURL }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const name = 'diego.siciliani@contoso.example';
  await prefillContact(baseURL!, name, { email: 'diego.blocked@home.example' });
  await startReset(page, name);
  await choose(page, 'I forgot my password');
  await page.getByRole('radio', { name: /^Email/ }).check();
  await page.getByLabel('Email address').fill('diego.blocked@home.example');
  await page.getByRole('button', { name: 'Send code' }).click();
  for (const left of [4, 3, 2, 1]) {
    await page.getByLabel('8-digit code').fill('00000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByText(`Tries left: ${left}.`)).toBeVisible();
  }
  await page.getByLabel('8-digit code').fill('00000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Reset is blocked for now' })).toBeVisible();
  // Where to get help: the organisation's helpdesk address.
  await expect(page.getByRole('link', { name: 'helpdesk@contoso.example' })).toHaveAttribute('href', 'mailto:helpdesk@contoso.example');

  // A new attempt is blocked too.
  await startReset(page, name);
  await choose(page, 'I forgot my password');
  await page.getByRole('radio', { name: /^Email/ }).check();
  await page.getByLabel('Email address').fill('diego.blocked@home.example');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('heading', { name: 'Reset is blocked for now' })).toBeVisible();
});

test('a locked-out user unlocks their account and keeps their password', async ({ page, baseURL, request }, testInfo) => {
  phoneOnly(testInfo.project.name);
  const name = 'alex.wilber@contoso.example';
  await prefillContact(baseURL!, name, { email: 'alex.unlock@home.example' });
  for (let i = 0; i < 10; i++) {
    await request.post('api/session', { data: { sign_in_name: name, password: 'wrong' } });
  }
  const locked = await request.post('api/session', { data: { sign_in_name: name, password: PASSWORD } });
  expect(locked.status()).toBe(429);

  await startReset(page, name);
  await choose(page, "I know my password, but can't sign in");
  await emailGate(page, 'alex.unlock@home.example');
  await expect(page.getByRole('heading', { name: 'Unlock your account' })).toBeVisible();
  await page.getByRole('button', { name: 'Unlock my account' }).click();
  await expect(page.getByRole('heading', { name: 'Your account is unlocked' })).toBeVisible();
  // Alex was told of both at the address on file, with the way forward in the first.
  const subjects = async () => (await emailsTo('alex.unlock@home.example')).map((m) => m.subject);
  await expect.poll(subjects).toContainEqual(expect.stringMatching(/account is locked for now$/));
  await expect.poll(subjects).toContainEqual(expect.stringMatching(/account is unlocked$/));
  const notice = (await emailsTo('alex.unlock@home.example')).find((m) => /locked for now/.test(m.subject))!;
  expect(notice.text).toContain("I know my password, but can't sign in");
  await signInWith(page, name, PASSWORD);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('an unknown name walks the same screens and fails where a wrong code fails', async ({ page, baseURL }, testInfo) => {
  phoneOnly(testInfo.project.name);
  // With email the only method, a decoy offers it as a real account would.
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr/methods', { ...DEFAULT_METHODS, mobile_phone: false, passkey: false });
  });
  await startReset(page, 'nobody.here@contoso.example');
  await choose(page, 'I forgot my password');
  await expect(page.getByText('Step 1 of 1')).toBeVisible();
  await expect(page.getByRole('radio', { name: /^Email/ })).toBeChecked();
  // No hint: the whole address is typed, and the answer is the same whether it matches.
  await expect(page.getByText(/•••/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText('This field is required.')).toBeVisible();
  await page.getByLabel('Email address').fill('nobody@home.example');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText(/If the address matches the one on file, we emailed a code to n•••@home\.example/)).toBeVisible();
  await page.getByLabel('8-digit code').fill('12345678');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('That is not right. Check it and try again.')).toBeVisible();
  await expect(page.getByText('Tries left: 4.')).toBeVisible();
});

test('a wrong security answer brings the same questions back, and the page says so truthfully', async ({ page, baseURL }) => {
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr/methods', { ...DEFAULT_METHODS, security_questions: true });
  });
  // Three questions registered, three asked: a new selection is the same three.
  const name = 'reset.questions@contoso.example';
  await users.create(baseURL!, name);
  const api = await apiAs(baseURL!, name);
  const answers = [['builtin-01', 'Fluffy'], ['builtin-05', 'Ace'], ['builtin-07', 'Robo']];
  await api.send('PUT', '/me/security-info/security_questions', {
    answers: answers.map(([question_id, answer]) => ({ question_id, answer })),
  }, 200);
  await api.dispose();

  await startReset(page, name);
  await choose(page, 'I forgot my password');
  await page.getByRole('radio', { name: /^Security questions/ }).check();
  const boxes = page.getByRole('textbox');
  await expect(boxes).toHaveCount(3);
  for (const [n, box] of (await boxes.all()).entries()) await box.fill(`wrong answer ${n}`);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Answer your questions again; they may come in another order.')).toBeVisible();
  await expect(page.getByText('We picked different questions.')).toHaveCount(0);
});
