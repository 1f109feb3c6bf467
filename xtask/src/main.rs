//! `cargo xtask`: installs what a fresh machine lacks, builds the app, serves it, runs every test and the benchmarks.

mod bench;
mod chaos;
mod city;
mod compress;
mod css;
mod paths;
mod postgres;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::OnceLock;
use std::time::Instant;

const USAGE: &str = "\
cargo xtask <command>

  serve [--demo]   build the app and the server (release), start it on 127.0.0.1:8080 (LINLI_ADDR),
                   SQLite under data/ (DATABASE_URL; postgres://user:pass@host:port/db for PostgreSQL);
                   --demo also loads a sample compound
  build            build the app into dist/ (Wasm app, service worker, static files, embeddable core)
  test             every test: core, server and sync integration (on SQLite, then on a throwaway
                   PostgreSQL cluster), browser tests in headless Chromium
  test-postgres [FILTER]
                   only the server and sync integration tests, on a throwaway PostgreSQL cluster
  bench            measure against DESIGN.md's budgets and print one table
  bench-city       a generated city on PostgreSQL (1,000 communities × 4,000 households): pulling one
                   community, and one process's memory as more communities push than it keeps loaded
  chaos --cycles N [--clients K] [--postgres]
                   kill -9 the release server N times while K clients (default 4) push, restart it,
                   and check that every acknowledged operation is stored exactly once (--postgres: on
                   a throwaway PostgreSQL cluster instead of SQLite)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(args.iter().any(|a| a == "--demo")),
        Some("build") => tools::ensure_npm_packages(&root().join("tests/browser"))
            .and_then(|_| build_app(true))
            .map(|_| ()),
        Some("test") => test(),
        Some("test-postgres") => test_postgres(&args[1..]),
        Some("bench") => bench::bench(),
        Some("bench-city") => city::bench_city(),
        Some("chaos") => chaos::chaos(&args[1..]),
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

/// The workspace this command runs in: found at run time from the current directory (never from where
/// the xtask binary was compiled, which a shared `CARGO_TARGET_DIR` may have done in another checkout).
pub fn root() -> PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let cwd = std::env::current_dir().expect("a current directory");
        paths::workspace_root(&cwd).unwrap_or_else(|e| {
            eprintln!("xtask: {e}");
            std::process::exit(2)
        })
    })
    .clone()
}

/// Cargo's target directory for this workspace (honours `CARGO_TARGET_DIR` and `.cargo/config.toml`).
pub fn target_dir() -> PathBuf {
    static TARGET: OnceLock<PathBuf> = OnceLock::new();
    TARGET
        .get_or_init(|| {
            paths::target_dir(&root()).unwrap_or_else(|e| {
                eprintln!("xtask: {e}");
                std::process::exit(2)
            })
        })
        .clone()
}

/// Runs a command in the workspace root, failing with its description if it fails.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: $ {shown}");
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
    let status = cmd.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Prints how long each step of a build took, so a user sees where the time goes.
pub struct Steps(Instant, Vec<(String, f64)>);

impl Default for Steps {
    fn default() -> Self {
        Self::new()
    }
}

impl Steps {
    pub fn new() -> Self {
        Steps(Instant::now(), Vec::new())
    }

    /// Runs one step and records its time.
    pub fn step<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let start = Instant::now();
        let out = f();
        self.1
            .push((name.to_string(), start.elapsed().as_secs_f64()));
        out
    }

    pub fn print(&self) {
        for (name, s) in &self.1 {
            eprintln!("xtask:   {s:>7.1} s  {name}");
        }
        eprintln!("xtask:   {:>7.1} s  in all", self.0.elapsed().as_secs_f64());
    }
}

