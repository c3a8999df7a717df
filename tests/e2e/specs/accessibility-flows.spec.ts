import { expect, Locator, Page, test } from '@playwright/test';
import { expectNoViolations } from './axe';
import { DEFAULT_METHODS, PASSWORD, TestUsers, asAdmin, latestEmailCode, prefillContact, signIn } from './helpers';

// The user-facing flows, every step and error state, checked by axe in both themes; and the
// reset flow done with the keyboard alone. Users are this spec's own, one set per project.

test.beforeEach(async ({ baseURL }) => {
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr', { scope: 'all' });
    await put('/settings/sspr/methods', DEFAULT_METHODS);
  });
});

const users = new TestUsers();

test.afterEach(async ({ baseURL }) => {
  await users.deleteAll(baseURL!);
  await asAdmin(baseURL!, async (put) => put('/settings/sspr', { scope: 'none' }));
});

/** A user of this test's own with an email on file; `extra` as for TestUsers.create. */
async function resetUser(baseURL: string, who: string, project: string, extra = {}) {
  const name = `a11y.${who}.${project}@contoso.example`;
  const email = `a11y.${who}.${project}@home.example`;
  await users.create(baseURL, name, extra);
  await prefillContact(baseURL, name, { email });
  return { name, email };
}

const NEW_PASSWORD = 'Lantern-Orchid-83';

test('every step of the reset flow, with its errors, has no accessibility violations', async ({ page, baseURL }, testInfo) => {
  const { name, email } = await resetUser(baseURL!, 'reset', testInfo.project.name);
  await page.goto('/reset');
  await expect(page.getByRole('heading', { name: 'Who are you?' })).toBeVisible();
  await expectNoViolations(page, 'who are you');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('This field is required.')).toBeVisible();
  await expectNoViolations(page, 'who are you, empty');
  await page.getByLabel('Sign-in name').fill(name);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'What do you need?' })).toBeVisible();
  await expectNoViolations(page, 'what do you need');
  await page.getByRole('radio', { name: 'I forgot my password' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
  await expectNoViolations(page, 'gates');
  await page.getByRole('radio', { name: /^Email/ }).check();
  await page.getByLabel('Email address').fill(email);
  await expectNoViolations(page, 'gates, email typed');
  const since = Date.now();
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByLabel('8-digit code')).toBeVisible();
  await expectNoViolations(page, 'gates, code sent');
  await page.getByLabel('8-digit code').fill('00000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Tries left: 4.')).toBeVisible();
  await expectNoViolations(page, 'gates, wrong code');
  await page.getByLabel('8-digit code').fill(await latestEmailCode(email, since));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expectNoViolations(page, 'new password');
  await page.getByLabel('New password', { exact: true }).fill('Contoso2026!');
  await page.getByLabel('Confirm new password').fill('Contoso');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByText('The two passwords do not match.')).toBeVisible();
  await expectNoViolations(page, 'new password, refused');
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password has been reset' })).toBeVisible();
  await expectNoViolations(page, 'done');

  // Five wrong codes block reset for the day (another user: a code was just sent to this one).
  const blocked = await resetUser(baseURL!, 'blocked', testInfo.project.name);
  await page.goto('/reset');
  await page.getByLabel('Sign-in name').fill(blocked.name);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'I forgot my password' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /^Email/ }).check();
  await page.getByLabel('Email address').fill(blocked.email);
  await page.getByRole('button', { name: 'Send code' }).click();
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('8-digit code').fill('00000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    if (i < 4) await expect(page.getByText(`Tries left: ${4 - i}.`)).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: 'Reset is blocked for now' })).toBeVisible();
  await expectNoViolations(page, 'blocked');
});

test('the registration wizard and security info, with an editor open, have no accessibility violations', async ({ page, baseURL }, testInfo) => {
  const name = `a11y.register.${testInfo.project.name}@contoso.example`;
  await users.create(baseURL!, name);
  await signIn(page, name, '/', { keepWizard: true });
  await expect(page.getByRole('heading', { name: 'Keep your account secure' })).toBeVisible();
  await expectNoViolations(page, 'registration wizard');
  await page.getByRole('button', { name: 'Add Email' }).click();
  await page.getByLabel('Email address').fill(`a11y.register.${testInfo.project.name}@home.example`);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByLabel('8-digit code')).toBeVisible();
  await expectNoViolations(page, 'registration wizard, code sent');
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.goto('/account/security-info');
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await expectNoViolations(page, 'security info');
  await page.getByRole('button', { name: 'Add Mobile phone' }).click();
  await page.getByLabel('Mobile number').fill('12345');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText(/international form/)).toBeVisible();
  await expectNoViolations(page, 'security info, phone refused');
});

test('the forced change, with errors, has no accessibility violations', async ({ page, baseURL }, testInfo) => {
  const name = `a11y.forced.${testInfo.project.name}@contoso.example`;
  await users.create(baseURL!, name, { password: { password: PASSWORD, require_change: true } });
  await signIn(page, name);
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  await expectNoViolations(page, 'forced change');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('This field is required.').first()).toBeVisible();
  await expectNoViolations(page, 'forced change, empty');
});

/** Presses Tab until `target` has focus (at most 40 times). */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

test('the reset flow can be done with the keyboard alone', async ({ page, baseURL }, testInfo) => {
  const { name, email } = await resetUser(baseURL!, 'keys', testInfo.project.name);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeFocused();
  await tabTo(page, page.getByRole('link', { name: "Can't access your account?" }));
  await page.keyboard.press('Enter');
  // Each new screen puts focus on its heading.
  await expect(page.getByRole('heading', { name: 'Who are you?' })).toBeFocused();
  await tabTo(page, page.getByLabel('Sign-in name'));
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'What do you need?' })).toBeFocused();
  // Into the radio group, then arrows: the second option and back to the first.
  await tabTo(page, page.getByRole('radio', { name: 'I forgot my password' }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: "I know my password, but can't sign in" })).toBeChecked();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('radio', { name: 'I forgot my password' })).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeFocused();
  // Every name is offered the organisation's methods: Tab reaches the chosen one, arrows the rest.
  await tabTo(page, page.getByRole('radio', { checked: true }));
  for (let i = 0; i < 4 && !(await page.getByRole('radio', { name: /^Email/ }).isChecked()); i++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(page.getByRole('radio', { name: /^Email/ })).toBeChecked();
  await tabTo(page, page.getByLabel('Email address'));
  await page.keyboard.type(email);
  const since = Date.now();
  await tabTo(page, page.getByRole('button', { name: 'Send code' }));
  await page.keyboard.press('Enter');
  // The code box takes focus once the code is on its way.
  await expect(page.getByLabel('8-digit code')).toBeFocused();
  await page.keyboard.type(await latestEmailCode(email, since));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeFocused();
  await tabTo(page, page.getByLabel('New password', { exact: true }));
  await page.keyboard.type(NEW_PASSWORD);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByLabel('New password', { exact: true })).toBeFocused();
  await tabTo(page, page.getByLabel('Confirm new password'));
  await page.keyboard.type(NEW_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your password has been reset' })).toBeFocused();
});
