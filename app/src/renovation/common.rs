//! Shared pieces of the renovation screens (RULES §2): looking up a project on the device, labels, the
//! hand-drawn SVG bar, CSV lines, and downloading a file the server makes (the XLSX export).

use crate::data::downloads::download_blob;
use crate::data::net::{self, ApiError};
use crate::data::state::{self, SaveError};
use crate::renovation::strings::Reno;
use leptos::prelude::*;
use linli_core::calendar::Calendar;
use linli_core::date::Date;
use linli_core::renovation::Matter;
use linli_core::renovation::MenuItem;
use linli_core::renovation::Words;
use linli_core::renovation::{ItemClass, ProjectFields, RenovationKind};
use linli_core::roster::Compound;
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, ErrorCode, Lang, RuleError};
use std::sync::OnceLock;
use uuid::Uuid;

/// The official holiday calendar (R6), parsed once.
pub fn calendar() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(Calendar::china)
}

pub use crate::data::state::community;

/// A project on this device (confirmed or queued), with its compound.
pub fn project(id: Uuid) -> Option<(ProjectFields, Option<Compound>)> {
    let c = community();
    state::with(|l| {
        let p = l.view.project(&c, id)?;
        let compound = l
            .view
            .compounds()
            .into_iter()
            .find(|x| x.id == p.compound_id);
        Some((p, compound))
    })
}

pub fn menu(id: Uuid) -> Vec<MenuItem> {
    state::with(|l| l.view.menu(id))
}

pub fn today() -> Date {
    Date::from_unix_ms_cst(state::now_ms() as i64)
}

/// A term from the core's renovation words, as a label: the English capitalised ("Special matter").
pub fn label(w: Words, lang: Lang) -> String {
    let t = w.text(lang);
    match lang {
        Lang::En => {
            let mut c = t.chars();
            // The core's English words are ASCII (and Unicode's case tables are 16 KB of Wasm).
            c.next()
                .map(|f| std::iter::once(f.to_ascii_uppercase()).chain(c).collect())
                .unwrap_or_default()
        }
        Lang::Zh => t.to_string(),
    }
}

pub fn class_label(c: ItemClass, lang: Lang) -> String {
    label(c.words(), lang)
}

pub fn class_key(c: ItemClass) -> &'static str {
    match c {
        ItemClass::Basic => "basic",
        ItemClass::Improvement => "improvement",
        ItemClass::Upgrade => "upgrade",
    }
}

pub fn kind_label(k: RenovationKind, lang: Lang) -> String {
    label(k.words(), lang)
}

pub fn matter_label(m: Matter, lang: Lang) -> String {
    label(m.words(), lang)
}

/// A sum of money in yuan, without needless decimals.
pub fn yuan(v: f64, lang: Lang) -> String {
    let n = if v.fract() == 0.0 {
        linli_core::i18n::fixed(v, 0)
    } else {
        linli_core::i18n::fixed(v, 2)
    };
    // Thousands grouped as staff write amounts: 600,000 元, ¥1,250.50.
    let (int, frac) = n
        .split_once('.')
        .map_or((n.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let n = match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    };
    match lang {
        Lang::Zh => format!("{n} 元"),
        Lang::En => format!("¥{n}"),
    }
}

pub use linli_core::renovation::words::pct;

/// A horizontal bar drawn in SVG: `ratio` filled, with an optional threshold line (e.g. 2/3).
pub fn bar(ratio: f64, mark: Option<f64>, testid: &'static str, ok: bool) -> impl IntoView + use<> {
    let w = (ratio.clamp(0.0, 1.0) * 1000.0).round();
    let fill = if ok { "#0b5d3b" } else { "#8a4b00" };
    let line = mark.map(|m| {
        let x = (m.clamp(0.0, 1.0) * 1000.0).round();
        view! { <line x1=x x2=x y1="0" y2="40" stroke="#111" stroke-width="6" stroke-dasharray="8 6" /> }
    });
    view! {
        <svg class="bar" data-testid=testid data-ratio=format!("{ratio:.4}") viewBox="0 0 1000 40"
            preserveAspectRatio="none" role="img" aria-label=pct(ratio)>
            <rect x="0" y="0" width="1000" height="40" fill="#e3e7e3" />
            <rect x="0" y="0" width=w height="40" fill=fill />
            {line}
        </svg>
    }
}

/// Fetches `path` with the staff token and downloads the answer as `name`. Errors are for the person.
pub async fn download_from_server(path: &str, name: &str, lang: Lang) -> Result<(), String> {
    let token = state::with(|l| l.session.as_ref().map(|s| s.token.clone()));
    let blob = match net::get_blob(path, token.as_deref()).await {
        Ok(b) => b,
        Err(ApiError::Network) => return Err(Reno::NeedsNetwork.text(lang).to_string()),
        Err(e) => {
            if e.is_auth() {
                state::mark_expired().await;
            }
            let status = match e {
                ApiError::Http { status, .. } => status,
                ApiError::Network => 0,
            };
            return Err(format!(
                "{} (HTTP {status})",
                Reno::DownloadFailed.text(lang)
            ));
        }
    };
    download_blob(&blob, name)
}

/// A rule error naming `field`, for a value the form could not read.
pub fn field_error(code: ErrorCode, field: &str) -> SaveError {
    SaveError::Rule(RuleError::field(code, field))
}

/// A date typed as `YYYY-MM-DD`; `None` when empty.
pub fn parse_date(s: &str, field: &str) -> Result<Option<Date>, SaveError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Date::parse(s)
        .map(Some)
        .map_err(|_| field_error(ErrorCode::InvalidDate, field))
}

/// Saves `body` as the record `(kind, id)` through the normal save path; `done` runs on success, the error
/// is shown otherwise.
pub fn save(
    kind: EntityKind,
    id: Uuid,
    body: Body,
    error: RwSignal<Option<SaveError>>,
    done: impl FnOnce() + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        match state::save(EntityRef { kind, id }, body).await {
            Ok(_) => {
                error.set(None);
                done();
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(yuan(600_000.0, Lang::Zh), "600,000 元");
        assert_eq!(yuan(5_000.0, Lang::Zh), "5,000 元");
        assert_eq!(yuan(999.0, Lang::Zh), "999 元");
        assert_eq!(yuan(1_250.5, Lang::En), "¥1,250.50");
        assert_eq!(yuan(12_345_678.0, Lang::En), "¥12,345,678");
        assert_eq!(yuan(0.0, Lang::Zh), "0 元");
    }
}
