//! Glue between accounts and the i18n catalogue: supported locales and the cookie
//! leptos_i18n reads to choose the interface language.

/// The cookie leptos_i18n consults before `Accept-Language`.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// Maps any requested language tag onto a supported locale (`en` or `zh`).
pub fn normalise(requested: &str) -> &'static str {
    if requested.trim().to_ascii_lowercase().starts_with("zh") {
        "zh"
    } else {
        "en"
    }
}

/// `Set-Cookie` value remembering the language for a year.
pub fn cookie(locale: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{LOCALE_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_normalise() {
        assert_eq!(normalise("zh-CN"), "zh");
        assert_eq!(normalise("ZH"), "zh");
        assert_eq!(normalise("en-GB"), "en");
        assert_eq!(normalise("fr"), "en");
    }
}
