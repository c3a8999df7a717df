//! The SPA's bundles. The admin centre is built apart from the user flows, so a phone that
//! resets a password never downloads it: the server serves each bundle's page for its routes,
//! and a bundle hands a route of the other to a full page load. Both ends decide with
//! [`Bundle::for_path`].

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bundle {
    /// Sign-in, the user's own pages, the registration wizard and the public reset flow.
    User,
    /// The admin centre, `/admin` and below.
    Admin,
}

impl Bundle {
    pub const ALL: [Bundle; 2] = [Bundle::User, Bundle::Admin];

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
    fn each_bundle_has_its_own_page() {
        assert_eq!(Bundle::User.page(), "index.html");
        assert_ne!(Bundle::User.page(), Bundle::Admin.page());
    }
}
