//! How Rekey looks and where it may live: the organisation's branding (name, logo, accent
//! colour on the user screens and in messages) and the embedding allowlist (which sites may
//! frame Rekey and call its API from the browser).

use serde::{Deserialize, Serialize};

use super::SettingsSection;
use crate::audit::AuditAction;
use crate::validation::{FieldError, Rule};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BrandingSettings {
    /// Shown on the user screens and in messages; empty: the deployment's `--org-name`.
    #[serde(default)]
    pub organisation_name: String,
    /// An https:// address of the logo image; empty: no logo.
    #[serde(default)]
    pub logo_url: String,
    /// `#rrggbb`. Buttons and links use it with white text, so it must reach 4.5:1 against
    /// white (WCAG AA).
    pub accent_colour: String,
}

pub const ORGANISATION_NAME_MAX: usize = 64;
pub const LOGO_URL_MAX: usize = 2048;
pub const DEFAULT_ACCENT: &str = "#0f5ea8";
/// WCAG AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

impl Default for BrandingSettings {
    fn default() -> Self {
        BrandingSettings {
            organisation_name: String::new(),
            logo_url: String::new(),
            accent_colour: DEFAULT_ACCENT.to_string(),
        }
    }
}

/// The colour's red, green and blue, when it is `#rrggbb`.
pub fn parse_hex_colour(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// The WCAG contrast ratio of a colour against white (1 to 21).
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
    1.05 / (luminance + 0.05)
}

impl SettingsSection for BrandingSettings {
    const KEY: &'static str = "branding";
    const PATH: &'static str = "/settings/branding";
    const AUDIT: AuditAction = AuditAction::BrandingChanged;

    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let name = &self.organisation_name;
        if name.chars().count() > ORGANISATION_NAME_MAX {
            errors.push(FieldError::new("organisation_name", Rule::TooLong));
        } else if name.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "organisation_name",
                Rule::InvalidCharacters,
            ));
        }
        let logo = &self.logo_url;
        if logo.len() > LOGO_URL_MAX {
            errors.push(FieldError::new("logo_url", Rule::TooLong));
        } else if !logo.is_empty() && !is_https_url(logo) {
            errors.push(FieldError::new("logo_url", Rule::NotHttpsUrl));
        }
        match parse_hex_colour(&self.accent_colour) {
            None => errors.push(FieldError::new("accent_colour", Rule::NotColour)),
            Some(rgb) if contrast_with_white(rgb) < MIN_CONTRAST => {
                errors.push(FieldError::new("accent_colour", Rule::LowContrast))
            }
            Some(_) => {}
        }
        errors
    }

    fn normalize(&mut self) {
        self.organisation_name = self.organisation_name.trim().to_string();
        self.logo_url = self.logo_url.trim().to_string();
        self.accent_colour = self.accent_colour.trim().to_lowercase();
    }
}

fn is_https_url(text: &str) -> bool {
    text.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty()
            && !text
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '\'')
    })
}

/// Sites that may embed Rekey: frame it (CSP `frame-ancestors`), call its API from the browser
/// (CORS with credentials) and receive its `postMessage` events.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EmbeddingSettings {
    /// Origins such as `https://portal.contoso.example` (up to 50). Plain http only for
    /// localhost, for development.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

pub const ORIGINS_MAX: usize = 50;

/// The host (IPv6 in brackets) and optional port of `host[:port]`.
fn split_host_port(rest: &str) -> Option<(&str, Option<&str>)> {
    if rest.starts_with('[') {
        let end = rest.find(']')?;
        let after = &rest[end + 1..];
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        return Some((&rest[..=end], port));
    }
    Some(match rest.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    })
}

