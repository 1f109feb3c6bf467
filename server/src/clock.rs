//! The server's wall clock: milliseconds since the Unix epoch (the core never reads a clock; this is where
//! the server does).

/// Now, in milliseconds since the Unix epoch (0 if the system clock is before it).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
