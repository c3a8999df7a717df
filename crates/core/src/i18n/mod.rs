//! The one translation layer. Every user-facing string is a key of a [`Text`] table (or an
//! error code, rule, role or audit action) looked up per language. Each language is an exhaustive `match`, so a
//! missing translation fails the build.

mod en;
mod zh_cn;

use serde::{Deserialize, Serialize};

use crate::audit::AuditAction;
use crate::error::ErrorCode;
use crate::roles::Role;
use crate::validation::Rule;

/// The cookie in which the page's language switch remembers the choice, so the server paints
/// a page's first view (before the WASM loads) in that language too.
pub const LANG_COOKIE: &str = "rekey_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// What separates a sentence from the next, or from a link after it: a space in English,
    /// nothing in Chinese (which sets "？" and "：" without one).
    pub fn gap(self) -> &'static str {
        match self {
            Lang::En => " ",
            Lang::ZhCn => "",
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The best supported language for a browser or user tag; English when nothing matches.
    pub fn negotiate(tag: &str) -> Lang {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Lang::ZhCn,
            _ => Lang::En,
        }
    }

    /// Looks up a string of any of the three tables.
    pub fn t(self, key: impl Text) -> &'static str {
        key.in_lang(self)
    }

    pub fn error(self, code: ErrorCode) -> &'static str {
        match self {
            Lang::En => en::error(code),
            Lang::ZhCn => zh_cn::error(code),
        }
    }

    pub fn rule(self, rule: Rule) -> &'static str {
        match self {
            Lang::En => en::rule(rule),
            Lang::ZhCn => zh_cn::rule(rule),
        }
    }

    /// The text of a rule only the admin centre checks (`None` for the others).
    pub fn admin_rule(self, rule: Rule) -> Option<&'static str> {
        match self {
            Lang::En => en::admin_rule(rule),
            Lang::ZhCn => zh_cn::admin_rule(rule),
        }
    }

    pub fn role(self, role: Role) -> &'static str {
        match self {
            Lang::En => en::role(role),
            Lang::ZhCn => zh_cn::role(role),
        }
    }

    pub fn action(self, action: AuditAction) -> &'static str {
        match self {
            Lang::En => en::action(action),
            Lang::ZhCn => zh_cn::action(action),
        }
    }

    /// A built-in security question in this language.
    pub fn question(self, question: crate::questions::BuiltInQuestion) -> &'static str {
        match self {
            Lang::En => en::question(question),
            Lang::ZhCn => zh_cn::question(question),
        }
    }

    /// Looks up a string with `{name}` placeholders and fills them in.
    pub fn format(self, key: impl Text, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }
}

/// A key of one of the string tables. The tables are split by who reads them ([`Key`],
/// [`UserKey`], [`AdminKey`], [`MessageKey`]), so each SPA bundle links only the strings it shows: a phone
/// downloads neither the admin centre's strings nor the emails'.
pub trait Text: Copy {
    fn in_lang(self, lang: Lang) -> &'static str;
}

impl Text for Key {
    fn in_lang(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => en::key(self),
            Lang::ZhCn => zh_cn::key(self),
        }
    }
}

impl Text for UserKey {
    fn in_lang(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => en::user(self),
            Lang::ZhCn => zh_cn::user(self),
        }
    }
}

impl Text for AdminKey {
    fn in_lang(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => en::admin(self),
            Lang::ZhCn => zh_cn::admin(self),
        }
    }
}

impl Text for MessageKey {
    fn in_lang(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => en::message(self),
            Lang::ZhCn => zh_cn::message(self),
        }
    }
}

