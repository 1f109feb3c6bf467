//! Where things are, asked at run time: the workspace root from the current directory, the target directory from cargo.
//!
//! Nothing here uses the compile-time `CARGO_MANIFEST_DIR`: with one `CARGO_TARGET_DIR` shared by two
//! checkouts, cargo may reuse an xtask binary compiled in the other checkout.

use crate::{Result, cargo};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The root of the cargo workspace that contains `start`: what `cargo locate-project --workspace` says,
/// else the nearest folder upwards whose `Cargo.toml` has a `[workspace]` table.
pub fn workspace_root(start: &Path) -> Result<PathBuf> {
    let out = cargo()
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .current_dir(start)
        .output();
    if let Ok(out) = out
        && out.status.success()
    {
        let manifest = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if let Some(dir) = manifest.parent() {
            return Ok(dir.to_path_buf());
        }
    }
    workspace_root_by_walking(start)
}

/// The nearest folder at or above `start` whose `Cargo.toml` declares `[workspace]`.
pub fn workspace_root_by_walking(start: &Path) -> Result<PathBuf> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest)
            && text.lines().any(|l| l.trim() == "[workspace]")
        {
            return Ok(dir.to_path_buf());
        }
    }
    Err(format!(
        "no cargo workspace at or above {}: run cargo xtask inside a Linli checkout",
        start.display()
    ))
}

/// The target directory cargo uses for the workspace at `root` (`CARGO_TARGET_DIR`, `build.target-dir`, or
/// `root/target`), from `cargo metadata`.
pub fn target_dir(root: &Path) -> Result<PathBuf> {
    target_dir_with(root, &mut cargo())
}

/// As [`target_dir`], with a given cargo command (tests set its environment).
pub fn target_dir_with(root: &Path, cmd: &mut Command) -> Result<PathBuf> {
    let out = cmd
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let v: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    v.get("target_directory")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata gave no target_directory".into())
}

/// The compiler flags for the Wasm builds: `extra`, then one `--remap-path-prefix` per crate registry's source
/// folder (`$CARGO_HOME/registry/src/<index>` becomes `<index>`), so the panic locations a shipped module
/// keeps name no folder of the machine that built it (and are shorter). A folder whose path has a space is
/// left as it is: the variable these flags go in is split at spaces.
pub fn wasm_rustflags(extra: &str, cargo_home: Option<&Path>) -> String {
    let mut flags = extra.to_string();
    let home = cargo_home.map(Path::to_path_buf).or_else(|| {
        std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    });
    let Some(src) = home.map(|h| h.join("registry/src")) else {
        return flags;
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&src)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    for dir in dirs {
        let (Some(path), Some(name)) = (dir.to_str(), dir.file_name().and_then(|n| n.to_str()))
        else {
            continue;
        };
        if !path.contains(' ') {
            flags.push_str(&format!(" --remap-path-prefix={path}={name}"));
        }
    }
    flags.trim_start().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkout() -> PathBuf {
        // The tests run with the package folder as the current directory; the workspace is its parent.
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    #[test]
    fn root_is_found_from_a_subdirectory() {
        let ws = checkout();
        for sub in ["core/src", "tests/browser", "xtask/src", "."] {
            let found = workspace_root(&ws.join(sub)).unwrap();
            assert_eq!(
                found.canonicalize().unwrap(),
                ws.canonicalize().unwrap(),
                "from {sub}"
            );
        }
    }

    #[test]
    fn walking_stops_at_the_workspace_not_a_member() {
        let ws = checkout();
        // core/Cargo.toml is a package manifest, not a workspace: walking passes it by.
        assert_eq!(workspace_root_by_walking(&ws.join("core/src")).unwrap(), ws);
        let tmp = std::env::temp_dir().join(format!("linli-xtask-root-{}", std::process::id()));
        std::fs::create_dir_all(tmp.join("a/b")).unwrap();
        std::fs::write(tmp.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        std::fs::write(tmp.join("a/Cargo.toml"), "[package]\nname = \"a\"\n").unwrap();
        assert_eq!(workspace_root_by_walking(&tmp.join("a/b")).unwrap(), tmp);
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn target_dir_outside_the_workspace_is_honoured() {
        let ws = checkout();
        let outside =
            std::env::temp_dir().join(format!("linli-shared-target-{}", std::process::id()));
        let mut cmd = cargo();
        cmd.env("CARGO_TARGET_DIR", &outside);
        assert_eq!(target_dir_with(&ws, &mut cmd).unwrap(), outside);
        let mut plain = cargo();
        plain
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR");
        assert_eq!(target_dir_with(&ws, &mut plain).unwrap(), ws.join("target"));
    }

    #[test]
    fn wasm_flags_remap_each_registry_folder_to_its_name() {
        let home = std::env::temp_dir().join(format!("linli-cargo-home-{}", std::process::id()));
        for index in ["index.example-1", "index.example-2"] {
            std::fs::create_dir_all(home.join("registry/src").join(index)).unwrap();
        }
        let src = home.join("registry/src");
        assert_eq!(
            wasm_rustflags("-Clink-args=--emit-relocs", Some(&home)),
            format!(
                "-Clink-args=--emit-relocs --remap-path-prefix={0}/index.example-1=index.example-1 \
                 --remap-path-prefix={0}/index.example-2=index.example-2",
                src.display()
            )
        );
        // No registry yet (a machine that has fetched nothing): the flags as given.
        assert_eq!(wasm_rustflags("", Some(&home.join("none"))), "");
        std::fs::remove_dir_all(&home).unwrap();
    }
}
