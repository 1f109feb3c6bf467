//! Brotli and gzip copies of the built app (`x.wasm.br`, `x.wasm.gz`), which the server sends as they are
//! to a browser that accepts them: a phone downloads the compressed bytes, not the 1.3 MB Wasm file.

use crate::Result;
use std::io::Write;
use std::path::Path;

/// File kinds worth compressing (images such as PNG are compressed already).
const COMPRESSIBLE: &[&str] = &[
    "wasm",
    "js",
    "css",
    "html",
    "svg",
    "json",
    "webmanifest",
    "txt",
];

/// Writes `f.br` (Brotli, quality 11) and `f.gz` (gzip, level 9) beside every compressible file under
/// `dir`, skipping a copy that would not be smaller. Brotli at quality 11 takes many seconds for the
/// Wasm, so each result is kept in `cache` under the hash of its input and reused while the file is
/// unchanged.
pub fn precompress(dir: &Path, cache: &Path) -> Result {
    std::fs::create_dir_all(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            precompress(&path, cache)?;
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let key = format!("{:016x}-{}", crate::fnv1a(&bytes), bytes.len());
        for suffix in ["br", "gz"] {
            let cached = cache.join(format!("{key}.{suffix}"));
            let packed = match std::fs::read(&cached) {
                Ok(p) => p,
                Err(_) => {
                    let p = if suffix == "br" {
                        brotli(&bytes)?
                    } else {
                        gzip(&bytes)?
                    };
                    std::fs::write(&cached, &p)
                        .map_err(|e| format!("{}: {e}", cached.display()))?;
                    p
                }
            };
            let out = path.with_extension(format!("{ext}.{suffix}"));
            if packed.len() < bytes.len() {
                std::fs::write(&out, packed).map_err(|e| format!("{}: {e}", out.display()))?;
            }
        }
    }
    Ok(())
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decompress_to_the_original_and_only_compressible_files_get_them() {
        let dir = std::env::temp_dir().join(format!("linli-precompress-{}", std::process::id()));
        let cache =
            std::env::temp_dir().join(format!("linli-precompress-cache-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        let js = "export function f() { return '邻里'; }\n".repeat(200);
        std::fs::write(dir.join("pkg/app.js"), &js).unwrap();
        std::fs::write(dir.join("icon.png"), [0u8; 100]).unwrap();
        precompress(&dir, &cache).unwrap();
        let br = std::fs::read(dir.join("pkg/app.js.br")).unwrap();
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, js);
        let gz = std::fs::read(dir.join("pkg/app.js.gz")).unwrap();
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, js);
        assert!(br.len() < js.len() / 10, "{} of {}", br.len(), js.len());
        assert!(!dir.join("icon.png.br").exists());
        // Again, from the cache: the same bytes.
        std::fs::remove_file(dir.join("pkg/app.js.br")).unwrap();
        precompress(&dir, &cache).unwrap();
        assert_eq!(std::fs::read(dir.join("pkg/app.js.br")).unwrap(), br);
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&cache).unwrap();
    }
}
