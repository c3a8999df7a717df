//! The SPA's bundles. The admin centre is built apart from the user flows, so a phone that
//! resets a password never downloads it: the server serves each bundle's page for its routes,
//! and a bundle hands a route of the other to a full page load. Both ends decide with
//! [`Bundle::for_path`].

use crate::i18n::Key;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bundle {
    /// Sign-in, the user's own pages, the registration wizard and the public reset flow.
    User,
    /// The admin centre, `/admin` and below.
    Admin,
}

impl Bundle {
    /// The bundle's page in the build output.
    pub fn page(self) -> &'static str {
        match self {
            Bundle::User => "index.html",
            Bundle::Admin => "admin.html",
        }
    }

    /// The bundle holding a route, given as a path inside the app (without the base path).
    pub fn for_path(path: &str) -> Bundle {
        match path.strip_prefix("/admin") {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => Bundle::Admin,
            _ => Bundle::User,
        }
    }
}

/// How a public page opens: its heading and introduction. The server paints them before the
/// WASM has loaded and the page then draws the same, so nothing on screen changes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Opening {
    pub title: Key,
    pub intro: Key,
}

pub const SIGN_IN_OPENING: Opening = Opening {
    title: Key::SignInTitle,
    intro: Key::SignInIntro,
};

/// The reset flow's first step, "who are you?".
pub const RESET_OPENING: Opening = Opening {
    title: Key::ResetWhoTitle,
    intro: Key::ResetWhoIntro,
};

/// The opening of the page at a path inside the app, for the pages anyone may open.
pub fn opening(path: &str) -> Option<Opening> {
    match path {
        "/" | "/signin" => Some(SIGN_IN_OPENING),
        "/reset" => Some(RESET_OPENING),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_admin_centre_is_admin_and_below_only() {
        for path in [
            "/admin",
            "/admin/",
            "/admin/users/42",
            "/admin/settings/org",
        ] {
            assert_eq!(Bundle::for_path(path), Bundle::Admin, "{path}");
        }
        for path in [
            "/",
            "",
            "/signin",
            "/reset",
            "/account/security-info",
            "/administrator",
            "/admins/x",
            "/reset/admin",
        ] {
            assert_eq!(Bundle::for_path(path), Bundle::User, "{path}");
        }
    }

    #[test]
    fn only_public_pages_have_an_opening() {
        assert_eq!(opening("/"), Some(SIGN_IN_OPENING));
        assert_eq!(opening("/signin"), Some(SIGN_IN_OPENING));
        assert_eq!(opening("/reset"), Some(RESET_OPENING));
        for path in ["/account", "/register", "/admin", "/reset/x", "/signin/"] {
            assert_eq!(opening(path), None, "{path}");
        }
    }
}