/// Builds the app (and the embeddable core) into `dist/` of this checkout. `optimise` runs wasm-opt.
///
/// The app (which links the core without its `wasm` feature) and the embeddable core (with it) are built
/// into separate target subdirectories, so neither evicts the other and a no-change build compiles
/// nothing. wasm-bindgen and wasm-opt run only when their input changed: their output is kept in the
/// target directory under the hash of the input.
pub fn build_app(optimise: bool) -> Result<PathBuf> {
    let mut steps = Steps::new();
    steps.step("toolchain check", tools::ensure_wasm_toolchain)?;
    let root = root();
    let target = target_dir();
    let dist = root.join("dist");
    let app_target = target.clone();
    // The staff app, then the resident's entry (feature `vote`: only the voting page). The second build
    // overwrites the first one's output file, so each is bound and optimised before the next build.
    let bindgen_version = tools::wasm_bindgen_version();
    // The resident's entry and the embeddable core are built with the pinned nightly's size options when
    // it can be installed.
    let size_toolchain =
        steps.step(
            "size toolchain check",
            || Ok(tools::ensure_size_toolchain()),
        )?;
    // The embeddable core's own target directory; with the nightly, another (another standard library).
    let core_target = target.join(if size_toolchain {
        "embeddable-core-nightly"
    } else {
        "embeddable-core"
    });
    let mut entries = Vec::new();
    for (name, features) in [("linli_app", None), ("linli_vote", Some("vote"))] {
        let nightly = features.is_some() && size_toolchain;
        // Its own target directory: another compiler and standard library.
        let target_dir = if nightly {
            app_target.join("vote-nightly")
        } else {
            app_target.clone()
        };
        steps.step(&format!("cargo build {name} (wasm32)"), || {
            // The relocations wasm-split reads to cut the module (only for the Wasm target: build scripts
            // and proc macros are untouched; both entries alike, so neither build evicts the other's).
            let mut c = wasm_build(
                nightly,
                "linli-app",
                &target_dir,
                "-Clink-args=--emit-relocs",
            );
            if let Some(f) = features {
                c.args(["--features", f]);
            }
            run(&mut c)
        })?;
        entries.push((
            name,
            // The resident's entry has no lazy functions: cut, it would only keep every function alive.
            bind_and_optimise(
                &mut steps,
                &target_dir.join("wasm32-unknown-unknown/wasm/linli_app.wasm"),
                name,
                &bindgen_version,
                optimise,
                features.is_none(),
            )?,
        ));
    }
    // The embeddable core twice: `dist/core` without the `standards.*` commands (their catalogue is most
    // of the module), `dist/core-standards` with them. Each is bound right after its build (both builds
    // write the same output file).
    let core_wasm = core_target.join("wasm32-unknown-unknown/wasm/linli_core.wasm");
    let mut cores = Vec::new();
    for (name, dir, standards) in [
        ("linli_core", "core", false),
        ("linli_core_standards", "core-standards", true),
    ] {
        steps.step(&format!("cargo build {name} (wasm32)"), || {
            let features = if standards {
                "wasm,embed-standards,embed-volunteers,embed-surveys"
            } else {
                "wasm,embed-volunteers,embed-surveys"
            };
            run(&mut core_build(size_toolchain, features, &core_target))
        })?;
        let cache = bind_and_optimise(
            &mut steps,
            &core_wasm,
            name,
            &bindgen_version,
            optimise,
            false,
        )?;
        cores.push((cache, dir));
    }
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("clearing dist/: {e}"))?;
    }
    steps.step("copy linli_core", || {
        for (cache, dir) in &cores {
            copy_flat(cache, &dist.join(dir))?;
        }
        Ok(())
    })?;
    // The app's files get content-hashed names (`/pkg/linli_app-<hash>.js`): the server lets browsers keep
    // them for a year, and a new build is new names. The HTML entry points name them.
    let (mut names, mut chunks) = (Vec::new(), Vec::new());
    steps.step("copy app entries with hashed names", || {
        for (name, cache) in &entries {
            let (entry, split) = copy_hashed(cache, name, &dist.join("pkg"))?;
            names.extend(entry);
            if *name == "linli_app" {
                let loader =
                    std::fs::read_to_string(cache.join("__wasm_split.js")).unwrap_or_default();
                chunks.extend(
                    precache_order(&loader, split)
                        .into_iter()
                        .map(|c| format!("/pkg/{c}")),
                );
            }
        }
        Ok(())
    })?;
    steps.step("static files and service worker", || {
        copy_dir(&root.join("public"), &dist)?;
        if optimise {
            tools::minify_js(&dist.join("boot.js"))?;
        }
        // The resident's entry page is the staff one naming the voting entry's files.
        let index = std::fs::read_to_string(dist.join("index.html")).map_err(|e| e.to_string())?;
        let vote = index.replace("/pkg/linli_app", "/pkg/linli_vote").replace(
            "正在打开… / Opening…",
            "正在打开投票页… / Opening the ballot…",
        );
        let vote = resident_page(&vote, &dist)?;
        std::fs::write(dist.join("vote.html"), vote).map_err(|e| e.to_string())?;
        for html in ["index.html", "vote.html"] {
            let path = dist.join(html);
            let mut text = std::fs::read_to_string(&path).map_err(|e| format!("{html}: {e}"))?;
            for (plain, hashed) in &names {
                text = text.replace(&format!("/pkg/{plain}"), &format!("/pkg/{hashed}"));
            }
            std::fs::write(&path, text).map_err(|e| e.to_string())?;
        }
        let entries: Vec<String> = names.iter().map(|(_, h)| format!("/pkg/{h}")).collect();
        stamp_service_worker(&dist, &entries, &chunks)
    })?;
    steps.step("brotli and gzip copies", || {
        compress::precompress(&dist, &target.join("xtask-cache/compressed"))
    })?;
    eprintln!("xtask: app built into {}", dist.display());
    steps.print();
    Ok(dist)
}

