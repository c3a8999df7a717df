import { expect, Page, test } from '@playwright/test';
import { expectNoViolations } from './axe';
import { apiAs, asAdmin, navigate, PASSWORD, signIn, signOut, TestUsers } from './helpers';

const NEW_PASSWORD = 'Tangerine-Kite-47';
const NEVER_EXPIRE = { expires: false, max_age_days: 90, notice_days: 14 };
const EXPIRE_AFTER_90 = { expires: true, max_age_days: 90, notice_days: 14 };
const DEFAULT_POLICY = { min_length: 8, custom_banned: [], require_character_classes: false, history: 0 };

const users = new TestUsers();

/** A user of this test's own, with the demo password (to change at first sign-in if asked). */
async function createUser(baseURL: string, name: string, requireChange: boolean): Promise<string> {
  await users.create(baseURL, name, { password: { password: PASSWORD, require_change: requireChange } });
  return name;
}

test.afterEach(async ({ baseURL }) => {
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/password-expiry', NEVER_EXPIRE);
    await put('/settings/password-policy', DEFAULT_POLICY);
  });
  await users.deleteAll(baseURL!);
});

/** Settings › Org settings › Security & privacy › one item, loaded. */
async function openOrgSetting(page: Page, item: RegExp, heading: string) {
  await navigate(page, 'Org settings');
  await page.getByRole('tab', { name: 'Security & privacy' }).click();
  await page.getByRole('link', { name: item }).click();
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  await expect(page.getByText('Loading…')).toHaveCount(0);
}

/** Fills the change-password form and sends it. */
async function changePassword(page: Page, current: string, next: string) {
  await page.getByLabel('Current password').fill(current);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Confirm new password').fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
}

test('an admin sets the expiration policy; the page says what it will do, and it is kept', async ({ page }) => {
  await signIn(page, 'global.admin@contoso.example');
  await openOrgSetting(page, /Password expiration/, 'Password expiration');
  const maxAge = page.getByLabel('Passwords expire after this many days');
  const notice = page.getByLabel('Notify users this many days before');
  await expect(page.getByRole('radio', { name: 'Passwords never expire' })).toBeChecked();
  await expect(maxAge).toBeDisabled();

  await page.getByRole('radio', { name: 'Passwords expire after a number of days' }).check();
  await maxAge.fill('120');
  const impact = page.getByRole('status').filter({ hasText: /users covered/ });
  await expect(impact).toContainText(/^Of [\d,]+ users covered, .*older than 120 days/);
  await expect(impact).toContainText('will get a notice by email.');
  // The numbers are checked as they are typed, and the sentence follows them.
  await notice.fill('31');
  await expect(page.getByText('This number is outside the allowed range.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
  await notice.fill('0');
  await expect(page.getByText('This number is outside the allowed range.')).toHaveCount(0);
  await expect(impact).not.toContainText('notice');
  await maxAge.fill('90');
  await expect(impact).toContainText('older than 90 days');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('radio', { name: 'Passwords expire after a number of days' })).toBeChecked();
  await expect(maxAge).toHaveValue('90');
  await expect(notice).toHaveValue('0');
  await expect(impact).toContainText('older than 90 days');
});

test('a user whose password must change signs in to the change, and nothing else opens until it is done', async ({ page, baseURL }, testInfo) => {
  // The demo's expired user (a password set 400 days ago) at desktop size; at phone size, a
  // user whose password an admin set, to be changed at first sign-in.
  let name = 'expired.user@contoso.example';
  let why = 'Your password has expired.';
  if (testInfo.project.name === 'phone') {
    name = await createUser(baseURL!, 'forced.phone@contoso.example', true);
    why = 'An administrator set your password.';
  } else {
    await asAdmin(baseURL!, async (put) => put('/settings/password-expiry', EXPIRE_AFTER_90));
  }

  await signIn(page, name);
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  await expect(page.getByText(why)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  for (const elsewhere of ['/account', '/account/security-info', '/account/password', '/register']) {
    await page.goto(elsewhere);
    await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  }

  await changePassword(page, PASSWORD, NEW_PASSWORD);
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  // The page it lands on says the change went through, once.
  await expect(page.getByRole('status').getByText('Your password has been changed.')).toBeVisible();
  await expectNoViolations(page, 'my account, after the forced change');
  await page.goto('/account/security-info');
  await expect(page.getByText('Your password has been changed.')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Security info' })).toBeVisible();
});

test('a signed-in user changes their password: a wrong current one is refused on its field, other sessions end', async ({ page, baseURL }, testInfo) => {
  const name = await createUser(baseURL!, `change.${testInfo.project.name}@contoso.example`, false);
  const elsewhere = await apiAs(baseURL!, name);

  await signIn(page, name);
  await page.getByRole('link', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'Change password' })).toBeVisible();
  const current = page.getByLabel('Current password');
  await expect(current).toHaveAttribute('autocomplete', 'current-password');
  await expect(page.getByLabel('New password', { exact: true })).toHaveAttribute('autocomplete', 'new-password');

  await changePassword(page, 'Not-my-password-9', NEW_PASSWORD);
  await expect(page.locator('#current_password-error')).toHaveText('This is not your current password.');
  await expect(current).toHaveAttribute('aria-invalid', 'true');

  await changePassword(page, PASSWORD, NEW_PASSWORD);
  await expect(page.getByText('Your password has been changed. Your other sessions were signed out')).toBeVisible();
  // This session goes on; the one signed in elsewhere has ended.
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  expect((await elsewhere.get('/session')).error?.code).toBe('unauthenticated');
  await elsewhere.dispose();

  await signOut(page);
  await signIn(page, name, '/', { password: NEW_PASSWORD });
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
});

test('an admin turns on the character-class rule and history; a new password is checked as it is typed', async ({ page, baseURL }, testInfo) => {
  await signIn(page, 'global.admin@contoso.example');
  await openOrgSetting(page, /Password policy/, 'Password policy');
  const classes = page.getByRole('checkbox', { name: 'Require three kinds of characters' });
  await expect(classes).not.toBeChecked();
  await expect(page.getByText(/NIST SP 800-63B advises against/)).toBeVisible();
  const history = page.getByLabel('Password history');
  await history.fill('25');
  await expect(page.getByText('This number is outside the allowed range.')).toBeVisible();
  await history.fill('3');
  await classes.check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(classes).toBeChecked();
  await expect(history).toHaveValue('3');
  await signOut(page);

  const name = await createUser(baseURL!, `classes.${testInfo.project.name}@contoso.example`, false);
  await signIn(page, name);
  await page.goto('/account/password');
  await expect(page.getByRole('heading', { name: 'Change password' })).toBeVisible();
  const password = page.getByLabel('New password', { exact: true });
  await password.fill('tangerine kite orbit');
  await password.blur();
  await expect(page.locator('#password-error')).toHaveText(/Use at least three of/);
  await password.fill(NEW_PASSWORD);
  await expect(page.locator('#password-error')).toBeEmpty();
  // History only the server knows: the current password is the first one remembered.
  await changePassword(page, PASSWORD, PASSWORD);
  await expect(page.locator('#password-error')).toHaveText(/You used this password recently/);
});
