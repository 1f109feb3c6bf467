//! QR codes rendered to SVG without any image dependency: the voting slips' links (server), a volunteer
//! activity's check-in link and the community's join link (app, offline).

/// An SVG QR code of `text`: one path with a run per row of dark modules, a 4-module quiet zone,
/// 4 px a module by default (it scales without loss). About 2–3 KB for a slip's link.
pub fn qr_svg(text: &str) -> Result<String, String> {
    use std::fmt::Write;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| e.to_string())?;
    let w = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = w + 2 * quiet;
    let mut d = String::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if colors[y * w + x] == qrcode::Color::Dark {
                let start = x;
                while x < w && colors[y * w + x] == qrcode::Color::Dark {
                    x += 1;
                }
                let _ = write!(
                    d,
                    "M{} {}h{}v1h-{}z",
                    start + quiet,
                    y + quiet,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{d}"/></svg>"##,
        px = size * 4
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_is_svg() {
        let s = qr_svg("http://127.0.0.1:8080/v/ABCD-EFGH-JKMN-PQRS").unwrap();
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"), "{s}");
        assert!(s.len() < 4_000, "{}", s.len());
        // Every dark module is drawn once, at its place.
        let url = "http://127.0.0.1:8080/v/ABCD-EFGH-JKMN-PQRS";
        let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).unwrap();
        let w = code.width();
        let mut grid = vec![qrcode::Color::Light; w * w];
        let d = s.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        for run in d.split('M').filter(|r| !r.is_empty()) {
            let run = run.strip_suffix('z').unwrap();
            let (xy, rest) = run.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let n: usize = rest.split('v').next().unwrap().parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            for i in 0..n {
                grid[(y - 4) * w + x - 4 + i] = qrcode::Color::Dark;
            }
        }
        assert_eq!(grid, code.to_colors());
    }
}
