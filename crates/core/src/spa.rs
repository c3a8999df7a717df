//! The SPA's bundles. The admin centre is built apart from the user flows, so a phone that
//! resets a password never downloads it, and the reset flow has a bundle of its own for people
//! who open it directly (from a portal's link or frame), the way most arrive. The server serves
//! each bundle's page for its routes, and a bundle hands a route it does not hold to a full page
//! load. Both ends decide with [`Bundle::for_path`].

use crate::i18n::Key;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bundle {
    /// Sign-in, the user's own pages and the registration wizard; the reset flow too, so that
    /// "Can't access your account?" on the sign-in page stays in the page, and a portal that
    /// mounts this bundle on its own page gets every user flow.
    User,
    /// The reset flow alone, `/reset` and below: what the server sends to whoever opens it.
    Reset,
    /// The admin centre, `/admin` and below.
    Admin,
}

impl Bundle {
    pub const ALL: [Bundle; 3] = [Bundle::User, Bundle::Reset, Bundle::Admin];

    /// The bundle's page in the build output.
    pub fn page(self) -> &'static str {
        match self {
            Bundle::User => "index.html",
            Bundle::Reset => "reset.html",
            Bundle::Admin => "admin.html",
        }
    }

    /// The route the bundle opens at: what its page stands for when asked for by name.
    pub fn home(self) -> &'static str {
        match self {
            Bundle::User => "/",
            Bundle::Reset => "/reset",
            Bundle::Admin => "/admin",
        }
    }

    /// The route a bundle's page asked for by name (`/reset.html`) stands for. The server serves
    /// the page for it, and the app goes on at that route: routes know no file names.
    pub fn route_named(path: &str) -> Option<&'static str> {
        let name = path.strip_prefix('/')?;
        Bundle::ALL
            .into_iter()
            .find(|bundle| bundle.page() == name)
            .map(Bundle::home)
    }

    /// The bundle the server serves for a route, given as a path inside the app (without the
    /// base path).
    pub fn for_path(path: &str) -> Bundle {
        if is_under(path, "/admin") {
            Bundle::Admin
        } else if is_under(path, "/reset") {
            Bundle::Reset
        } else {
            Bundle::User
        }
    }

    /// Whether the bundle's own route table has `path`: its own routes, and for the user bundle
    /// the reset flow too. A link to any other path is a page load of another bundle.
    pub fn holds(self, path: &str) -> bool {
        let served = Bundle::for_path(path);
        served == self || (self == Bundle::User && served == Bundle::Reset)
    }
}

/// `path` is `top` or below it (`/admin/users`, not `/administrator`).
fn is_under(path: &str, top: &str) -> bool {
    path.strip_prefix(top)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
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
        "/reset" | "/passkey-reset" => Some(RESET_OPENING),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_admin_centre_and_the_reset_flow_are_their_paths_and_below() {
        for path in [
            "/admin",
            "/admin/",
            "/admin/users/42",
            "/admin/settings/org",
        ] {
            assert_eq!(Bundle::for_path(path), Bundle::Admin, "{path}");
        }
        for path in ["/reset", "/reset/", "/reset/admin"] {
            assert_eq!(Bundle::for_path(path), Bundle::Reset, "{path}");
        }
        for path in [
            "/",
            "",
            "/signin",
            "/account/security-info",
            "/administrator",
            "/admins/x",
            "/resetting",
            "/signin/reset",
        ] {
            assert_eq!(Bundle::for_path(path), Bundle::User, "{path}");
        }
    }

    #[test]
    fn the_user_bundle_holds_the_reset_flow_too() {
        assert!(Bundle::User.holds("/signin"));
        assert!(Bundle::User.holds("/reset"));
        assert!(!Bundle::User.holds("/admin/users"));
        assert!(Bundle::Reset.holds("/reset"));
        assert!(!Bundle::Reset.holds("/signin"));
        assert!(!Bundle::Reset.holds("/admin"));
        assert!(Bundle::Admin.holds("/admin/users"));
        assert!(!Bundle::Admin.holds("/account/security-info"));
    }

    #[test]
    fn a_page_asked_for_by_name_stands_for_its_bundles_home() {
        for bundle in Bundle::ALL {
            let route = Bundle::route_named(&format!("/{}", bundle.page()));
            assert_eq!(route, Some(bundle.home()), "{bundle:?}");
            assert!(bundle.holds(bundle.home()), "{bundle:?}");
        }
        for path in [
            "/signin",
            "/reset",
            "/index.htm",
            "/x/reset.html",
            "reset.html",
            "",
        ] {
            assert_eq!(Bundle::route_named(path), None, "{path}");
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
