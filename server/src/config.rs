//! Configuration from the environment (`LINLI_*`, `DATABASE_URL`), the same for every subcommand.

use linli_core::RuleSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file (created with its directory when missing).
    Sqlite(PathBuf),
    /// A private in-memory SQLite database, gone when the process ends (tests, trials).
    Memory,
    /// PostgreSQL at this URL (`postgres://user:pass@host:port/db`); its password never reaches a log.
    Postgres(PostgresUrl),
}

/// A `postgres://` URL. Its `Debug` hides the password, so a logged configuration does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl(pub String);

impl std::fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PostgresUrl({})", self.redacted())
    }
}

impl PostgresUrl {
    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        let url = &self.0;
        let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
            return url.clone();
        };
        let rest = &url[scheme_end..];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        match rest[..authority_end].rfind('@') {
            Some(at) => match rest[..at].find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end],
                    &rest[..colon],
                    &rest[at..]
                ),
                None => url.clone(),
            },
            None => url.clone(),
        }
    }
}

/// Everything the server and the CLI need to know. Tests build it directly.
#[derive(Clone, Debug)]
pub struct Config {
    /// `LINLI_ADDR`; port 0 picks a free port.
    pub addr: SocketAddr,
    /// `DATABASE_URL`
    pub database: Database,
    /// `LINLI_DIST`: the built app.
    pub dist: PathBuf,
    /// `LINLI_TOKEN_TTL_SECS`: how long a login lasts. Long, because staff work offline for days.
    pub token_ttl: Duration,
    /// `LINLI_ADMIN_PASSWORD`: the first admin's password; generated and printed once when unset.
    pub admin_password: Option<String>,
    /// `LINLI_COMMUNITY`: id of the first community.
    pub community: String,
    /// `LINLI_COMMUNITY_NAME`
    pub community_name: String,
    /// `LINLI_RULES`: a rule set file (JSON, the shape of `core/data/rules-default.json`) for a district
    /// whose thresholds differ; the national defaults when unset. Served to the app at `/api/rules`.
    pub rules: RuleSet,
    /// `LINLI_PUBLIC_URL`: where residents reach the server (`https://linli.example.org`), for the links and
    /// QR codes on voting slips and paper forms; the listen address when unset. Never the request's `Host`.
    pub public_url: Option<String>,
    /// `LINLI_TRUSTED_PROXIES`: addresses of reverse proxies (comma-separated) whose `X-Forwarded-For` is
    /// believed; the client address is then the nearest untrusted one. Empty: the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `LINLI_MAX_CONNECTIONS`: most client connections held open at once (lowered further to stay below
    /// the process's file-descriptor limit; see `http/listen.rs`).
    pub max_connections: usize,
    /// `LINLI_MAX_REPLICAS`: most communities whose merged state one process keeps in memory; beyond
    /// it the least recently used is dropped (and loaded again from the database when next needed), so a
    /// process serving a city's thousands of communities stays bounded.
    pub max_replicas: usize,
}

/// A configuration that cannot be used; the message is for the person starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "DATABASE_URL `{0}` is not understood; use sqlite://path/to.db?mode=rwc, sqlite:path, sqlite::memory: or postgres://user:password@host:port/database"
    )]
    BadDatabaseUrl(String),
    #[error("{name} `{value}` is not valid: {reason}")]
    BadValue {
        name: &'static str,
        value: String,
        reason: String,
    },
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/linli.db?mode=rwc";
pub const DEFAULT_TOKEN_TTL_SECS: u64 = 30 * 24 * 3600;
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;
pub const DEFAULT_MAX_REPLICAS: usize = 200;