/// Fills a template's `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The strings of the reset flow and of what the other pages share with it (the reset bundle
/// links this table whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Loading,
    Language,
    // Sign-in
    SignInTitle,
    SignInIntro,
    SignInName,
    SignIn,
    TryAgainIn,
    // Shared with the admin centre
    Save,
    Saving,
    // Methods, proof and codes (security info and the reset flow)
    MethodNamePasskey,
    UsePasskey,
    PasskeyOr,
    MethodNameAuthenticatorApp,
    MethodNameMobilePhone,
    MethodNameEmail,
    MethodNameSecurityQuestions,
    Cancel,
    ProofTitle,
    ProofChoose,
    SendCode,
    Sending,
    ResendCode,
    ResendIn,
    CodeSentTo,
    CodeLabel,
    AppCodeHelp,
    Verify,
    Verifying,
    AttemptsRemaining,
    EmailAddress,
    EmailAddressHelp,
    MobileNumber,
    MobileNumberHelp,
    // Reset flow
    BackToSignIn,
    ResetWhoTitle,
    ResetWhoIntro,
    ResetNameHelp,
    Next,
    PuzzleChecking,
    ResetIntentTitle,
    IntentReset,
    IntentResetHelp,
    IntentUnlock,
    IntentUnlockHelp,
    StepOf,
    GateEmailHelp,
    GateEmailSent,
    GatePhoneHelp,
    GatePhoneSent,
    GateQuestionsIntro,
    GateNewQuestions,
    GateSameQuestions,
    GatePassed,
    NewPasswordTitle,
    NewPassword,
    ConfirmPassword,
    NewPasswordHelp,
    DirectoryHistoryHelp,
    ShowPasswords,
    PasswordStrength,
    StrengthTooWeak,
    StrengthWeak,
    StrengthFair,
    StrengthGood,
    StrengthStrong,
    ResetPassword,
    ResettingPassword,
    UnlockTitle,
    UnlockIntro,
    UnlockAccount,
    Unlocking,
    ResetDoneTitle,
    ResetDoneBody,
    UnlockDoneTitle,
    UnlockDoneBody,
    TimeLeft,
    ResetEndedTitle,
    ResetEndedBody,
    ResetBlockedTitle,
    ResetBlockedBody,
    StartAgain,
    ContactHelpdesk,
    ContactAdministrator,
    // Not found
    NotFoundTitle,
    NotFoundBody,
    GoHome,
}

/// The strings of the user bundle's own pages (sign-in, account, registration, security info,
/// password change): the reset bundle, which shows none of them, never links them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserKey {
    Password,
    SigningIn,
    SignedInAs,
    AccountTitle,
    AccountSsprOn,
    AccountSsprOff,
    SecurityInfoTitle,
    SecurityInfoIntro,
    YourMethods,
    NoMethods,
    SetByAdmin,
    MethodUpdated,
    QuestionsCount,
    MethodsProgress,
    MethodsEnough,
    AddMethods,
    AddNamed,
    ChangeNamed,
    RemoveNamed,
    ConfirmRemove,
    Remove,
    MethodSaved,
    MethodRemoved,
    ProofIntro,
    ProofVerified,
    AppScan,
    AppQrLabel,
    AppKey,
    AppKeyHelp,
    QuestionsIntro,
    QuestionN,
    AnswerN,
    ChooseQuestion,
    RegisterTitle,
    RegisterOneMore,
    RegisterMore,
    RegisterEnough,
    ReconfirmIntro,
    LooksGood,
    Change,
    SkipForNow,
    Done,
    Add,
    Continue,
    CantAccessAccount,
    ChangePassword,
    ChangingPassword,
    CurrentPassword,
    PasswordChangedMessage,
    ForcedChangeTitle,
    PasswordExpiredIntro,
    PasswordSetByAdminIntro,
    LockCountdown,
    LockOver,
    AppOpen,
    CopyKey,
    KeyCopied,
    PasskeyName,
    PasskeyExplain,
    PasskeyWaiting,
    PasskeyNameHelp,
    PasskeyDefaultName,
    CreatePasskey,
    PasskeysCount,
    PasskeyAdded,
    PasskeyLastUsed,
    PasskeyNeverUsed,
    Rename,
    RenameNamed,
    PasskeyRenamed,
}

