import { expect, Page, test } from '@playwright/test';
import { asAdmin, codeInto, DEFAULT_METHODS, expectFits, latestEmailCode, latestSmsCode, registerApp, signIn, signOut } from './helpers';

// Each project (desktop, phone) registers its own user, so the runs do not meet.
const PEOPLE: Record<string, { name: string; email: string; phone: string }> = {
  desktop: { name: 'alex.wilber@contoso.example', email: 'alex@home.example', phone: '+14255550101' },
  phone: { name: 'diego.siciliani@contoso.example', email: 'diego@home.example', phone: '+14255550102' },
};

test.beforeEach(async ({ baseURL }) => {
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr', { scope: 'all' });
    await put('/settings/sspr/methods', { ...DEFAULT_METHODS, authenticator_app: true, security_questions: true });
  });
});

test.afterEach(async ({ baseURL }) => {
  // Later specs sign in without expecting the wizard.
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr/methods', DEFAULT_METHODS);
    await put('/settings/sspr', { scope: 'none' });
  });
});


async function registerEmail(page: Page, email: string) {
  await page.getByRole('button', { name: 'Add Email' }).click();
  const since = Date.now();
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await codeInto(page, '8-digit code', await latestEmailCode(email, since));
  await expect(page.getByText('Email saved.')).toBeVisible();
}

async function registerPhone(page: Page, phone: string) {
  await page.getByRole('button', { name: 'Add Mobile phone' }).click();
  const since = Date.now();
  await page.getByLabel('Mobile number').fill(phone);
  await page.getByRole('button', { name: 'Send code' }).click();
  await codeInto(page, '8-digit code', await latestSmsCode(phone, since));
  await expect(page.getByText('Mobile phone saved.')).toBeVisible();
}

async function registerQuestions(page: Page) {
  await page.getByRole('button', { name: 'Add Security questions' }).click();
  for (const n of [1, 2, 3]) {
    await page.getByLabel(`Question ${n}`).selectOption({ index: n });
    await page.getByLabel(`Answer ${n}`).fill(`answer number ${n}`);
  }
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Security questions saved.')).toBeVisible();
}

test('a user is interrupted at sign-in and registers every kind of method', async ({ page }, testInfo) => {
  const person = PEOPLE[testInfo.project.name];
  await signIn(page, person.name, '/', { keepWizard: true });
  await expect(page.getByRole('heading', { name: 'Keep your account secure' })).toBeVisible();
  await expect(page.getByText('Register 1 more method so you can reset your password yourself.')).toBeVisible();

  await registerEmail(page, person.email);
  await expect(page.getByText('You have registered enough methods.')).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('heading', { name: 'Keep your account secure' })).toHaveCount(0);

  // The rest from the Security info page; the session proved itself moments ago.
  await page.goto('/account/security-info');
  await expect(page.getByRole('heading', { name: 'Security info', level: 1 })).toBeVisible();
  await registerPhone(page, person.phone);
  await registerApp(page);
  await registerQuestions(page);
  for (const method of ['Email', 'Mobile phone', 'Authenticator app', 'Security questions']) {
    await expect(page.getByRole('button', { name: `Remove ${method}` })).toBeVisible();
  }
  // Every method counts, beyond the one required.
  await expect(page.getByText('4 methods registered (1 required)')).toBeVisible();
  await expectFits(page, 'security info');

  // Signing in again asks nothing; changing info now needs proof first.
  await signOut(page);
  await signIn(page, person.name);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.goto('/account/security-info');
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
});

test('an admin fills in a user\'s contact info and sees who is registered', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'an admin task, on a desktop');
  await signIn(page, 'user.admin@contoso.example', '/', { keepWizard: true });
  // Admins need two methods; this one registers later.
  await expect(page.getByRole('heading', { name: 'Keep your account secure' })).toBeVisible();
  await expect(page.getByText('Register 2 more methods so you can reset your password yourself.')).toBeVisible();
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByLabel('Search users').fill('lee');
  const row = page.getByRole('row', { name: /Lee Gu/ });
  await expect(row.getByText('Not registered')).toBeVisible();
  await row.getByRole('button', { name: /Contact info/ }).click();
  const dialog = page.getByRole('dialog', { name: /Contact info for Lee Gu/ });
  await dialog.getByLabel('Authentication phone').fill('12345');
  await dialog.getByLabel('Authentication email').click();
  await expect(dialog.getByText(/international form/)).toBeVisible();
  await dialog.getByLabel('Authentication phone').fill('+1 425 555 0177');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row.getByText('Registered', { exact: true })).toBeVisible();
  // Out of a User admin's scope (a Global admin) and oneself: no contact info to read or change.
  await page.getByLabel('Search users').fill('admin@contoso');
  await expect(page.getByRole('row', { name: /password\.admin@contoso\.example/ }).getByRole('button', { name: /Contact info/ })).toBeVisible();
  for (const name of [/global\.admin@contoso\.example/, /user\.admin@contoso\.example/]) {
    const out = page.getByRole('row', { name });
    await expect(out).toBeVisible();
    await expect(out.getByRole('button', { name: /Contact info/ })).toHaveCount(0);
  }
});
