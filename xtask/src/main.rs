//! `cargo xtask`: installs what a fresh machine lacks, builds the app, serves it, runs every test and the benchmarks.

mod bench;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
cargo xtask <command>

  serve [--demo]   build the app and the server (release), start it on 127.0.0.1:8080 (LINLI_ADDR),
                   SQLite under data/ (DATABASE_URL); --demo also loads a sample compound
  build            build the app into dist/ (Wasm app, service worker, static files, embeddable core)
  test             every test: core, server and sync integration, browser tests in headless Chromium
  bench            measure against DESIGN.md's budgets and print one table
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(args.iter().any(|a| a == "--demo")),
        Some("build") => tools::ensure_npm_packages(&root().join("tests/browser")).and_then(|_| build_app(true)).map(|_| ()),
        Some("test") => test(),
        Some("bench") => bench::bench(),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

/// Runs a command in the workspace root, failing with its description if it fails.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: $ {shown}");
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
    let status = cmd.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed with {status}")) }
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Builds the app (and the embeddable core) into `dist/`. `optimise` runs wasm-opt when it is installed.
pub fn build_app(optimise: bool) -> Result<PathBuf> {
    tools::ensure_wasm_toolchain()?;
    let root = root();
    let dist = root.join("dist");
    let wasm_dir = root.join("target/wasm32-unknown-unknown/wasm");
    run(cargo().args(["build", "-p", "linli-app", "--lib", "--target", "wasm32-unknown-unknown", "--profile", "wasm"]))?;
    run(cargo().args([
        "build", "-p", "linli-core", "--lib", "--features", "wasm", "--target", "wasm32-unknown-unknown", "--profile", "wasm",
    ]))?;
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("clearing dist/: {e}"))?;
    }
    for (wasm, out_dir, name) in [("linli_app.wasm", "pkg", "linli_app"), ("linli_core.wasm", "core", "linli_core")] {
        run(Command::new(tools::wasm_bindgen())
            .args(["--target", "web", "--no-typescript", "--out-name", name, "--out-dir"])
            .arg(dist.join(out_dir))
            .arg(wasm_dir.join(wasm)))?;
        let bg = dist.join(out_dir).join(format!("{name}_bg.wasm"));
        if optimise {
            run(tools::wasm_opt()?
                .args(["-Oz", "--strip-debug", "--strip-producers"])
                .args(["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-reference-types"])
                .args(["--enable-sign-ext", "--enable-mutable-globals", "--enable-multivalue"])
                .arg(&bg)
                .arg("-o")
                .arg(&bg))?;
        }
    }
    copy_dir(&root.join("public"), &dist)?;
    stamp_service_worker(&dist)?;
    eprintln!("xtask: app built into {}", dist.display());
    Ok(dist)
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Gives the service worker a cache name that changes whenever any file of the app shell changes,
/// so a new version is noticed, and never mixes old and new files.
fn stamp_service_worker(dist: &Path) -> Result {
    let sw = dist.join("sw.js");
    let Ok(text) = std::fs::read_to_string(&sw) else { return Ok(()) };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut files = Vec::new();
    collect_files(dist, &mut files);
    files.sort();
    for f in files {
        for b in std::fs::read(&f).unwrap_or_default() {
            hash = (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    std::fs::write(&sw, text.replace("__LINLI_BUILD__", &format!("{hash:016x}"))).map_err(|e| e.to_string())
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_files(&p, out);
        } else if p.file_name().is_some_and(|n| n != "sw.js") {
            out.push(p);
        }
    }
}

fn serve(demo: bool) -> Result {
    tools::ensure_npm_packages(&root().join("tests/browser"))?;
    let dist = build_app(true)?;
    run(cargo().args(["build", "--release", "-p", "linli-server"]))?;
    let mut cmd = Command::new(root().join("target/release/linli-server"));
    cmd.arg("serve").env("LINLI_DIST", &dist);
    if demo {
        cmd.arg("--demo");
    }
    run(&mut cmd)
}

fn test() -> Result {
    // 1. Core, server and sync integration tests (native).
    run(cargo().args(["test", "--workspace", "--exclude", "linli-app"]))?;
    // The app's plain-Rust parts (model, forms, router, tallies as shown), natively.
    run(cargo().args(["test", "-p", "linli-app", "--lib"]))?;
    // 2. Browser tests in headless Chromium against the real server.
    tools::ensure_browser()?;
    let browser = root().join("tests/browser");
    tools::ensure_npm_packages(&browser)?;
    let dist = build_app(true)?;
    run(cargo().args(["build", "-p", "linli-server"]))?;
    let mut files: Vec<_> = std::fs::read_dir(&browser)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    run(Command::new("node")
        .arg("--test")
        .arg("--test-concurrency=1")
        .args(&files)
        .env("LINLI_SERVER_BIN", root().join("target/debug/linli-server"))
        .env("LINLI_DIST", &dist))
}