/// The strings only the admin centre shows; the user bundle never links them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdminKey {
    // Admin centre shell
    SkipToContent,
    SignOut,
    AdminCentre,
    Menu,
    NavHome,
    NavUsers,
    NavGroups,
    NavSettings,
    NavOrgSettings,
    NavAuditLog,
    // Home
    HomeWelcome,
    HomeSsprCardTitle,
    HomeSsprNone,
    HomeSsprSelected,
    HomeSsprAll,
    HomeManageSspr,
    // Listings
    SearchUsers,
    SearchGroups,
    NoResults,
    PreviousPage,
    NextPage,
    PageOf,
    Pagination,
    TotalCount,
    // Users
    UsersTitle,
    ColDisplayName,
    ColSignInName,
    ColStatus,
    ColRoles,
    Enabled,
    Disabled,
    NoRole,
    // Groups
    GroupsTitle,
    ColGroupName,
    ColDescription,
    ColMembers,
    // Org settings
    OrgSettingsTitle,
    TabSecurityPrivacy,
    SsprItemTitle,
    SsprItemDescription,
    // SSPR panel
    SsprTitle,
    SsprIntro,
    SsprScopeLegend,
    ScopeNone,
    ScopeNoneHelp,
    ScopeSelected,
    ScopeSelectedHelp,
    ScopeAll,
    ScopeAllHelp,
    GroupPickerLabel,
    GroupPickerPlaceholder,
    GroupPickerNone,
    SelectedGroup,
    Discard,
    UnsavedChanges,
    SavedMessage,
    ReadOnlyTitle,
    ReadOnlyReason,
    LastChanged,
    // SSPR settings sections
    SsprSections,
    SectionProperties,
    SectionMethods,
    SectionRegistration,
    SectionNotifications,
    SectionCustomization,
    MethodsRequired,
    MethodsAvailable,
    MethodEmail,
    MethodMobilePhone,
    MethodAuthenticatorApp,
    MethodPasskey,
    PasskeyAlone,
    PasskeyAloneHelp,
    PasskeyDomain,
    PasskeyNoDomain,
    MethodSecurityQuestions,
    QuestionsToRegister,
    QuestionsToReset,
    QuestionsHelp,
    RequireRegistration,
    RequireRegistrationHelp,
    ReconfirmDays,
    ReconfirmDaysHelp,
    NotifyUsers,
    NotifyAdmins,
    CustomHelpdesk,
    CustomHelpdeskOffHelp,
    HelpdeskContact,
    One,
    Two,
    TestEmailTitle,
    TestEmailHelp,
    TestEmailAddress,
    SendTestEmail,
    TestEmailQueued,
    EmailNotConfigured,
    EmailSender,
    CustomQuestions,
    CustomQuestionsHelp,
    AddQuestion,
    RemoveQuestion,
    CustomQuestionLabel,
    BuiltInQuestions,
    // Audit log
    AuditTitle,
    ColWhen,
    ColActor,
    ColAction,
    ColTarget,
    ColChange,
    SystemActor,
    PasswordExpiresOn,
    PasswordChangedOn,
    LockedState,
    UnlockFor,
    UserUnlockedNamed,
    AuditIntro,
    SearchAudit,
    FilterUser,
    FilterAction,
    FilterOutcome,
    OutcomeSuccess,
    OutcomeFailure,
    FilterFrom,
    FilterTo,
    ColClient,
    RawDetail,
    ValueOn,
    ValueOff,
    ValueNone,
    NewerEvents,
    OlderEvents,
    ExportCsv,
    ExportCsvHelp,
    // Security info
    ColSecurityInfo,
    Registered,
    NotRegistered,
    ColActions,
    ContactInfo,
    ContactInfoFor,
    ContactInfoHelp,
    AuthEmail,
    AuthPhone,
    ContactInfoSaved,
    AllowSkip,
    AllowSkipHelp,
    TestSmsTitle,
    TestSmsHelp,
    TestSmsNumber,
    SendTestSms,
    TestSmsQueued,
    SmsNotConfigured,
    SmsProvider,
    // Reset flow
    AllowUnlock,
    AllowUnlockHelp,
    ResetHints,
    ResetHintsHelp,
    // Password policy
    PasswordPolicyItemTitle,
    PasswordPolicyItemDescription,
    PasswordPolicyTitle,
    MinPasswordLength,
    MinPasswordLengthHelp,
    BannedPasswords,
    BannedPasswordsHelp,
    BannedPasswordsLabel,
    // Password change & expiry
    RequireCharacterClasses,
    RequireCharacterClassesHelp,
    PasswordHistory,
    PasswordHistoryHelp,
    PasswordExpiryItemTitle,
    PasswordExpiryItemDescription,
    PasswordExpiryTitle,
    PasswordExpiryIntro,
    PasswordExpiryByDirectory,
    PasswordsNeverExpire,
    PasswordsNeverExpireHelp,
    PasswordsExpire,
    PasswordMaxAge,
    PasswordMaxAgeHelp,
    PasswordNoticeDays,
    PasswordNoticeDaysHelp,
    ExpiryImpact,
    ExpiryImpactNoneExpired,
    ExpiryImpactNotice,
    // Users management
    NewUser,
    ImportUsers,
    UserFilters,
    FilterRole,
    FilterGroup,
    FilterStatus,
    FilterRegistration,
    FilterPassword,
    AnyValue,
    ClearFilters,
    ColPassword,
    PasswordExpiredState,
    PasswordNeverExpiresState,
    AllUsers,
    SectionAccount,
    SectionSignIn,
    CreatedAt,
    LastSignIn,
    Never,
    PasswordChangedAt,
    PasswordExpiresAt,
    ChangeAtNextSignIn,
    ChangeDueExpired,
    ChangeDueAdminReset,
    ChangeNotDue,
    ActiveSessions,
    SignInLockout,
    LockedUntil,
    NotLocked,
    MethodsRegistered,
    MethodsNone,
    SaveDisplayName,
    EnableUser,
    DisableUser,
    UserEnabled,
    UserDisabled,
    RolesHelp,
    SaveRoles,
    NoGroups,
    RemoveFromGroup,
    AddToGroup,
    ChooseGroup,
    AddedToGroup,
    RemovedFromGroup,
    UserNeverExpires,
    UserNeverExpiresHelp,
    NeverExpiresOn,
    NeverExpiresOff,
    UnlockUser,
    UserUnlocked,
    SignOutEverywhere,
    SignedOutEverywhere,
    UserPasskeysTitle,
    UserPasskeysHelp,
    UserNoPasskeys,
    UserRemovePasskeyConfirm,
    UserPasskeyRemoved,
    DeleteUser,
    DeleteUserTitle,
    DeleteUserBody,
    Deleting,
    ResetPasswordFor,
    ResetPasswordIntro,
    GeneratePassword,
    GeneratePasswordHelp,
    TypePassword,
    RequireChange,
    RequireChangeHelp,
    EmailPassword,
    EmailPasswordHelp,
    PasswordResetDone,
    TemporaryPassword,
    CopyPassword,
    Copied,
    ShownOnce,
    EmailedTo,
    CreateUser,
    CreatingUser,
    UserCreated,
    OpenUser,
    ImportHelp,
    ImportCsv,
    ImportFile,
    CheckImport,
    CheckingImport,
    ImportClean,
    ImportProblemsFound,
    ImportProblemsTitle,
    ColLine,
    ColColumn,
    ColProblem,
    ImportNow,
    Importing,
    ImportCheckFirst,
    ImportDone,
    OwnAccountNote,
    // Embedding & branding
    BrandingItemTitle,
    BrandingItemDescription,
    BrandingTitle,
    OrganisationName,
    OrganisationNameHelp,
    LogoUrl,
    LogoUrlHelp,
    LogoPreview,
    AccentColour,
    AccentColourHelp,
    AccentColourPicker,
    ContrastRatio,
    ContrastEnough,
    ContrastTooLow,
    AccentPreview,
    EmbeddingItemTitle,
    EmbeddingItemDescription,
    EmbeddingTitle,
    EmbeddingIntro,
    AllowedOrigins,
    AllowedOriginsHelp,
    DirectoryItemTitle,
    DirectoryItemDescription,
    DirectoryTitle,
    DirectoryIntro,
    DirectoryFromEnvironment,
    DirectorySourceLegend,
    DirectorySourceOwn,
    DirectorySourceOwnHelp,
    DirectorySourceLdap,
    DirectorySourceLdapHelp,
    DirectoryKind,
    DirectoryKindAd,
    DirectoryKindOpenldap,
    DirectoryUrls,
    DirectoryUrlsHelp,
    DirectoryStartTls,
    DirectoryStartTlsHelp,
    DirectoryCaPem,
    DirectoryCaPemHelp,
    DirectoryBindDn,
    DirectoryBindDnHelp,
    DirectoryBindPassword,
    DirectoryBindPasswordKept,
    DirectoryUsersBaseDn,
    DirectoryUsersFilter,
    DirectoryGroupsBaseDn,
    DirectoryGroupsFilter,
    DirectoryAttributes,
    DirectoryAttrSignIn,
    DirectoryAttrDisplayName,
    DirectoryAttrEmail,
    DirectoryAttrMobile,
    DirectoryAttrStableId,
    DirectoryTimeout,
    DirectoryTest,
    DirectoryTesting,
    DirectoryTestPassed,
    DirectoryTestFailed,
    DirectoryFound,
    DirectorySamples,
    DirectorySampleDn,
    DirectorySync,
    DirectorySyncIntro,
    DirectorySyncNow,
    DirectorySyncFull,
    DirectorySyncProgress,
    DirectorySyncReadChanges,
    DirectorySyncReadAll,
    DirectorySyncing,
    DirectoryNeverSynced,
    DirectoryLastSync,
    DirectorySyncStopped,
    DirectorySyncSkipped,
    DirectoryCheckConnect,
    DirectoryCheckTls,
    DirectoryCheckBind,
    DirectoryCheckUsers,
    DirectoryCheckGroups,
    DirectoryCheckLockout,
    DirectoryReached,
    DirectoryPlainLdap,
    DirectorySignedIn,
    DirectoryBindRefusedDetail,
    DirectoryPeopleFound,
    DirectoryAttributesMissing,
    DirectoryNobodyFound,
    DirectoryGroupsFound,
    DirectoryLockoutUnknown,
    DirectoryWritebackAllowed,
    DirectoryWritebackMissing,
    DirectoryWritebackUnknown,
    DirectoryRightResetPassword,
    DirectoryRightUnlock,
    DirectoryRightRequireChange,
    /// Between the items of a list written out in a sentence.
    ListSeparator,
    DirectoryLockoutFirst,
    DirectoryLockoutAfter,
    CheckPassed,
    CheckFailed,
    CheckWarning,
    LineError,
    SourceDirectory,
    SourceDirectoryHelp,
    SourceRekeyAccount,
    SourceRekeyAccountHelp,
    RolesThroughGroups,
    GroupRoles,
    GroupRolesFor,
    GroupRolesHelp,
    GroupRolesSaved,
    ColGroupRoles,
    // Usage & insights
    NavReports,
    ReportsTitle,
    ReportsIntro,
    HomeReportsTitle,
    HomeCapable,
    HomeCapableDetail,
    HomeSelfService,
    HomeOpenReports,
    RegistrationTitle,
    RegistrationIntro,
    CapableUsers,
    CapableShare,
    CoverageTitle,
    PartlyRegistered,
    NotCovered,
    MethodsHeldTitle,
    MethodNotAllowed,
    AdminCoverageTitle,
    ColMethod,
    ColUsers,
    ColCount,
    ColState,
    ActivityTitle,
    ActivityIntro,
    Period,
    LastDays,
    CustomDates,
    GroupBy,
    ByDay,
    ByWeek,
    FigureStarted,
    FigureResets,
    FigureUnlocks,
    FigureAbandoned,
    FigureBlocked,
    FigureAdminResets,
    FigureAdminUnlocks,
    FigureSelfService,
    FigureHelpdesk,
    ChartSelfService,
    ChartHelpdesk,
    ChartSummary,
    ShowTable,
    ColPeriodStart,
    MethodsActivityTitle,
    ColFailedProofs,
    ReasonsTitle,
    ColReason,
    ColFlow,
    ColFlows,
    FlowReset,
    FlowUnlock,
    ReasonLeft,
    ReasonUnknownName,
    ReasonNotCovered,
    ReasonNotRegistered,
    ReasonWrongCode,
    ReasonWrongAnswers,
    ReasonCodeReused,
    ReasonCodeExpired,
    ReasonBlocked,
    ReasonPasswordRefused,
    ReasonDirectoryRefused,
    ReasonPasskeyRefused,
    RegistrationActivityTitle,
    RegAdded,
    RegChanged,
    RegRemoved,
    RegReconfirmed,
    DownloadTable,
    DownloadUsers,
    DownloadEvents,
    DownloadEventsHelp,
    NoActivity,
    ReportFilters,
    FilterCovered,
    FilterHolds,
    FilterAdmins,
    FilterNotAdmins,
    FilterDetail,
    CountedAt,
    CountAgain,
}