/// The resident's page with what the staff page fetches as files written into it: the style rules it can
/// use (`css::subset`) and the icon (a `data:` address). A voting slip's first load is then the page, the
/// boot script, the entry's two files and the login (issue 8: ≤ 100 KB).
fn resident_page(page: &str, dist: &Path) -> Result<String> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let mut used = css::words(&read(&root().join("app/src/renovation/vote.rs"))?);
    used.extend(css::words(page));
    used.extend(css::tags(page));
    let style = css::subset(&read(&dist.join("styles.css"))?, &used);
    let icon: String = read(&dist.join("icons/icon.svg"))?
        .trim()
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b' ' | b'=' | b'/' | b':' | b'.' | b'-' => {
                (b as char).to_string()
            }
            b'"' => "'".to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    let mut out = page.to_string();
    for (link, inline) in [
        (
            r#"<link rel="stylesheet" href="/styles.css">"#,
            format!("<style>{style}</style>"),
        ),
        (
            r#"<link rel="icon" href="/icons/icon.svg" type="image/svg+xml">"#,
            format!(r#"<link rel="icon" href="data:image/svg+xml,{icon}" type="image/svg+xml">"#),
        ),
    ] {
        if !out.contains(link) {
            return Err(format!(
                "index.html no longer has {link}: update resident_page"
            ));
        }
        out = out.replace(link, &inline);
    }
    Ok(out)
}

/// `cargo build` of `package`'s library for wasm32 with the `wasm` profile into `target`: with the pinned
/// nightly's size options when `nightly` (the resident's entry, the embeddable core), else stable.
/// `flags` are the compiler's flags for the Wasm target besides those.
fn wasm_build(nightly: bool, package: &str, target: &Path, flags: &str) -> Command {
    let mut c = if nightly {
        tools::size_cargo()
    } else {
        cargo()
    };
    c.args([
        "build",
        "-p",
        package,
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
    ])
    .args(["--profile", "wasm", "--target-dir"])
    .arg(target);
    let mut flags = flags.to_string();
    if nightly {
        c.args(tools::SIZE_CARGO_ARGS);
        flags = format!("{flags} {}", tools::size_rustflags());
    }
    c.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        paths::wasm_rustflags(flags.trim(), None),
    );
    c
}

/// `cargo build` of the embeddable core for wasm32 with exactly `features` (no defaults), into `target`.
fn core_build(nightly: bool, features: &str, target: &Path) -> Command {
    let mut c = wasm_build(nightly, "linli-core", target, "");
    c.args(["--no-default-features", "--features", features]);
    c
}

