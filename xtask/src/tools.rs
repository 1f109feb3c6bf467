//! Installs what a fresh machine lacks: the wasm32 target, the resident entry's pinned nightly, wasm-bindgen-cli at Cargo.lock's version, Chromium, npm packages.

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

/// The toolchain that builds the resident's entry (`linli_vote`): a pinned nightly, for two size options
/// stable Rust lacks — the standard library rebuilt for size (`-Zbuild-std`, `optimize_for_size`) and
/// panics that abort at once, with no message formatting (`-Cpanic=immediate-abort`). They take ~10 KB
/// (brotli) off a voting slip's first load (issue 8; ARCHITECTURE.md, "Decisions").
pub const SIZE_TOOLCHAIN: &str = "nightly-2026-05-20";
/// Cargo's arguments for the size build.
pub const SIZE_CARGO_ARGS: &[&str] = &[
    "-Zbuild-std=std,panic_abort",
    "-Zbuild-std-features=optimize_for_size",
];
/// The compiler's flags for the size build.
pub const SIZE_RUSTFLAGS: &str = "-Zunstable-options -Cpanic=immediate-abort";

/// Installs [`SIZE_TOOLCHAIN`] with the standard library's source and the Wasm target, when missing.
/// `false` when it cannot be installed (offline): the resident's entry is then built with stable Rust,
/// larger, and a warning says so.
pub fn ensure_size_toolchain() -> bool {
    if size_toolchain_ready() {
        return true;
    }
    let installed = run(Command::new("rustup").args([
        "toolchain",
        "install",
        SIZE_TOOLCHAIN,
        "--profile",
        "minimal",
        "--component",
        "rust-src",
        "--target",
        "wasm32-unknown-unknown",
    ]));
    if installed.is_ok() && size_toolchain_ready() {
        return true;
    }
    eprintln!(
        "xtask: WARNING: {SIZE_TOOLCHAIN} could not be installed; the resident's entry is built with \
         stable Rust and is about 10 KB larger than its budget allows"
    );
    false
}

/// [`SIZE_RUSTFLAGS`], and the rebuilt standard library's source folder named `library` in the Wasm
/// (not this machine's path).
pub fn size_rustflags() -> String {
    format!(
        "{SIZE_RUSTFLAGS} --remap-path-prefix={}=library",
        size_library(&size_sysroot()).display()
    )
}

/// The sysroot of [`SIZE_TOOLCHAIN`], empty when it is not installed. Asked of rustup once it is
/// found (xtask needs it two or three times a build); a missing one is asked again, as it may have
/// been installed since.
fn size_sysroot() -> PathBuf {
    static FOUND: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    if let Some(found) = FOUND.get() {
        return found.clone();
    }
    let sysroot =
        output(Command::new("rustup").args(["run", SIZE_TOOLCHAIN, "rustc", "--print", "sysroot"]));
    let sysroot = PathBuf::from(sysroot.trim());
    if sysroot.as_os_str().is_empty() {
        return sysroot;
    }
    FOUND.get_or_init(|| sysroot).clone()
}

fn size_library(sysroot: &Path) -> PathBuf {
    sysroot.join("lib/rustlib/src/rust/library")
}

fn size_toolchain_ready() -> bool {
    let root = size_sysroot();
    !root.as_os_str().is_empty()
        && size_library(&root).exists()
        && root.join("lib/rustlib/wasm32-unknown-unknown").exists()
}

/// Cargo of [`SIZE_TOOLCHAIN`] (through rustup, whatever toolchain runs xtask).
pub fn size_cargo() -> Command {
    let mut c = Command::new("rustup");
    c.args(["run", SIZE_TOOLCHAIN, "cargo"]);
    for var in [
        "CARGO",
        "RUSTC",
        "RUSTDOC",
        "RUSTUP_TOOLCHAIN",
        "RUSTC_WRAPPER",
    ] {
        c.env_remove(var);
    }
    c
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
    npm_tool("binaryen/bin/wasm-opt")
}

/// Minifies a JavaScript module in place with terser (from the npm registry, pinned in
/// tests/browser/package-lock.json): what a phone downloads has no comments, indentation or long local
/// names. Exported names and property names are kept.
pub fn minify_js(file: &Path) -> Result {
    run(npm_tool("terser/bin/terser")?
        .arg(file)
        .args(["--module", "--compress", "--mangle", "--output"])
        .arg(file))
}

/// `node` running the script `bin` of a package installed in tests/browser/node_modules.
fn npm_tool(bin: &str) -> Result<Command> {
    let js = root().join("tests/browser/node_modules").join(bin);
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

/// Whether `dir/node_modules` holds every top-level package its package-lock.json names (an optional
/// one, which may be another system's, aside).
fn npm_packages_installed(dir: &Path) -> bool {
    let lock: serde_json::Value = std::fs::read_to_string(dir.join("package-lock.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    dir.join("node_modules").exists()
        && lock["packages"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(path, p)| Some((path.strip_prefix("node_modules/")?, p)))
            .filter(|(name, p)| !name.contains("/node_modules/") && p["optional"] != true)
            .all(|(name, _)| dir.join("node_modules").join(name).exists())
}

/// `npm ci` in a folder with a package-lock.json, when its node_modules is missing or lacks a package
/// the lock names at the top level (one added since it was installed).
pub fn ensure_npm_packages(dir: &Path) -> Result {
    if npm_packages_installed(dir) {
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

#[cfg(test)]
mod tests {
    use super::npm_packages_installed;

    #[test]
    fn npm_packages_count_as_installed_only_when_every_locked_one_is_there() {
        let dir = std::env::temp_dir().join(format!("xtask-npm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("node_modules/binaryen")).unwrap();
        let lock = r#"{"packages": {"": {}, "node_modules/binaryen": {},
            "node_modules/terser": {}, "node_modules/terser/node_modules/x": {},
            "node_modules/fsevents": {"optional": true}}}"#;
        std::fs::write(dir.join("package-lock.json"), lock).unwrap();
        // terser was added to the lock after node_modules was made: not installed.
        assert!(!npm_packages_installed(&dir));
        std::fs::create_dir_all(dir.join("node_modules/terser")).unwrap();
        // Nested and optional packages are npm's business.
        assert!(npm_packages_installed(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
