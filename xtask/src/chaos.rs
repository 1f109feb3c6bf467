//! `cargo xtask chaos --cycles N [--clients K] [--postgres]`: kills the release server with SIGKILL under load N times and proves no acknowledged operation is lost or stored twice.
//!
//! Builds the release server and the `chaos` driver (`tests/src/bin/chaos.rs`), then runs the driver on a
//! fresh database in a temporary directory. The driver prints one JSON line and fails on any loss,
//! duplicate or unexpected answer; the directory (database and server log) is kept when it fails.

use crate::{Result, cargo, run, target_dir};
use std::process::Command;

/// Reads `--cycles N`, `--clients K` (K defaults to 4) and `--postgres`.
pub fn parse(args: &[String]) -> Result<(u32, usize, bool)> {
    let (mut cycles, mut clients, mut postgres) = (None, 4, false);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--postgres" {
            postgres = true;
            continue;
        }
        let mut value = |name: &str| {
            it.next()
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|v| *v >= 1)
                .ok_or_else(|| format!("{name} needs a whole number ≥ 1"))
        };
        match a.as_str() {
            "--cycles" => cycles = Some(value("--cycles")? as u32),
            "--clients" => clients = value("--clients")? as usize,
            other => return Err(format!("chaos: unknown argument {other}")),
        }
    }
    Ok((cycles.ok_or("chaos needs --cycles N")?, clients, postgres))
}

pub fn chaos(args: &[String]) -> Result {
    let (cycles, clients, postgres) = parse(args)?;
    // Only the two programs run (not the other test binaries): CI runs this after `cargo xtask test`.
    run(cargo()
        .args([
            "build",
            "--release",
            "-p",
            "linli-server",
            "-p",
            "linli-tests",
        ])
        .args(["--bin", "linli-server", "--bin", "chaos"]))?;
    let tmp = std::env::temp_dir().join(format!("linli-chaos-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let release = target_dir().join("release");
    // `--postgres`: the server on a throwaway PostgreSQL cluster (its maintenance database, empty).
    let cluster = if postgres {
        Some(crate::postgres::Cluster::start(false)?)
    } else {
        None
    };
    let mut driver = Command::new(release.join("chaos"));
    if let Some(c) = &cluster {
        driver.args(["--database-url", &c.url]);
    }
    let result = run(driver
        .arg("--server")
        .arg(release.join("linli-server"))
        .arg("--dir")
        .arg(&tmp)
        .args(["--cycles", &cycles.to_string()])
        .args(["--clients", &clients.to_string()]));
    match result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(())
        }
        Err(e) => Err(format!(
            "{e}\nthe database and server.log are kept in {}",
            tmp.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn arguments() {
        assert_eq!(parse(&args("--cycles 3")), Ok((3, 4, false)));
        assert_eq!(
            parse(&args("--clients 8 --cycles 100")),
            Ok((100, 8, false))
        );
        assert_eq!(parse(&args("--postgres --cycles 3")), Ok((3, 4, true)));
        assert!(parse(&args("")).is_err());
        assert!(parse(&args("--cycles 0")).is_err());
        assert!(parse(&args("--cycles x")).is_err());
        assert!(parse(&args("--cycles 3 --clients")).is_err());
        assert!(parse(&args("--cycles 3 --fast")).is_err());
    }
}