/// Runs wasm-bindgen (and wasm-opt when `optimise`) on `input` into `<target>/xtask-cache/<name>`, unless
/// that directory already holds the result for these exact bytes. Returns the directory.
///
/// With `split`, the module is first cut at its `#[lazy]` functions by wasm-split (the
/// `wasm_split_cli_support` crate that cargo-leptos runs; the input was linked with `--emit-relocs`): the
/// main module is bound (keeping the linker's exports, which the chunks import), and each chunk
/// (`split_*.wasm`, `chunk_*.wasm`) is loaded by `__wasm_split.js` when its function is first called. Every
/// Wasm file is then optimised.
fn bind_and_optimise(
    steps: &mut Steps,
    input: &Path,
    name: &str,
    bindgen_version: &str,
    optimise: bool,
    split: bool,
) -> Result<PathBuf> {
    let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let key = format!(
        "{:016x}-{}-{}-{}",
        fnv1a(&bytes),
        bindgen_version.trim(),
        // `opt-min`: wasm-opt and terser (an older cache, made before terser, is not taken).
        if optimise { "opt-min" } else { "plain" },
        if split { "split" } else { "whole" }
    );
    let cache = target_dir().join("xtask-cache").join(name);
    let stamp = cache.join("input.hash");
    if std::fs::read_to_string(&stamp).is_ok_and(|k| k == key) {
        eprintln!("xtask: {name} unchanged: wasm-bindgen and wasm-opt skipped");
        return Ok(cache);
    }
    if cache.exists() {
        std::fs::remove_dir_all(&cache).map_err(|e| e.to_string())?;
    }
    let staging = target_dir()
        .join("xtask-cache")
        .join(format!("{name}-split"));
    let main_wasm = if split {
        steps.step(&format!("wasm-split {name}"), || {
            if staging.exists() {
                std::fs::remove_dir_all(&staging).map_err(|e| e.to_string())?;
            }
            std::fs::create_dir_all(&staging).map_err(|e| e.to_string())?;
            std::fs::create_dir_all(&cache).map_err(|e| e.to_string())?;
            let main_out = staging.join("main.wasm");
            let main_module = format!("./{name}.js");
            let mut opts = wasm_split_cli_support::Options::new(&bytes);
            opts.output_dir = &cache;
            opts.main_out_path = &main_out;
            opts.main_module = &main_module;
            opts.link_name = "./__wasm_split.js";
            wasm_split_cli_support::transform(opts)
                .map_err(|e| format!("wasm-split {name}: {e:#}"))?;
            Ok(main_out)
        })?
    } else {
        // Linked with `--emit-relocs` like the split entry (one set of compiler flags for both builds), but
        // not cut: the linker's relocation sections go, or wasm-bindgen and wasm-opt keep every function.
        let plain = staging.with_extension("wasm");
        std::fs::write(&plain, strip_link_sections(&bytes)?).map_err(|e| e.to_string())?;
        plain
    };
    steps.step(&format!("wasm-bindgen {name}"), || {
        let mut c = Command::new(tools::wasm_bindgen());
        c.args(["--target", "web", "--no-typescript", "--out-name", name]);
        if split {
            c.args(["--keep-lld-exports", "--no-demangle"]);
        }
        run(c.arg("--out-dir").arg(&cache).arg(&main_wasm))
    })?;
    if optimise {
        // The glue only: `__wasm_split.js` keeps its comments, which name each chunk's users
        // (`precache_order`).
        let glue = cache.join(format!("{name}.js"));
        steps.step(&format!("terser {}", glue.display()), || {
            tools::minify_js(&glue)
        })?;
        let mut wasm: Vec<PathBuf> = std::fs::read_dir(&cache)
            .map_err(|e| e.to_string())?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
            .collect();
        wasm.sort();
        for file in wasm {
            steps.step(&format!("wasm-opt {}", file.display()), || {
                run(tools::wasm_opt()?
                    .args(["-Oz", "--strip-debug", "--strip-producers"])
                    .args([
                        "--enable-bulk-memory",
                        "--enable-nontrapping-float-to-int",
                        "--enable-reference-types",
                    ])
                    .args([
                        "--enable-sign-ext",
                        "--enable-mutable-globals",
                        "--enable-multivalue",
                    ])
                    .arg(&file)
                    .arg("-o")
                    .arg(&file))
            })?;
        }
    }
    std::fs::write(&stamp, &key).map_err(|e| e.to_string())?;
    Ok(cache)
}

