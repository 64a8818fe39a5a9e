//! Origins (`scheme://host:port`) as browsers send them in `Origin` and `Referer`,
//! compared by scheme, host and port.

/// `scheme://host:port` of a URL, lower-cased, with the default port made explicit;
/// `None` for anything that is not an http(s) URL with a host (including `null`).
pub fn normalise(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    // An IPv6 literal keeps its brackets; the port follows the last colon after it.
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host.to_owned(), port.parse::<u16>().ok()?),
        _ => (authority.clone(), default_port),
    };
    if host.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{host}:{port}"))
}

/// Whether `source` (an Origin or Referer value) is one of `allowed` (normalised).
pub fn is_allowed(source: &str, allowed: &[String]) -> bool {
    normalise(source).is_some_and(|o| allowed.contains(&o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_by_scheme_host_and_port() {
        assert_eq!(
            normalise("http://127.0.0.1:3000").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            normalise("HTTPS://Gapwise.Example/x?y").as_deref(),
            Some("https://gapwise.example:443")
        );
        assert_eq!(
            normalise("http://gapwise.example").as_deref(),
            Some("http://gapwise.example:80")
        );
        assert_eq!(
            normalise("http://[::1]:3000/").as_deref(),
            Some("http://[::1]:3000")
        );
        for bad in [
            "null",
            "",
            "gapwise.example",
            "ftp://x",
            "http://",
            "http://u@evil.example",
            "http://x:99999",
        ] {
            assert_eq!(normalise(bad), None, "{bad:?}");
        }
        let allowed = [normalise("https://gapwise.example").unwrap_or_default()];
        assert!(is_allowed("https://gapwise.example", &allowed));
        assert!(is_allowed(
            "https://gapwise.example:443/people?x=1",
            &allowed
        ));
        assert!(
            !is_allowed("http://gapwise.example", &allowed),
            "wrong scheme"
        );
        assert!(
            !is_allowed("https://gapwise.example:8443", &allowed),
            "wrong port"
        );
        assert!(!is_allowed(
            "https://gapwise.example.evil.example",
            &allowed
        ));
        assert!(!is_allowed("null", &allowed));
    }
}
