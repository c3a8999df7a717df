import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { DIRECTORY_URL } from '../playwright.config';
import { apiAs, codeInto, DEFAULT_METHODS, directoryAccepts as accepts, expectFits, forgotByEmail, latestEmailCode, navigate, PASSWORD, registerApp, signIn, signOut } from './helpers';

// The server at DIRECTORY_URL has one account of its own, the break-glass admin; the OpenLDAP
// beside it (e2e-directory.sh) holds the demo organisation. Each project signs in as its own
// directory person, so the runs do not meet.
const ADMIN = 'rekey.admin';
const PERSON: Record<string, string> = { desktop: 'alex.wilber', phone: 'diego.siciliani' };
const CA_FILE = `${process.env.TMPDIR ?? '/tmp'}/rekey-e2e-directory/slapd/ca.pem`;

test.use({ baseURL: DIRECTORY_URL });

test.afterEach(async () => {
  // Leave the methods as the next run expects them.
  const api = await apiAs(DIRECTORY_URL, ADMIN);
  await api.send('PUT', '/settings/sspr/methods', DEFAULT_METHODS, 200);
  await api.dispose();
});

test('an admin connects the directory, picks a directory group, and its people sign in and register', async ({ page }, testInfo) => {
  await signIn(page, ADMIN);
  await navigate(page, 'Org settings');
  await page.getByRole('link', { name: /^Directory/ }).click();
  await expect(page.getByRole('heading', { name: 'Directory', level: 1 })).toBeVisible();

  // The admin fills in the connection as their directory's admin told them.
  await page.getByRole('radio', { name: 'LDAP directory' }).check();
  await page.getByLabel('Kind of directory').selectOption('openldap');
  await expect(page.getByLabel('Stable id')).toHaveValue('entryUUID');
  await page.getByLabel('Server addresses').fill('LDAPS://127.0.0.1:18636/');
  await page.getByLabel('CA certificate (PEM)').fill(readFileSync(CA_FILE, 'utf8'));
  await page.getByLabel('Service account DN').fill('cn=rekey-service,ou=services,dc=contoso,dc=example');
  await page.getByLabel('Users: base DN').fill('ou=people,dc=contoso,dc=example');
  await page.getByLabel('Groups: base DN').fill('ou=groups,dc=contoso,dc=example');

  // A wrong password: Test connection says which step fails, and Save names the field.
  await page.getByLabel('Service account password').fill('not-the-password');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText('The connection does not work yet: fix what is marked below.')).toBeVisible();
  await expect(page.locator('.checks li.check-failed')).toContainText('Sign in as the service account');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('The directory refused this service account.')).toBeVisible();

  await page.getByLabel('Service account password').fill('Rekey-service-2026');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText('The connection works: it can be saved.')).toBeVisible();
  await expect(page.getByText('12 people and 5 groups found.')).toBeVisible();
  await expect(page.locator('.checks')).toContainText("Rekey locks a name after 3 wrong passwords, before the directory's 5.");
  await expect(page.getByRole('table', { name: 'Five people as Rekey reads them' }).getByRole('row')).toHaveCount(6);
  await expectFits(page, 'directory settings');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  // Stored as one canonical address, the password sealed and never shown again.
  await expect(page.getByLabel('Server addresses')).toHaveValue('ldaps://127.0.0.1:18636');
  await expect(page.getByLabel('Service account password')).toHaveValue('');
  await expect(page.getByText('A password is stored (sealed). Leave this empty to keep it.')).toBeVisible();

  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.locator('.last-sync')).toContainText(/Last sync .*: people \d+ added/);
  // The next sync reads only what changed; the whole directory on demand.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.locator('.last-sync')).toContainText('Only what changed since the sync before was read.');
  await page.getByRole('button', { name: 'Read the whole directory' }).click();
  await expect(page.locator('.last-sync')).toContainText('The whole directory was read.');

  // The Users page tells the directory's people from Rekey's own (break-glass) account.
  await navigate(page, 'Users');
  await page.getByLabel('Search users').fill('admin');
  await expect(page.getByRole('row', { name: /Gloria Admin/ }).getByText('Directory', { exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Rekey Admin/ }).getByText('Rekey account', { exact: true })).toBeVisible();

  // Everyone in the directory's IT admins group becomes a Global admin.
  await navigate(page, 'Groups');
  await page.getByLabel('Search groups').fill('IT');
  const itRow = page.getByRole('row', { name: /IT admins/ });
  await expect(itRow.getByText('Directory', { exact: true })).toBeVisible();
  await itRow.getByRole('button', { name: 'Admin roles for IT admins' }).click();
  const dialog = page.getByRole('dialog', { name: 'Admin roles for IT admins' });
  await dialog.getByLabel('Global admin').check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Roles of IT admins saved.')).toBeVisible();
  await expect(itRow.getByRole('cell', { name: 'Global admin', exact: true })).toBeVisible();

  // "Selected" takes a directory group; Engineering is nested in it.
  await navigate(page, 'Org settings');
  await page.getByRole('link', { name: /Self-service password reset/ }).click();
  await page.getByRole('radio', { name: 'Selected', exact: true }).check();
  await page.getByLabel('Search for a group').fill('SSPR');
  await page.getByRole('radio', { name: 'SSPR pilot' }).check();
  const save = page.getByRole('button', { name: 'Save' });
  if (await save.isEnabled()) {
    await save.click();
    await expect(page.getByText('Saved.')).toBeVisible();
  }
  // Two methods: the email the directory holds counts as one, the person adds the second.
  const api = await apiAs(DIRECTORY_URL, ADMIN);
  await api.send('PUT', '/settings/sspr/methods', { ...DEFAULT_METHODS, methods_required: 2, authenticator_app: true }, 200);
  await api.dispose();
  await signOut(page);

  const person = PERSON[testInfo.project.name];
  await signIn(page, person, '/', { keepWizard: true, password: PASSWORD });
  await expect(page.getByRole('heading', { name: 'Keep your account secure' })).toBeVisible();
  await expect(page.getByText('Register 1 more method so you can reset your password yourself.')).toBeVisible();
  // The email on file came from the directory; adding to it starts with proving it is theirs.
  await expect(page.getByText('Added by your administrator')).toBeVisible();
  const since = Date.now();
  await page.getByRole('button', { name: 'Send code' }).click();
  await codeInto(page, '8-digit code', await latestEmailCode(`${person}@contoso.example`, since));
  await registerApp(page);
  await expect(page.getByText('You have registered enough methods.')).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('heading', { name: 'Keep your account secure' })).toHaveCount(0);
  await signOut(page);

  // A directory person in IT admins signs in to the admin centre.
  await signIn(page, 'global.admin', '/admin');
  await navigate(page, 'Org settings');
  await page.getByRole('link', { name: /^Directory/ }).click();
  await expect(page.getByRole('radio', { name: 'LDAP directory' })).toBeChecked();
  // Expiry of the directory's people is the directory's: the expiration page says so.
  await navigate(page, 'Org settings');
  await page.getByRole('link', { name: /Password expiration/ }).click();
  await expect(page.getByRole('note')).toContainText("Your organisation's directory decides when its people's passwords expire");
  await signOut(page);
});