/// A Wasm module without the linker's custom sections (`linking`, `reloc.*`) that `--emit-relocs` keeps.
fn strip_link_sections(wasm: &[u8]) -> Result<Vec<u8>> {
    fn leb(bytes: &[u8], at: &mut usize) -> Result<usize> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let b = *bytes.get(*at).ok_or("wasm: truncated section header")?;
            *at += 1;
            value |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }
    if !wasm.starts_with(b"\0asm") || wasm.len() < 8 {
        return Err("not a Wasm module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at)?;
        let end = at + size;
        let body = wasm.get(at..end).ok_or("wasm: truncated section")?;
        let linker = id == 0 && {
            let mut n = 0;
            let len = leb(body, &mut n)?;
            let name = body.get(n..n + len).unwrap_or_default();
            name == b"linking" || name.starts_with(b"reloc.")
        };
        if !linker {
            out.extend_from_slice(&wasm[start..end]);
        }
        at = end;
    }
    Ok(out)
}

/// Copies every file of `from` (but the cache stamp) into `to`.
fn copy_flat(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        if entry.file_name() != "input.hash" {
            std::fs::copy(entry.path(), to.join(entry.file_name())).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// A file's plain name and the path it was copied to.
type Renamed = (String, String);

/// Copies an entry's files (`<name>.js`, `<name>_bg.wasm`, and with code splitting `__wasm_split.js` and
/// the chunks) from `from` into the directory `to/<name>-<hash>/` (hash of all their bytes), so their
/// relative imports hold and a new build is a new address; returns the (plain name, hashed path) pairs of
/// the entry's script and main module, and the hashed paths of the chunks' files.
fn copy_hashed(from: &Path, name: &str, to: &Path) -> Result<(Vec<Renamed>, Vec<String>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(from)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "input.hash"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for f in &files {
        all.extend(f.file_name().unwrap_or_default().as_encoded_bytes());
        all.extend(std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?);
    }
    let dir = format!("{name}-{:012x}", fnv1a(&all) >> 16);
    std::fs::create_dir_all(to.join(&dir)).map_err(|e| e.to_string())?;
    let (mut entry, mut chunks) = (Vec::new(), Vec::new());
    for f in &files {
        let file = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        std::fs::copy(f, to.join(&dir).join(&file)).map_err(|e| e.to_string())?;
        if file == format!("{name}.js") || file == format!("{name}_bg.wasm") {
            entry.push((file.clone(), format!("{dir}/{file}")));
        } else {
            chunks.push(format!("{dir}/{file}"));
        }
    }
    Ok((entry, chunks))
}

/// The order in which the service worker keeps the staff app's chunks: first the files of the logged-in
/// app (split point `staff`: what a phone on the login page needs next) and the loader, then the rest
/// as they come.
/// wasm-split's loader (`loader`, `__wasm_split.js`) names each shared chunk's users in a comment above it.
fn precache_order(loader: &str, chunks: Vec<String>) -> Vec<String> {
    let mut staff: Vec<String> = vec!["__wasm_split.js".into(), "split_staff.wasm".into()];
    let mut users: Option<&str> = None;
    for line in loader.lines() {
        let line = line.trim();
        if let Some(list) = line.strip_prefix("/*").and_then(|l| l.strip_suffix("*/")) {
            users = Some(list);
        } else if let Some(rest) = line.split("new URL(\"./").nth(1)
            && let Some(file) = rest.split('"').next()
        {
            if users.is_some_and(|u| u.split(',').any(|n| n.trim() == "staff")) {
                staff.push(file.to_string());
            }
            users = None;
        }
    }
    let first = |c: &String| !staff.iter().any(|f| c.ends_with(&format!("/{f}")));
    let mut ordered = chunks;
    // A stable sort: within each group the files keep their order.
    ordered.sort_by_key(first);
    ordered
}

/// FNV-1a, 64 bits: a stable hash of a file's bytes (std's hasher may change between Rust versions).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash = (hash ^ *b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Gives the service worker a cache name that changes whenever any file of the app shell changes,
/// so a new version is noticed, and never mixes old and new files.
fn stamp_service_worker(dist: &Path, entries: &[String], chunks: &[String]) -> Result {
    let sw = dist.join("sw.js");
    let Ok(text) = std::fs::read_to_string(&sw) else {
        return Ok(());
    };
    let mut files = Vec::new();
    collect_files(dist, &mut files);
    files.sort();
    let mut all = Vec::new();
    for f in files {
        all.extend(std::fs::read(&f).unwrap_or_default());
    }
    let hash = fnv1a(&all);
    std::fs::write(
        &sw,
        text.replace("__LINLI_BUILD__", &format!("{hash:016x}"))
            .replace(
                "__LINLI_ENTRIES__",
                &serde_json::to_string(entries).map_err(|e| e.to_string())?,
            )
            .replace(
                "__LINLI_CHUNKS__",
                &serde_json::to_string(chunks).map_err(|e| e.to_string())?,
            ),
    )
    .map_err(|e| e.to_string())
}

pub fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
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
    let mut cmd = Command::new(target_dir().join("release/linli-server"));
    cmd.arg("serve").env("LINLI_DIST", &dist);
    if demo {
        cmd.arg("--demo");
    }
    run(&mut cmd)
}

/// The server and sync integration tests on a throwaway PostgreSQL cluster (`extra`: arguments for the
/// test binary, such as a test name).
fn test_postgres(extra: &[String]) -> Result {
    let cluster = postgres::Cluster::start(false)?;
    run(cargo()
        .args(["test", "-p", "linli-tests", "--test", "server", "--"])
        .args(extra)
        .env("LINLI_TEST_POSTGRES", &cluster.url))
}

fn test() -> Result {
    // 1. Core, server and sync integration tests (native), on SQLite.
    run(cargo().args(["test", "--workspace", "--exclude", "linli-app"]))?;
    // The server and sync integration tests again on PostgreSQL: a throwaway cluster, a database per
    // test server (LINLI_TEST_POSTGRES; see tests/src/lib.rs). The two-process tests run only here.
    test_postgres(&[])?;
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
        .env("LINLI_SERVER_BIN", target_dir().join("debug/linli-server"))
        .env("LINLI_DIST", &dist))
}

