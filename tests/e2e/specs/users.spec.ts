import { expect, Page, test } from '@playwright/test';
import { SUBPATH_URL } from '../playwright.config';
import { expectNoViolations } from './axe';
import { apiAs, displayName, expectFits, navigate, prefillContact, signIn, signOut, TestUsers } from './helpers';

const ADMIN = 'global.admin@contoso.example';
const NEW_PASSWORD = 'Tangerine-Kite-47';

const users = new TestUsers();

test.afterEach(async ({ baseURL }) => {
  await users.deleteAll(baseURL!);
});

/** A user of this test's own (demo password, no change asked), created over the API. */
const createUser = (baseURL: string, name: string, extra: Record<string, unknown> = {}) =>
  users.create(baseURL, name, extra);

/** Signs in as the Global admin and opens one user's page. */
async function openUser(page: Page, id: string, name: string) {
  await signIn(page, ADMIN);
  await page.goto(`/admin/users/${id}`);
  await expect(page.getByRole('heading', { name: displayName(name), level: 1 })).toBeVisible();
}

test('emailing a temporary password is offered for a user with an email on file', async ({ page, baseURL }, testInfo) => {
  const name = `reset.mail.${testInfo.project.name}@contoso.example`;
  const id = await createUser(baseURL!, name);
  await prefillContact(baseURL!, name, { email: `reset.mail.${testInfo.project.name}@home.example` });
  await openUser(page, id, name);
  await page.getByRole('button', { name: 'Reset password' }).click();
  const dialog = page.getByRole('dialog', { name: `Reset password for ${displayName(name)}` });
  await expect(dialog.getByRole('checkbox', { name: /Email the temporary password/ })).toBeVisible();

  // Whatever the server refuses, the dialog's alert says what, even for a field it does not
  // show: never a bare "correct the highlighted fields" with nothing highlighted.
  await page.route('**/api/users/*/password', (route) =>
    route.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'validation_failed', message: 'x', fields: [{ field: 'email_to', rule: 'not_email' }] } }),
    }),
  );
  await dialog.getByRole('button', { name: 'Reset password' }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: 'Please correct the highlighted fields.' })).toContainText('Enter an email address.');
  await expectNoViolations(page, 'admin reset dialog with an error');
});

test('an admin resets a password; the user signs in with the temporary one and must change it first', async ({ page, baseURL }, testInfo) => {
  const name = `reset.${testInfo.project.name}@contoso.example`;
  const id = await createUser(baseURL!, name);
  await openUser(page, id, name);
  await expectFits(page, 'a user');

  await page.getByRole('button', { name: 'Reset password' }).click();
  const dialog = page.getByRole('dialog', { name: `Reset password for ${displayName(name)}` });
  await expect(dialog.getByRole('radio', { name: 'Generate a temporary password' })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: 'Require change at next sign-in' })).toBeChecked();
  // No email on file: emailing the password is not offered, since it could not work.
  await expect(dialog.getByRole('checkbox', { name: /Email the temporary password/ })).toHaveCount(0);
  // A typed password is checked as it is typed, by the rules the server applies to this user.
  await dialog.getByRole('radio', { name: 'Type a password' }).check();
  const typed = dialog.getByLabel('New password', { exact: true });
  await typed.fill('Reset2026');
  await typed.blur();
  await expect(dialog.locator('#password-error')).toHaveText(/too easy to guess/);
  await dialog.getByRole('radio', { name: 'Generate a temporary password' }).check();
  await dialog.getByRole('button', { name: 'Reset password' }).click();

  await expect(dialog.getByText(`The password of ${displayName(name)} was reset.`)).toBeFocused();
  await expect(dialog.getByText("it won't be shown again")).toBeVisible();
  const temporary = await dialog.getByLabel('Temporary password', { exact: true }).inputValue();
  expect(temporary.length).toBeGreaterThanOrEqual(12);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('Yes: an admin set the password')).toBeVisible();

  await signOut(page);
  await signIn(page, name, '/', { password: temporary });
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  await page.getByLabel('Current password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
});