/// The texts of emails and SMS messages, sent by the server; no page links them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKey {
    // The admin centre's test message
    EmailTestSubject,
    EmailTestBody,
    // Messages sent to users (email and SMS)
    CodeEmailSubject,
    CodeEmailBody,
    CodeSms,
    SmsTestBody,
    PasswordChangedSubject,
    PasswordChangedBody,
    AdminPasswordResetSubject,
    AdminPasswordResetBody,
    TemporaryPasswordSubject,
    TemporaryPasswordBody,
    ExpiryNoticeSubject,
    ExpiryNoticeBody,
    AccountLockedSubject,
    AccountLockedBody,
    AccountUnlockedSubject,
    AccountUnlockedBody,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_pick_the_nearest_language() {
        assert_eq!(Lang::negotiate("zh-CN"), Lang::ZhCn);
        assert_eq!(Lang::negotiate("zh_Hans_CN"), Lang::ZhCn);
        assert_eq!(Lang::negotiate("ZH"), Lang::ZhCn);
        assert_eq!(Lang::negotiate("en-GB"), Lang::En);
        assert_eq!(Lang::negotiate("de-DE"), Lang::En);
        assert_eq!(Lang::negotiate(""), Lang::En);
    }

    #[test]
    fn chinese_speaks_in_one_register() {
        // 你 on every screen and in every message, as Microsoft's zh-CN pages do; the formal 您
        // in the emails read as another voice.
        assert!(!include_str!("zh_cn.rs").contains('您'));
    }

    #[test]
    fn placeholders_are_filled_in() {
        let text = Lang::En.format(AdminKey::PageOf, &[("page", "2"), ("pages", "7")]);
        assert_eq!(text, "Page 2 of 7");
        let zh = Lang::ZhCn.format(AdminKey::PageOf, &[("page", "2"), ("pages", "7")]);
        assert!(zh.contains('2') && zh.contains('7') && !zh.contains('{'));
    }

    #[test]
    fn every_language_translates_every_code_differently_from_english() {
        for code in crate::error::ErrorCode::ALL {
            assert!(!Lang::ZhCn.error(code).is_empty());
            assert_ne!(Lang::ZhCn.error(code), Lang::En.error(code));
        }
        for role in Role::ALL {
            assert_ne!(Lang::ZhCn.role(role), Lang::En.role(role));
        }
    }
}
