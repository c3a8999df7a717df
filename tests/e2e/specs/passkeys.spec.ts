import { CDPSession, expect, Page, test } from '@playwright/test';
import { expectNoViolations } from './axe';
import { apiAs, asAdmin, DEFAULT_METHODS, displayName, signIn, signOut, TestUsers } from './helpers';

// Passkeys with Chromium's virtual authenticator (the DevTools protocol's WebAuthn domain): a
// user adds one in security info, resets with it on a phone without typing a name, signs in
// with it, and removes it. A relying party must be a domain, so these pages are opened at
// localhost (the server's public URL), not 127.0.0.1.
test.use({ baseURL: 'http://localhost:18080' });

const users = new TestUsers();

test.beforeEach(async ({ baseURL }) => {
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr', { scope: 'all' });
    await put('/settings/sspr/methods', { ...DEFAULT_METHODS, passkey: true });
  });
});

test.afterEach(async ({ baseURL }) => {
  await users.deleteAll(baseURL!);
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr/methods', DEFAULT_METHODS);
    await put('/settings/sspr', { scope: 'none' });
  });
});

/** A platform authenticator on this page that verifies the user and answers at once. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, id: authenticatorId };
}

/**
 * Whether the virtual authenticator answers by itself. Chromium's answers a conditional
 * (autofill) request at once, which a person never does: a test that means to stay on the
 * sign-in page turns this off first.
 */
async function answering(auth: { cdp: CDPSession; id: string }, enabled: boolean) {
  await auth.cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: auth.id, enabled });
}

/** Signs out without the authenticator signing straight back in through autofill. */
async function signOutQuietly(page: Page, auth: { cdp: CDPSession; id: string }) {
  await answering(auth, false);
  await signOut(page);
}

/** The passkey reset page (the user bundle's), "Use a passkey" pressed. */
async function resetWithPasskey(page: Page) {
  await page.goto('/passkey-reset');
  await page.getByRole('button', { name: 'Use a passkey' }).click();
}

const REFUSED = 'No passkey was accepted. Try again, or another way.';