test('"Password never expires" is kept after a reload, and can be turned off again', async ({ page, baseURL }, testInfo) => {
  const name = `never.${testInfo.project.name}@contoso.example`;
  const id = await createUser(baseURL!, name);
  await openUser(page, id, name);

  const never = page.getByRole('checkbox', { name: 'Password never expires' });
  await expect(never).not.toBeChecked();
  await never.check();
  await expect(page.getByRole('status').filter({ hasText: "This user's password no longer expires." })).toBeVisible();
  await page.reload();
  await expect(never).toBeChecked();
  const expires = page.locator('.fact').filter({ hasText: 'Password expires' });
  await expect(expires.locator('dd')).toHaveText('Never');

  await never.uncheck();
  await expect(page.getByText("This user's password follows the expiration policy again.")).toBeVisible();
  await page.reload();
  await expect(never).not.toBeChecked();
});

test('an admin creates a user with a role and a group; the first password is shown once', async ({ page }, testInfo) => {
  const name = `new.${testInfo.project.name}@contoso.example`;
  await signIn(page, ADMIN);
  await navigate(page, 'Users');
  await page.getByRole('link', { name: 'New user' }).click();
  await expect(page.getByRole('heading', { name: 'New user', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator('#sign_in_name-error')).toHaveText('This field is required.');
  await page.getByLabel('Sign-in name').fill(name);
  await page.getByLabel('Display name').fill(displayName(name));
  await page.getByRole('checkbox', { name: 'Helpdesk admin' }).check();
  await page.getByLabel('Add to a group').selectOption({ label: 'Sales' });
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Remove from Sales' })).toBeVisible();
  await page.getByRole('button', { name: 'Create user' }).click();

  await expect(page.getByText(`${displayName(name)} was created.`)).toBeFocused();
  await expect(page.getByLabel('Temporary password', { exact: true })).not.toHaveValue('');
  await page.getByRole('link', { name: `Open ${displayName(name)}` }).click();
  await expect(page.getByRole('heading', { name: displayName(name), level: 1 })).toBeVisible();
  users.remember(page.url().split('/').pop()!);
  await expect(page.getByRole('checkbox', { name: 'Helpdesk admin' })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Remove from Sales' })).toBeVisible();
  await expect(page.getByText('Yes: an admin set the password')).toBeVisible();
});

test('a CSV import is checked first: bad rows are reported and nothing is imported until it is clean', async ({ page, baseURL }, testInfo) => {
  const a = `import.a.${testInfo.project.name}@contoso.example`;
  const b = `import.b.${testInfo.project.name}@contoso.example`;
  await signIn(page, ADMIN);
  await navigate(page, 'Users');
  await page.getByRole('link', { name: 'Import users' }).click();
  await expect(page.getByRole('heading', { name: 'Import users', level: 1 })).toBeVisible();

  const csv = page.getByLabel('Users as CSV');
  await csv.fill([
    'sign_in_name,display_name,email,mobile_phone,groups',
    `${a},Import A,a@home.example,,Sales`,
    `${b},,not-an-email,,Nowhere`,
    'adele.vance@contoso.example,Adele Again,,,',
  ].join('\n'));
  const importButton = page.getByRole('button', { name: 'Import', exact: true });
  await expect(importButton).toBeDisabled();
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByText('3 users read, 4 problems.')).toBeVisible();
  const problems = page.getByRole('region', { name: 'Problems found' });
  const problem = (column: string) => problems.getByRole('row').filter({ hasText: column });
  await expect(problem('display_name')).toContainText('3');
  await expect(problem('display_name')).toContainText('This field is required.');
  await expect(problem('email')).toContainText('Enter an email address.');
  await expect(problem('groups')).toContainText('3');
  await expect(problem('sign_in_name')).toContainText('4');
  await expect(problem('sign_in_name')).toContainText('Another user already has this sign-in name.');
  await expect(importButton).toBeDisabled();
  await expectFits(page, 'import with problems');

  // The fixed file, read from disk into the box; a clean check lets exactly this text in.
  await page.getByLabel('Read from a CSV file').setInputFiles({
    name: 'users.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`sign_in_name,display_name,email,mobile_phone,groups\n${a},Import A,a@home.example,,Sales\n${b},Import B,,+14255550123,Sales;Engineering\n`),
  });
  await expect(csv).toHaveValue(new RegExp(`${b.replace(/\./g, '\\.')},Import B`));
  await expect(importButton).toBeDisabled();
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByText('2 users read, no problems found. Ready to import.')).toBeVisible();
  await importButton.click();
  await expect(page.getByText('2 users created.')).toBeVisible();
  await expect(importButton).toBeDisabled();

  const api = await apiAs(baseURL!, ADMIN);
  for (const name of [a, b]) {
    const found = await api.get(`/users?q=${encodeURIComponent(name)}`);
    expect(found.items.map((u: { sign_in_name: string }) => u.sign_in_name)).toEqual([name]);
    users.remember(found.items[0].id);
  }
  await api.dispose();
});

test('filters narrow the list, and a reload keeps them', async ({ page, baseURL }, testInfo) => {
  const prefix = `filter.${testInfo.project.name}`;
  const api = await apiAs(baseURL!, ADMIN);
  const sales = (await api.get('/groups?q=Sales')).items[0].id;
  await api.dispose();
  const helpdesk = `${prefix}.helpdesk@contoso.example`;
  const resting = `${prefix}.resting@contoso.example`;
  await createUser(baseURL!, helpdesk, { roles: ['helpdesk_admin'], group_ids: [sales] });
  const restingId = await createUser(baseURL!, resting);
  const patch = await apiAs(baseURL!, ADMIN);
  await patch.send('PATCH', `/users/${restingId}`, { enabled: false, password_never_expires: true }, 200);
  await patch.dispose();

  await signIn(page, ADMIN);
  await navigate(page, 'Users');
  await page.getByRole('searchbox', { name: 'Search users' }).fill(prefix);
  await expect(page.getByText('2 in all')).toBeVisible();

  await page.getByLabel('Admin role').selectOption({ label: 'Helpdesk admin' });
  await expect(page.getByText('1 in all')).toBeVisible();
  await expect(page.getByRole('link', { name: helpdesk })).toBeVisible();
  await expect(page).toHaveURL(/role=helpdesk_admin/);
  await expectFits(page, 'users, filtered');
  await page.reload();
  await expect(page.getByText('1 in all')).toBeVisible();
  await expect(page.getByLabel('Admin role')).toHaveValue('helpdesk_admin');
  await expect(page.getByRole('searchbox', { name: 'Search users' })).toHaveValue(prefix);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByText('2 in all')).toBeVisible();
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Disabled' });
  await expect(page.getByText('1 in all')).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: resting });
  await expect(row).toContainText('Disabled');
  await expect(row).toContainText('Never expires');
  await page.getByLabel('Password', { exact: true }).selectOption({ label: 'Never expires' });
  await expect(page.getByText('1 in all')).toBeVisible();
  await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Sales' });
  await expect(page.getByText('Nothing matches.')).toBeVisible();
  await expect(page.getByText('0 in all')).toBeVisible();

  // The name leads to the user's page, and back keeps the list as it was.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Sales' });
  await page.getByRole('link', { name: helpdesk }).click();
  await expect(page.getByRole('heading', { name: displayName(helpdesk), level: 1 })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Sales' })).toBeVisible();
  await page.goBack();
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue(sales);
  await expect(page.getByText('1 in all')).toBeVisible();
});

test('under a sub-path, the list keeps its search in the address and its links keep the base', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'addresses, not screen size');
  await signIn(page, ADMIN, `${SUBPATH_URL}/`);
  await page.goto(`${SUBPATH_URL}/admin/users`);
  await page.getByRole('searchbox', { name: 'Search users' }).fill('vance');
  await expect(page.getByText('1 in all')).toBeVisible();
  await expect(page).toHaveURL(`${SUBPATH_URL}/admin/users?q=vance`);
  await page.reload();
  await expect(page.getByText('1 in all')).toBeVisible();
  await page.getByRole('link', { name: 'adele.vance@contoso.example' }).click();
  await expect(page.getByRole('heading', { name: 'Adele Vance', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`^${SUBPATH_URL}/admin/users/[^/?]+$`));
  await page.getByRole('link', { name: 'All users' }).click();
  await expect(page).toHaveURL(`${SUBPATH_URL}/admin/users`);
});