/// Whether `text` is a web origin: scheme, host and optional port, nothing else.
pub fn is_origin(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    let Some((host, port)) = split_host_port(rest) else {
        return false;
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
    let local = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    let scheme_ok = scheme == "https" || (scheme == "http" && local);
    scheme_ok && host_ok && port_ok
}

impl SettingsSection for EmbeddingSettings {
    const KEY: &'static str = "embedding";
    const PATH: &'static str = "/settings/embedding";
    const AUDIT: AuditAction = AuditAction::EmbeddingChanged;

    fn validate(&self) -> Vec<FieldError> {
        let field = "allowed_origins";
        if self.allowed_origins.len() > ORIGINS_MAX {
            return vec![FieldError::new(field, Rule::TooMany)];
        }
        // Each entry is judged as it will be saved, and a wrong one is named by its line
        // (`allowed_origins.N`, counting the entries from 0), so the page points at it.
        let mut seen = std::collections::HashSet::new();
        let mut errors = Vec::new();
        for (n, origin) in self
            .allowed_origins
            .iter()
            .map(|o| normalize_origin(o))
            .enumerate()
        {
            let rule = if !is_origin(&origin) {
                Rule::NotOrigin
            } else if !seen.insert(origin) {
                Rule::Duplicate
            } else {
                continue;
            };
            errors.push(FieldError::new(&format!("{field}.{n}"), rule));
        }
        errors
    }

    fn normalize(&mut self) {
        self.allowed_origins = self
            .allowed_origins
            .iter()
            .map(|o| normalize_origin(o))
            .filter(|o| !o.is_empty())
            .collect();
    }
}

/// The one spelling of an origin as browsers send it in `Origin`: no surrounding spaces, no
/// trailing slash, lower case, and no port when it is the scheme's default.
pub fn normalize_origin(text: &str) -> String {
    let origin = text.trim().trim_end_matches('/').to_lowercase();
    for (scheme, port) in [("https://", ":443"), ("http://", ":80")] {
        if origin.starts_with(scheme) {
            if let Some(bare) = origin.strip_suffix(port) {
                return bare.to_string();
            }
        }
    }
    origin
}

impl EmbeddingSettings {
    pub fn allows(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accent_must_be_readable_on_white() {
        assert!(BrandingSettings::default().validate().is_empty());
        let with = |accent: &str| BrandingSettings {
            accent_colour: accent.into(),
            ..Default::default()
        };
        assert_eq!(with("#ffd700").validate()[0].rule, Rule::LowContrast);
        assert_eq!(with("blue").validate()[0].rule, Rule::NotColour);
        assert_eq!(with("#12345").validate()[0].rule, Rule::NotColour);
        assert!(with("#000000").validate().is_empty());
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 0.01);
        assert!((contrast_with_white([255, 255, 255]) - 1.0).abs() < 0.01);
    }

    #[test]
    fn logos_come_from_https_addresses() {
        let with = |logo: &str| BrandingSettings {
            logo_url: logo.into(),
            ..Default::default()
        };
        assert!(with("https://cdn.contoso.example/logo.svg")
            .validate()
            .is_empty());
        assert!(with("").validate().is_empty());
        for bad in [
            "http://x.example/l.png",
            "javascript:alert(1)",
            "https://",
            "https://a b",
        ] {
            assert_eq!(with(bad).validate()[0].rule, Rule::NotHttpsUrl, "{bad}");
        }
    }

    #[test]
    fn only_origins_may_embed() {
        for good in [
            "https://portal.contoso.example",
            "https://portal.contoso.example:8443",
            "http://localhost:3000",
            "http://127.0.0.1:18082",
        ] {
            assert!(is_origin(good), "{good}");
        }
        for bad in [
            "portal.contoso.example",
            "http://portal.contoso.example",
            "https://portal.contoso.example/path",
            "https://*.contoso.example",
            "https://x.example:99999",
            "*",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
        let mut tidy = EmbeddingSettings {
            allowed_origins: vec![" https://Portal.Contoso.Example/ ".into(), "".into()],
        };
        tidy.normalize();
        assert_eq!(tidy.allowed_origins, ["https://portal.contoso.example"]);
        assert!(tidy.validate().is_empty());
        assert!(tidy.allows("https://portal.contoso.example"));
        let twice = EmbeddingSettings {
            allowed_origins: vec!["https://a.example".into(), "HTTPS://A.example:443/".into()],
        };
        assert_eq!(
            twice.validate(),
            [FieldError::new("allowed_origins.1", Rule::Duplicate)]
        );
    }

    #[test]
    fn the_same_origin_spelt_differently_is_accepted_as_it_is_meant() {
        let typed = EmbeddingSettings {
            allowed_origins: vec![
                "http://localhost:18095/".into(),
                "HTTP://LOCALHOST:18096".into(),
                "http://[::1]:3000".into(),
                "https://portal.example:443".into(),
            ],
        };
        assert!(typed.validate().is_empty());
        let mut saved = typed.clone();
        saved.normalize();
        assert_eq!(
            saved.allowed_origins,
            [
                "http://localhost:18095",
                "http://localhost:18096",
                "http://[::1]:3000",
                "https://portal.example"
            ]
        );
        let wrong_third = EmbeddingSettings {
            allowed_origins: vec![
                "https://a.example".into(),
                "https://b.example".into(),
                "https://c.example/path".into(),
            ],
        };
        assert_eq!(
            wrong_third.validate(),
            [FieldError::new("allowed_origins.2", Rule::NotOrigin)]
        );
    }
}
