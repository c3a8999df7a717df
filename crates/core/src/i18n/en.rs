//! English.

use super::Key;
use crate::audit::AuditAction;
use crate::error::ErrorCode;
use crate::roles::Role;
use crate::validation::Rule;

pub(super) fn key(key: Key) -> &'static str {
    use Key::*;
    match key {
        AppName => "Rekey",
        Loading => "Loading…",
        Language => "Language",
        SkipToContent => "Skip to content",
        SignInTitle => "Sign in",
        SignInIntro => "Use your organisation account.",
        SignInName => "Sign-in name",
        Password => "Password",
        SignIn => "Sign in",
        SigningIn => "Signing in…",
        SignOut => "Sign out",
        TryAgainIn => "Try again in {seconds} seconds.",
        AdminCentre => "Admin centre",
        Menu => "Menu",
        NavHome => "Home",
        NavUsers => "Users",
        NavGroups => "Groups",
        NavSettings => "Settings",
        NavOrgSettings => "Org settings",
        NavAuditLog => "Audit log",
        SignedInAs => "Signed in as {name}",
        HomeTitle => "Home",
        HomeWelcome => "Welcome, {name}",
        HomeSsprCardTitle => "Self-service password reset",
        HomeSsprNone => "Off: users must call the helpdesk to reset a password.",
        HomeSsprSelected => "On for members of {group}.",
        HomeSsprAll => "On for everyone.",
        HomeManageSspr => "Manage self-service password reset",
        Search => "Search",
        SearchUsers => "Search users",
        SearchGroups => "Search groups",
        NoResults => "Nothing matches.",
        PreviousPage => "Previous",
        NextPage => "Next",
        PageOf => "Page {page} of {pages}",
        Pagination => "Pages",
        TotalCount => "{count} in all",
        UsersTitle => "Users",
        ColDisplayName => "Display name",
        ColSignInName => "Sign-in name",
        ColStatus => "Status",
        ColRoles => "Admin roles",
        Enabled => "Enabled",
        Disabled => "Disabled",
        NoRole => "None",
        GroupsTitle => "Groups",
        ColGroupName => "Name",
        ColDescription => "Description",
        ColMembers => "Members",
        OrgSettingsTitle => "Org settings",
        TabSecurityPrivacy => "Security & privacy",
        SsprItemTitle => "Self-service password reset",
        SsprItemDescription => "Let users reset their own forgotten passwords.",
        SsprTitle => "Self-service password reset",
        SsprIntro => "Choose who can reset their own password. Once it is on, users are asked to register security info when they sign in.",
        SsprScopeLegend => "Self-service password reset enabled",
        ScopeNone => "None",
        ScopeNoneHelp => "Nobody can reset their own password.",
        ScopeSelected => "Selected",
        ScopeSelectedHelp => "Members of one group, including its nested groups.",
        ScopeAll => "All",
        ScopeAllHelp => "Everybody in the organisation.",
        GroupPickerLabel => "Group",
        GroupPickerPlaceholder => "Search for a group",
        GroupPickerNone => "No group matches.",
        SelectedGroup => "Selected group: {name}",
        ChangeGroup => "Change group",
        Save => "Save",
        Saving => "Saving…",
        Discard => "Discard changes",
        Close => "Close",
        UnsavedChanges => "You have unsaved changes.",
        SavedMessage => "Saved.",
        ReadOnlyTitle => "Read only",
        ReadOnlyReason => "Only Global admins and Password admins can change this setting.",
        LastChanged => "Last changed {when} by {who}.",
        AuditTitle => "Audit log",
        ColWhen => "When",
        ColActor => "Who",
        ColAction => "What",
        ColTarget => "Target",
        ColChange => "Change",
        SystemActor => "System",
        AccountTitle => "My account",
        AccountIntro => "You are signed in.",
        AccountSsprOn => "You can reset your own password if you forget it.",
        AccountSsprOff => "Self-service password reset is not turned on for you. Contact your administrator if you forget your password.",
        NotFoundTitle => "Page not found",
        NotFoundBody => "There is nothing at this address.",
        GoHome => "Go to the home page",
    }
}

pub(super) fn error(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidJson => "The request could not be read.",
        ErrorCode::UnsupportedMediaType => "The request must be sent as JSON.",
        ErrorCode::PayloadTooLarge => "The request is too large.",
        ErrorCode::InvalidParameter => "A parameter of the request is not valid.",
        ErrorCode::ValidationFailed => "Please correct the highlighted fields.",
        ErrorCode::Unauthenticated => "Your session has ended. Please sign in again.",
        ErrorCode::Forbidden => "You do not have permission to do this.",
        ErrorCode::CsrfFailed => {
            "Your session could not be verified. Reload the page and try again."
        }
        ErrorCode::InvalidCredentials => "The sign-in name or password is incorrect.",
        ErrorCode::AccountLocked => "Too many failed attempts. Sign-in is locked for a while.",
        ErrorCode::NotFound => "It could not be found.",
        ErrorCode::MethodNotAllowed => "That action is not allowed here.",
        ErrorCode::Internal => "Something went wrong on our side. Nothing was changed.",
        ErrorCode::Unavailable => "The service is unavailable. Try again shortly.",
    }
}

pub(super) fn rule(rule: Rule) -> &'static str {
    match rule {
        Rule::Required => "This field is required.",
        Rule::GroupRequired => "Choose a group for Selected.",
        Rule::GroupNotAllowed => "A group can only be chosen with Selected.",
        Rule::GroupNotFound => "That group no longer exists.",
        Rule::TooLong => "This is too long.",
        Rule::InvalidCharacters => "This contains characters that are not allowed.",
    }
}

pub(super) fn role(role: Role) -> &'static str {
    match role {
        Role::GlobalAdmin => "Global admin",
        Role::PasswordAdmin => "Password admin",
        Role::HelpdeskAdmin => "Helpdesk admin",
        Role::UserAdmin => "User admin",
        Role::ReportsReader => "Reports reader",
    }
}

pub(super) fn action(action: AuditAction) -> &'static str {
    match action {
        AuditAction::SsprSettingsChanged => "Self-service password reset settings changed",
        AuditAction::SignInSucceeded => "Signed in",
        AuditAction::SignInFailed => "Sign-in failed",
        AuditAction::SignInLocked => "Sign-in locked after repeated failures",
        AuditAction::SignedOut => "Signed out",
        AuditAction::GlobalAdminCreated => "Global admin created",
    }
}