impl Config {
    /// A configuration for tests and embedding: the given database, loopback on a free port, no built app.
    pub fn for_database(database: Database) -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database,
            dist: PathBuf::from("dist"),
            token_ttl: Duration::from_secs(DEFAULT_TOKEN_TTL_SECS),
            admin_password: None,
            community: "community-1".into(),
            community_name: "示范社区".into(),
            rules: RuleSet::default(),
            public_url: None,
            trusted_proxies: Vec::new(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_replicas: DEFAULT_MAX_REPLICAS,
        }
    }

    /// Reads the environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads the variables through `get` (so tests need not touch the process environment).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let addr_text = get("LINLI_ADDR").unwrap_or_else(|| DEFAULT_ADDR.into());
        let addr =
            addr_text
                .parse()
                .map_err(|e: std::net::AddrParseError| ConfigError::BadValue {
                    name: "LINLI_ADDR",
                    value: addr_text.clone(),
                    reason: e.to_string(),
                })?;
        let database = parse_database_url(
            &get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
        )?;
        let ttl_secs = match get("LINLI_TOKEN_TTL_SECS") {
            None => DEFAULT_TOKEN_TTL_SECS,
            Some(v) => v.trim().parse().map_err(|_| ConfigError::BadValue {
                name: "LINLI_TOKEN_TTL_SECS",
                value: v.clone(),
                reason: "expected a whole number of seconds".into(),
            })?,
        };
        let rules = match get("LINLI_RULES") {
            None => RuleSet::default(),
            Some(path) => {
                let bad = |reason: String| ConfigError::BadValue {
                    name: "LINLI_RULES",
                    value: path.clone(),
                    reason,
                };
                let text = std::fs::read_to_string(&path).map_err(|e| bad(e.to_string()))?;
                RuleSet::from_json(&text).map_err(|e| bad(e.to_string()))?
            }
        };
        let public_url = match get("LINLI_PUBLIC_URL") {
            None => None,
            Some(u) => {
                let t = u.trim().trim_end_matches('/').to_string();
                let ok = (t.starts_with("http://") || t.starts_with("https://"))
                    && t.len() > "https://".len()
                    && !t.contains(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>');
                if !ok {
                    return Err(ConfigError::BadValue {
                        name: "LINLI_PUBLIC_URL",
                        value: u.clone(),
                        reason: "expected an http:// or https:// address such as https://linli.example.org".into(),
                    });
                }
                Some(t)
            }
        };
        let trusted_proxies = match get("LINLI_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(v) => v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse().map_err(|_| ConfigError::BadValue {
                        name: "LINLI_TRUSTED_PROXIES",
                        value: v.clone(),
                        reason: format!("`{s}` is not an IP address"),
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let max_connections = match get("LINLI_MAX_CONNECTIONS") {
            None => DEFAULT_MAX_CONNECTIONS,
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(ConfigError::BadValue {
                        name: "LINLI_MAX_CONNECTIONS",
                        value: v.clone(),
                        reason: "expected a whole number of at least 1".into(),
                    });
                }
            },
        };
        let max_replicas = match get("LINLI_MAX_REPLICAS") {
            None => DEFAULT_MAX_REPLICAS,
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(ConfigError::BadValue {
                        name: "LINLI_MAX_REPLICAS",
                        value: v.clone(),
                        reason: "expected a whole number of at least 1".into(),
                    });
                }
            },
        };
        Ok(Config {
            max_connections,
            max_replicas,
            trusted_proxies,
            public_url,
            rules,
            addr,
            database,
            dist: PathBuf::from(get("LINLI_DIST").unwrap_or_else(|| "dist".into())),
            token_ttl: Duration::from_secs(ttl_secs),
            admin_password: get("LINLI_ADMIN_PASSWORD"),
            community: get("LINLI_COMMUNITY").unwrap_or_else(|| "community-1".into()),
            community_name: get("LINLI_COMMUNITY_NAME").unwrap_or_else(|| "示范社区".into()),
        })
    }
}

/// Parses a `DATABASE_URL` in sqlx's form.
pub fn parse_database_url(url: &str) -> Result<Database, ConfigError> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Database::Postgres(PostgresUrl(url.to_string())));
    }
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Err(ConfigError::BadDatabaseUrl(url.into()));
    };
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or("");
    if path == ":memory:" || rest.contains("mode=memory") {
        return Ok(Database::Memory);
    }
    if path.is_empty() {
        return Err(ConfigError::BadDatabaseUrl(url.into()));
    }
    Ok(Database::Sqlite(Path::new(path).to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_set_file_is_read_and_a_bad_one_named() {
        let dir = std::env::temp_dir().join(format!("linli-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut rules = RuleSet::default();
        rules.renovation.consultation_rounds_min = 3;
        let good = dir.join("good.json");
        std::fs::write(&good, serde_json::to_string(&rules).unwrap()).unwrap();
        let bad = dir.join("bad.json");
        std::fs::write(&bad, r#"{"roster": 1}"#).unwrap();
        let with = |path: &Path| {
            let path = path.display().to_string();
            Config::from_lookup(move |n| (n == "LINLI_RULES").then(|| path.clone()))
        };
        assert_eq!(
            with(&good)
                .unwrap()
                .rules
                .renovation
                .consultation_rounds_min,
            3
        );
        let err = with(&bad).unwrap_err().to_string();
        assert!(err.starts_with("LINLI_RULES `"), "{err}");
        assert!(err.contains("bad.json"), "{err}");
        assert!(with(&dir.join("missing.json")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn database_urls() {
        assert_eq!(
            parse_database_url("sqlite://data/linli.db?mode=rwc").unwrap(),
            Database::Sqlite("data/linli.db".into())
        );
        assert_eq!(
            parse_database_url("sqlite:x.db").unwrap(),
            Database::Sqlite("x.db".into())
        );
        assert_eq!(
            parse_database_url("sqlite:///tmp/a.db").unwrap(),
            Database::Sqlite("/tmp/a.db".into())
        );
        assert_eq!(
            parse_database_url("sqlite::memory:").unwrap(),
            Database::Memory
        );
        assert_eq!(
            parse_database_url("postgres://u@h/db").unwrap(),
            Database::Postgres(PostgresUrl("postgres://u@h/db".into()))
        );
        assert_eq!(
            PostgresUrl("postgres://linli:s3cret@db:5432/linli".into()).redacted(),
            "postgres://linli:***@db:5432/linli"
        );
        assert!(
            !format!("{:?}", parse_database_url("postgresql://a:pw@h/d").unwrap()).contains("pw")
        );
        assert!(matches!(
            parse_database_url("mysql://h"),
            Err(ConfigError::BadDatabaseUrl(_))
        ));
    }

    #[test]
    fn defaults() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.addr.to_string(), DEFAULT_ADDR);
        assert_eq!(c.database, Database::Sqlite("data/linli.db".into()));
        assert_eq!(c.token_ttl.as_secs(), DEFAULT_TOKEN_TTL_SECS);
    }
}
