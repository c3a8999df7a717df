//! 简体中文 (Simplified Chinese).

use super::Key;
use crate::audit::AuditAction;
use crate::error::ErrorCode;
use crate::roles::Role;
use crate::validation::Rule;

pub(super) fn key(key: Key) -> &'static str {
    use Key::*;
    match key {
        AppName => "Rekey",
        Loading => "正在加载…",
        Language => "语言",
        SkipToContent => "跳到主要内容",
        SignInTitle => "登录",
        SignInIntro => "使用你的组织帐户。",
        SignInName => "登录名",
        Password => "密码",
        SignIn => "登录",
        SigningIn => "正在登录…",
        SignOut => "注销",
        TryAgainIn => "请在 {seconds} 秒后重试。",
        AdminCentre => "管理中心",
        Menu => "菜单",
        NavHome => "主页",
        NavUsers => "用户",
        NavGroups => "组",
        NavSettings => "设置",
        NavOrgSettings => "组织设置",
        NavAuditLog => "审核日志",
        SignedInAs => "已登录为 {name}",
        HomeTitle => "主页",
        HomeWelcome => "欢迎，{name}",
        HomeSsprCardTitle => "自助密码重置",
        HomeSsprNone => "已关闭：用户必须联系支持人员才能重置密码。",
        HomeSsprSelected => "已为 {group} 的成员启用。",
        HomeSsprAll => "已为所有人启用。",
        HomeManageSspr => "管理自助密码重置",
        Search => "搜索",
        SearchUsers => "搜索用户",
        SearchGroups => "搜索组",
        NoResults => "没有匹配项。",
        PreviousPage => "上一页",
        NextPage => "下一页",
        PageOf => "第 {page} 页，共 {pages} 页",
        Pagination => "分页",
        TotalCount => "共 {count} 项",
        UsersTitle => "用户",
        ColDisplayName => "显示名称",
        ColSignInName => "登录名",
        ColStatus => "状态",
        ColRoles => "管理员角色",
        Enabled => "已启用",
        Disabled => "已禁用",
        NoRole => "无",
        GroupsTitle => "组",
        ColGroupName => "名称",
        ColDescription => "说明",
        ColMembers => "成员",
        OrgSettingsTitle => "组织设置",
        TabSecurityPrivacy => "安全性与隐私",
        SsprItemTitle => "自助密码重置",
        SsprItemDescription => "让用户重置自己忘记的密码。",
        SsprTitle => "自助密码重置",
        SsprIntro => {
            "选择哪些用户可以重置自己的密码。启用后，系统将在用户登录时提示其注册安全信息。"
        }
        SsprScopeLegend => "已启用自助密码重置",
        ScopeNone => "无",
        ScopeNoneHelp => "任何人都不能重置自己的密码。",
        ScopeSelected => "所选",
        ScopeSelectedHelp => "一个组的成员，包括其嵌套组。",
        ScopeAll => "全部",
        ScopeAllHelp => "组织中的每个人。",
        GroupPickerLabel => "组",
        GroupPickerPlaceholder => "搜索组",
        GroupPickerNone => "没有匹配的组。",
        SelectedGroup => "所选组：{name}",
        ChangeGroup => "更改组",
        Save => "保存",
        Saving => "正在保存…",
        Discard => "放弃更改",
        Close => "关闭",
        UnsavedChanges => "你有未保存的更改。",
        SavedMessage => "已保存。",
        ReadOnlyTitle => "只读",
        ReadOnlyReason => "只有全局管理员和密码管理员可以更改此设置。",
        LastChanged => "上次由 {who} 于 {when} 更改。",
        AuditTitle => "审核日志",
        ColWhen => "时间",
        ColActor => "操作者",
        ColAction => "操作",
        ColTarget => "对象",
        ColChange => "更改",
        SystemActor => "系统",
        AccountTitle => "我的帐户",
        AccountIntro => "你已登录。",
        AccountSsprOn => "如果忘记密码，你可以自行重置。",
        AccountSsprOff => "尚未为你启用自助密码重置。如果忘记密码，请联系管理员。",
        NotFoundTitle => "找不到页面",
        NotFoundBody => "此地址没有内容。",
        GoHome => "转到主页",
    }
}

pub(super) fn error(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidJson => "无法读取该请求。",
        ErrorCode::UnsupportedMediaType => "请求必须以 JSON 格式发送。",
        ErrorCode::PayloadTooLarge => "请求过大。",
        ErrorCode::InvalidParameter => "请求的某个参数无效。",
        ErrorCode::ValidationFailed => "请更正标出的字段。",
        ErrorCode::Unauthenticated => "你的会话已结束，请重新登录。",
        ErrorCode::Forbidden => "你没有执行此操作的权限。",
        ErrorCode::CsrfFailed => "无法验证你的会话。请重新加载页面后重试。",
        ErrorCode::InvalidCredentials => "登录名或密码不正确。",
        ErrorCode::AccountLocked => "失败次数过多，登录已暂时锁定。",
        ErrorCode::NotFound => "找不到该内容。",
        ErrorCode::MethodNotAllowed => "此处不允许该操作。",
        ErrorCode::Internal => "服务器出现问题，未做任何更改。",
        ErrorCode::Unavailable => "服务暂时不可用，请稍后重试。",
    }
}

pub(super) fn rule(rule: Rule) -> &'static str {
    match rule {
        Rule::Required => "此字段为必填项。",
        Rule::GroupRequired => "选择“所选”时必须选择一个组。",
        Rule::GroupNotAllowed => "只有选择“所选”时才能选择组。",
        Rule::GroupNotFound => "该组已不存在。",
        Rule::TooLong => "内容过长。",
        Rule::InvalidCharacters => "包含不允许的字符。",
    }
}

pub(super) fn role(role: Role) -> &'static str {
    match role {
        Role::GlobalAdmin => "全局管理员",
        Role::PasswordAdmin => "密码管理员",
        Role::HelpdeskAdmin => "支持管理员",
        Role::UserAdmin => "用户管理员",
        Role::ReportsReader => "报告读者",
    }
}

pub(super) fn action(action: AuditAction) -> &'static str {
    match action {
        AuditAction::SsprSettingsChanged => "自助密码重置设置已更改",
        AuditAction::SignInSucceeded => "已登录",
        AuditAction::SignInFailed => "登录失败",
        AuditAction::SignInLocked => "多次失败后登录已锁定",
        AuditAction::SignedOut => "已注销",
        AuditAction::GlobalAdminCreated => "已创建全局管理员",
    }
}
