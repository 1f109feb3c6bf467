//! Installs what a fresh machine lacks: the wasm32 target, wasm-bindgen-cli at Cargo.lock's version, Chromium, npm packages.

use crate::{Result, root, run};
use std::path::{Path, PathBuf};
use std::process::Command;

fn output(cmd: &mut Command) -> String {
    cmd.output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// The wasm-bindgen version that Cargo.lock pins; the CLI must match it exactly.
fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

/// Where the wasm-bindgen CLI is: cargo's bin folder, else PATH.
pub fn wasm_bindgen() -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
        });
    let p = home.join("bin/wasm-bindgen");
    if p.exists() {
        p
    } else {
        PathBuf::from("wasm-bindgen")
    }
}

/// What `wasm-bindgen --version` prints (part of the build cache key).
pub fn wasm_bindgen_version() -> String {
    output(Command::new(wasm_bindgen()).arg("--version"))
}

pub fn ensure_wasm_toolchain() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]));
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let want = locked_wasm_bindgen_version()?;
    let have = output(Command::new(wasm_bindgen()).arg("--version"));
    if have.split_whitespace().nth(1) != Some(want.as_str()) {
        eprintln!(
            "xtask: installing wasm-bindgen-cli {want} (found: {})",
            have.trim()
        );
        // --locked first; some registry mirrors lack a locked dependency, so fall back to a fresh resolve.
        if run(Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &want,
            "--locked",
            "--force",
        ]))
        .is_err()
        {
            run(Command::new("cargo").args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &want,
                "--force",
            ]))?;
        }
    }
    Ok(())
}

/// binaryen's wasm-opt from the npm registry (version 132, pinned in tests/browser/package-lock.json).
/// Debian's wasm-opt 108 produces a module that fails to start for this app ("WebAssembly.Table.set").
pub fn wasm_opt() -> Result<Command> {
    let js = root().join("tests/browser/node_modules/binaryen/bin/wasm-opt");
    if !js.exists() {
        return Err(format!(
            "{} is missing: run npm ci in tests/browser",
            js.display()
        ));
    }
    let mut cmd = Command::new("node");
    cmd.arg(js);
    Ok(cmd)
}

/// Debian's Chromium and ChromeDriver (and binaryen for wasm-opt), when missing.
pub fn ensure_browser() -> Result {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// Whether this process runs as root.
pub fn is_root() -> bool {
    output(Command::new("id").arg("-u")).trim() == "0"
}

/// `apt-get install` of Debian packages (through sudo when not root).
pub fn apt_install(packages: &[&str]) -> Result {
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        let mut cmd = Command::new(all[0]);
        cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd)
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q"];
    install.extend_from_slice(packages);
    apt(&install)
}

/// `npm ci` in a folder with a package-lock.json, when its node_modules is missing.
pub fn ensure_npm_packages(dir: &Path) -> Result {
    if dir.join("node_modules").exists() {
        return Ok(());
    }
    let verb = if dir.join("package-lock.json").exists() {
        "ci"
    } else {
        "install"
    };
    run(Command::new("npm")
        .args([verb, "--no-audit", "--no-fund"])
        .current_dir(dir))
}