/** Security info › Add Passkey, named `name`. */
async function addPasskey(page: Page, name: string) {
  await page.goto('/account/security-info');
  await page.getByRole('button', { name: 'Add Passkey' }).click();
  await expect(page.getByText(/A passkey proves it's you/)).toBeVisible();
  await page.getByLabel('Passkey name').fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Passkey saved.')).toBeVisible();
  await expect(page.getByText('1 passkeys')).toBeVisible();
}

test('a user adds a passkey, resets with it without typing a name, signs in with it, and removes it', async ({ page, baseURL }, testInfo) => {
  const name = `passkey.${testInfo.project.name}@contoso.example`;
  await users.create(baseURL!, name);
  const auth = await virtualAuthenticator(page);

  await signIn(page, name);
  await addPasskey(page, 'My phone');
  await expectNoViolations(page, 'security info with a passkey');
  await page.getByRole('button', { name: 'Change Passkey' }).click();
  await expect(page.getByText('My phone')).toBeVisible();
  await expect(page.getByText(/Added .* · not used yet/)).toBeVisible();
  await expectNoViolations(page, 'the passkey editor');
  await signOutQuietly(page, auth);

  // The reset page: "Use a passkey", no name typed. `/reset` loads the small reset bundle,
  // which carries no WebAuthn: its link opens the user bundle's copy of the page, which does.
  await page.goto('/reset');
  await expect(page.getByRole('heading', { name: 'Who are you?' })).toBeVisible();
  await expectNoViolations(page, 'reset, offering a passkey');
  await page.getByRole('link', { name: 'Use a passkey' }).click();
  await expect(page).toHaveURL(/\/passkey-reset$/);
  await expect(page.getByText(/A passkey proves it's you/)).toBeVisible();
  await expectNoViolations(page, 'the passkey reset page');
  await answering(auth, true);
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page.getByRole('heading', { name: 'What do you need?' })).toBeVisible();
  await page.getByRole('radio', { name: 'I forgot my password' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  const fresh = 'Juniper-Lantern-83';
  await page.getByLabel('New password', { exact: true }).fill(fresh);
  await page.getByLabel('Confirm new password').fill(fresh);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password has been reset' })).toBeVisible();

  // Sign in with the passkey, no password typed: the sign-in name field offers it (the
  // browser's autofill, WebAuthn's conditional mediation), which the virtual authenticator
  // picks at once.
  await answering(auth, false);
  await page.goto('/signin');
  await expect(page.getByLabel('Sign-in name')).toHaveAttribute('autocomplete', 'username webauthn');
  await expect(page.getByRole('button', { name: 'Use a passkey' })).toBeVisible();
  await answering(auth, true);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.goto('/account/security-info');

  // Changes need proof first: with the passkey, from the browser's prompt.
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
  await expectNoViolations(page, 'proof with a passkey');
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page.getByText(/^Verified\./)).toBeVisible();
  await page.getByRole('button', { name: 'Change Passkey' }).click();
  await expect(page.getByText(/last used/)).toBeVisible();
  // Removing one passkey asks first, like removing a method.
  await page.getByRole('button', { name: 'Remove My phone' }).click();
  await expect(page.getByText('Remove My phone? You can add it again later.')).toBeVisible();
  await expectNoViolations(page, 'removing a passkey, asked');
  await page.getByRole('group', { name: /Remove My phone\?/ }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('My phone removed.')).toBeVisible();
  // Gone from the methods held: Passkey is offered to add again.
  await expect(page.getByText('1 passkeys')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Change Passkey' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add Passkey' })).toBeVisible();
  testInfo.attach('security info', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  // The device still holds the removed passkey; it no longer resets anything.
  await signOutQuietly(page, auth);
  await answering(auth, true);
  await resetWithPasskey(page);
  await expect(page.getByText(REFUSED)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Who are you?' })).toBeVisible();
});

test('a copied passkey whose counter went back is refused, and the audit log says so', async ({ page, baseURL }, testInfo) => {
  const name = `cloned.${testInfo.project.name}@contoso.example`;
  await users.create(baseURL!, name);
  const { cdp, id } = await virtualAuthenticator(page);
  await signIn(page, name);
  await addPasskey(page, 'Laptop');
  // A copy of the key as it is now; then the original is used once more (its counter moves on).
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: id });
  const copy = credentials[0];
  const useIt = () => resetWithPasskey(page);
  await useIt();
  await expect(page.getByRole('heading', { name: 'What do you need?' })).toBeVisible();

  // The copy, with the older counter, takes the original's place, and is refused.
  await cdp.send('WebAuthn.removeCredential', { authenticatorId: id, credentialId: copy.credentialId });
  await cdp.send('WebAuthn.addCredential', { authenticatorId: id, credential: copy });
  await useIt();
  await expect(page.getByText(REFUSED)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Who are you?' })).toBeVisible();

  const api = await apiAs(baseURL!, 'global.admin@contoso.example');
  const failed = await api.get('/audit?action=proof_failed');
  await api.dispose();
  const cloned = failed.items.find((e: any) => e.target === name && e.new_value?.counter_went_back === true);
  expect(cloned, 'the refused copy is audited').toBeTruthy();
});

test("someone else's passkey does not pass an account's passkey gate; the account's own does, after the reset page hands the flow over", async ({ page, baseURL }, testInfo) => {
  const owner = `gate.owner.${testInfo.project.name}@contoso.example`;
  const other = `gate.other.${testInfo.project.name}@contoso.example`;
  await users.create(baseURL!, owner);
  await users.create(baseURL!, other);
  const auth = await virtualAuthenticator(page);
  const held = async () =>
    (await auth.cdp.send('WebAuthn.getCredentials', { authenticatorId: auth.id })).credentials;

  // The owner's passkey is made here, then leaves this device (it lives on their phone).
  await signIn(page, owner);
  await addPasskey(page, 'Owner phone');
  const [ownerKey] = await held();
  await auth.cdp.send('WebAuthn.removeCredential', { authenticatorId: auth.id, credentialId: ownerKey.credentialId });
  await signOutQuietly(page, auth);
  // Someone else's passkey is the one on this device.
  await signIn(page, other);
  await answering(auth, true);
  await addPasskey(page, 'Other laptop');
  const [otherKey] = await held();
  await signOutQuietly(page, auth);

  // The owner's name on the reset page, which loads the small reset bundle. Its passkey gate
  // hands the flow, as it stands, to the page that runs passkeys.
  await page.goto('/reset');
  await page.getByLabel('Sign-in name').fill(owner);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'I forgot my password' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
  await page.getByRole('radio', { name: 'Passkey' }).check();
  await page.getByRole('link', { name: 'Use a passkey' }).click();
  await expect(page).toHaveURL(/\/passkey-reset$/);
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Passkey' })).toBeChecked();
  await expect(page.getByRole('timer')).toBeVisible();
  await expectNoViolations(page, 'the passkey gate, handed over');

  await answering(auth, true);
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page.getByText(REFUSED)).toBeVisible();
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();

  // The owner's own passkey passes.
  await auth.cdp.send('WebAuthn.removeCredential', { authenticatorId: auth.id, credentialId: otherKey.credentialId });
  await auth.cdp.send('WebAuthn.addCredential', { authenticatorId: auth.id, credential: ownerKey });
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();

  // The refusal is on the owner's record, as a failed proof with a passkey.
  const api = await apiAs(baseURL!, 'global.admin@contoso.example');
  const failed = await api.get('/audit?action=proof_failed');
  await api.dispose();
  const refused = failed.items.find((e: any) => e.target === owner && e.new_value?.method === 'passkey');
  expect(refused, "the other person's passkey is audited as a failed proof").toBeTruthy();
});

test('where the organisation turned passkeys off, sign-in does not offer them', async ({ page, baseURL }) => {
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/sspr/methods', { ...DEFAULT_METHODS, passkey: false });
  });
  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // The server refuses the ceremony; the button goes, and nothing is shown as an error.
  await expect(page.getByRole('button', { name: 'Use a passkey' })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveText('');
  await expect(page.getByLabel('Sign-in name')).toBeVisible();
});

test('the helpdesk removes a lost passkey from the user\'s page, and it resets nothing after', async ({ page, baseURL }, testInfo) => {
  const name = `lost.${testInfo.project.name}@contoso.example`;
  const id = await users.create(baseURL!, name);
  const auth = await virtualAuthenticator(page);
  await signIn(page, name);
  await addPasskey(page, 'Lost phone');
  await signOutQuietly(page, auth);

  await signIn(page, 'helpdesk.admin@contoso.example');
  await page.goto(`/admin/users/${id}`);
  await expect(page.getByRole('heading', { name: displayName(name), level: 1 })).toBeVisible();
  const section = page.getByRole('region', { name: 'Passkeys' });
  await expect(section.getByText('Lost phone')).toBeVisible();
  await expect(section.getByText(/Added .* · not used yet/)).toBeVisible();
  await section.getByRole('button', { name: 'Remove Lost phone' }).click();
  const question = section.getByRole('group', { name: /Remove the passkey Lost phone\?/ });
  await expect(question).toBeVisible();
  await expectNoViolations(page, "a user's passkeys, removal asked");
  await question.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('Passkey Lost phone removed.')).toBeVisible();
  await expect(section.getByText('No passkeys.')).toBeVisible();
  await signOut(page);

  // Whoever holds the phone now gets nothing from it.
  await answering(auth, true);
  await resetWithPasskey(page);
  await expect(page.getByText(REFUSED)).toBeVisible();
  const api = await apiAs(baseURL!, 'global.admin@contoso.example');
  const changes = await api.get('/audit?action=security_info_changed');
  await api.dispose();
  const removal = changes.items.find((e: any) => e.target === name && e.actor === 'helpdesk.admin@contoso.example');
  expect(removal?.new_value).toMatchObject({ method: 'passkey', change: 'removed', by_admin: true });
});