#[cfg(test)]
mod tests {
    use super::precache_order;

    /// The logged-in app's files come first, in their order; the others follow in theirs.
    #[test]
    fn the_logged_in_apps_chunks_are_precached_first() {
        let loader = r#"
/* renovation, staff */
const __chunk_1 = makeLoad(() => {
    const src = fetch(new URL("./chunk_1.wasm", import.meta.url));
}, []);
/* renovation, surveys */
const __chunk_2 = makeLoad(() => {
    const src = fetch(new URL("./chunk_2.wasm", import.meta.url));
}, []);
/* staff */
const __chunk_3 = makeLoad(() => {
    const src = fetch(new URL("./chunk_3.wasm", import.meta.url));
}, []);
const __split_renovation = makeLoad(() => {
    const src = fetch(new URL("./split_renovation.wasm", import.meta.url));
}, [__chunk_1, __chunk_2]);
"#;
        let chunks = [
            "__wasm_split.js",
            "chunk_1.wasm",
            "chunk_2.wasm",
            "chunk_3.wasm",
            "split_renovation.wasm",
            "split_staff.wasm",
        ]
        .map(|f| format!("linli_app-abc/{f}"))
        .to_vec();
        let order: Vec<String> = precache_order(loader, chunks)
            .into_iter()
            .map(|c| c.trim_start_matches("linli_app-abc/").to_string())
            .collect();
        assert_eq!(
            order,
            [
                "__wasm_split.js",
                "chunk_1.wasm",
                "chunk_3.wasm",
                "split_staff.wasm",
                "chunk_2.wasm",
                "split_renovation.wasm"
            ]
        );
    }
    /// The linker's sections go; every other section stays, byte for byte and in order.
    #[test]
    fn strips_only_the_linker_sections() {
        let custom = |name: &str, data: &[u8]| {
            let mut body = vec![name.len() as u8];
            body.extend(name.as_bytes());
            body.extend(data);
            let mut s = vec![0u8, body.len() as u8];
            s.extend(body);
            s
        };
        let header = b"\0asm\x01\0\0\0".to_vec();
        let types = vec![1u8, 4, 1, 0x60, 0, 0]; // one type: () -> ()
        let names = custom("name", &[1, 2, 3]);
        let mut module = header.clone();
        module.extend(custom("linking", &[2, 0]));
        module.extend(&types);
        module.extend(custom("reloc.CODE", &[9, 9, 9]));
        module.extend(&names);
        let mut expected = header;
        expected.extend(&types);
        expected.extend(&names);
        assert_eq!(super::strip_link_sections(&module).unwrap(), expected);
        assert!(super::strip_link_sections(b"not wasm").is_err());
    }
}