/** Whether the OpenLDAP beside the server takes this password for the person. */
function directoryAccepts(person: string, password: string): boolean {
  return accepts('ldaps://127.0.0.1:18636', CA_FILE, `uid=${person},ou=people,dc=contoso,dc=example`, password);
}

test('a directory person resets their password, and the directory takes the new one', async ({ page }, testInfo) => {
  // The person the first test registered (the email the directory holds counts as a method).
  const person = PERSON[testInfo.project.name];
  const email = `${person}@contoso.example`;
  const fresh = `Harbour-lantern-${testInfo.project.name}-31`;
  await forgotByEmail(page, person, email);
  // The directory's own rules are on the page before anything is typed.
  await expect(page.getByText("Your organisation's directory also refuses your last 3 passwords.")).toBeVisible();

  // The current password passes Rekey's rules; the directory's history refuses it, in words.
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm new password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByText('You used this password recently. Choose one you have not used before.')).toBeVisible();
  await expectFits(page, 'a refusal by the directory');
  // Still at the same step: another password goes through.
  await page.getByLabel('New password', { exact: true }).fill(fresh);
  await page.getByLabel('Confirm new password').fill(fresh);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password has been reset' })).toBeVisible();

  // Every application binding to the directory takes the new password, not the old.
  expect(directoryAccepts(person, fresh)).toBe(true);
  expect(directoryAccepts(person, PASSWORD)).toBe(false);
  await signIn(page, person, '/', { password: fresh });
  await signOut(page);
});
