//! A throwaway PostgreSQL cluster for the tests, the chaos run and the bench: `initdb` and `pg_ctl` from
//! Debian's `postgresql` package (installed when missing) into a temporary directory, on a free port of
//! 127.0.0.1, trusting local connections. When xtask runs as root the cluster runs as the `postgres`
//! user (PostgreSQL refuses to run as root), its directory owned by that user. Stopped and deleted when
//! dropped.

use crate::{Result, run, tools};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// `postgres://postgres@127.0.0.1:PORT/postgres`: the maintenance database; tests make their own.
    pub url: String,
}

/// The newest `/usr/lib/postgresql/<version>/bin` with `initdb`, if any.
fn find_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b)
}

/// PostgreSQL's server programs, installed with apt when missing.
pub fn ensure_postgres() -> Result<PathBuf> {
    if let Some(bin) = find_bin() {
        return Ok(bin);
    }
    tools::apt_install(&["postgresql"])?;
    find_bin()
        .ok_or_else(|| "installed postgresql, but found no initdb under /usr/lib/postgresql".into())
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// A command running `program` as the `postgres` user when we are root, else as ourselves.
fn as_owner(program: &Path) -> Command {
    if tools::is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

impl Cluster {
    /// Creates and starts a cluster. `durable`: fsync on (the bench); off for tests, where a crash of the
    /// machine loses nothing worth keeping and every commit is faster.
    pub fn start(durable: bool) -> Result<Cluster> {
        let bin = ensure_postgres()?;
        let dir =
            std::env::temp_dir().join(format!("linli-pg-{}-{}", std::process::id(), free_port()?));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if tools::is_root() {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir))?;
        }
        let data = dir.join("data");
        run(as_owner(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-instructions",
            ])
            .stdout(std::process::Stdio::null()))?;
        let port = free_port()?;
        let mut options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
            dir.display()
        );
        if !durable {
            options.push_str(" -c fsync=off -c full_page_writes=off");
        }
        let cluster = Cluster {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            dir: dir.clone(),
            bin: bin.clone(),
        };
        run(as_owner(&bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .args(["-o", &options, "-w", "start"])
            .stdout(std::process::Stdio::null()))?;
        eprintln!("xtask: PostgreSQL for this run at {}", cluster.url);
        Ok(cluster)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(std::process::Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
