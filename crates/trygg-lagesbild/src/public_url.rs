//! The address residents and staff reach Trygg at: the only source of absolute
//! links (invitation letters, the Atom feed), never a request's `Host` header.
//! The server and `trygg invitations create` parse it the same way.

/// The validated `server.public_url`: scheme and host (and port), no trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// Parses `text`: `http://` or `https://`, a host of letters, digits, dots,
    /// hyphens and an optional port, and nothing after it but an optional path
    /// (no query or fragment).
    ///
    /// # Errors
    /// A message naming `server.public_url` and the text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim().trim_end_matches('/');
        let invalid = || {
            format!("server.public_url `{text}` is not an address such as https://trygg.kommun.se")
        };
        let (scheme, rest) = trimmed.split_once("://").ok_or_else(invalid)?;
        let host = rest.split('/').next().unwrap_or_default();
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        let path_ok = !rest.contains(['?', '#', ' ', '"', '\\', '<', '>']);
        if matches!(scheme, "http" | "https") && host_ok && path_ok {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(invalid())
        }
    }

    /// `public_url` when set, or the address Trygg listens on (`bind` with the
    /// bound `port`; 0.0.0.0 and :: as 127.0.0.1).
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn from_bind(public_url: Option<&str>, bind: &str, port: u16) -> Result<Self, String> {
        if let Some(url) = public_url {
            return Self::parse(url);
        }
        let host = bind.rsplit_once(':').map_or("127.0.0.1", |(host, _)| host);
        let host = if matches!(host, "0.0.0.0" | "[::]" | "") {
            "127.0.0.1"
        } else {
            host
        };
        Self::parse(&format!("http://{host}:{port}"))
    }

    /// `https://trygg.kommun.se` (no trailing slash).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
