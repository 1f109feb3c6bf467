//! The resident's page's own style sheet: the rules of `public/styles.css` that can match on it, inlined in
//! `vote.html` (one request and 3 KB fewer on a voting slip's first load, issue 8).
//!
//! A rule is kept when one of its selectors names only classes and elements the resident's page uses (the
//! words of the string literals of `app/src/renovation/vote.rs`, where its elements are made by name, and
//! the classes and elements of `vote.html`); `:root` and `*` are kept. The kept rules stay in their order, so the cascade is the staff app's.

use std::collections::BTreeSet;

/// Every word in a string literal of `source` (a Rust file) or a `class="…"` of an HTML page: the classes
/// it may set, and more (harmless: a few rules too many).
pub fn words(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, part) in source.split('"').enumerate() {
        if i % 2 == 1 {
            out.extend(part.split_whitespace().map(str::to_string));
        }
    }
    out
}

/// The rules of `css` that can match on a page using only the classes in `used`, white space collapsed.
pub fn subset(css: &str, used: &BTreeSet<String>) -> String {
    let css = strip_comments(css);
    let mut out = String::new();
    rules(&css, used, &mut out);
    out
}

fn strip_comments(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// The block that starts after an opening `{` at the start of `s`: its inside and what follows it.
fn block(s: &str) -> (&str, &str) {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return (&s[..i], &s[i + 1..]),
            '}' => depth -= 1,
            _ => {}
        }
    }
    (s, "")
}

fn rules(mut css: &str, used: &BTreeSet<String>, out: &mut String) {
    while let Some(open) = css.find('{') {
        let prelude = collapse(&css[..open]);
        let (body, rest) = block(&css[open + 1..]);
        css = rest;
        if prelude.starts_with("@media") || prelude.starts_with("@supports") {
            let mut inner = String::new();
            rules(body, used, &mut inner);
            if !inner.is_empty() {
                out.push_str(&format!("{prelude}{{{inner}}}"));
            }
        } else if prelude.starts_with('@') || prelude.split(',').any(|sel| matches(sel, used)) {
            out.push_str(&format!("{prelude}{{{}}}", collapse(body)));
        }
    }
}

/// Every element name an HTML page opens (`<main`, `<progress`).
pub fn tags(html: &str) -> BTreeSet<String> {
    html.split('<')
        .skip(1)
        .map(|t| {
            t.chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether every class `selector` names (outside `:not(…)`), and every element name, is used.
fn matches(selector: &str, used: &BTreeSet<String>) -> bool {
    let mut s = selector.to_string();
    while let Some(start) = s.find(":not(") {
        let end = s[start..].find(')').map_or(s.len(), |e| start + e + 1);
        s.replace_range(start..end, "");
    }
    let elements_used = s
        .split([' ', '>', '+', '~'])
        .map(|part| {
            part.chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .all(|tag| tag.is_empty() || used.contains(&tag));
    elements_used
        && s.split('.').skip(1).all(|after| {
            let class: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            used.contains(&class)
        })
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_rules_that_can_match_in_their_order() {
        let css = "/* a note { } */\n:root { --x: 1; }\nbody {\n  margin: 0;\n}\n\
            nav.top a { color: red; }\n.btn, .roster .row { padding: 8px; }\n\
            .btn.primary:not(.ghost) { color: #fff; }\n.card.warn { border: 1px; }\n\
            @media (min-width: 600px) { .btn { width: auto; } .roster { display: grid; } }\n\
            @media print { .roster { display: none; } }\n\
            @keyframes spin { from { transform: rotate(0); } to { transform: rotate(1turn); } }\n";
        let mut used = words(r#"el("button").class("btn primary") ; el("div").class("card")"#);
        used.extend(tags("<html><body><div id=app></div></body>"));
        assert!(!used.contains("nav") && used.contains("body"));
        assert_eq!(
            subset(css, &used),
            ":root{--x: 1;}body{margin: 0;}.btn, .roster .row{padding: 8px;}\
             .btn.primary:not(.ghost){color: #fff;}\
             @media (min-width: 600px){.btn{width: auto;}}\
             @keyframes spin{from { transform: rotate(0); } to { transform: rotate(1turn); }}"
        );
    }

    #[test]
    fn the_resident_page_keeps_its_own_rules_and_drops_the_staff_apps() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let css = std::fs::read_to_string(root.join("public/styles.css")).unwrap();
        let mut used =
            words(&std::fs::read_to_string(root.join("app/src/renovation/vote.rs")).unwrap());
        used.extend(words(
            &std::fs::read_to_string(root.join("public/index.html")).unwrap(),
        ));
        let out = subset(&css, &used);
        for rule in [
            ".btn, button{",
            ".card{",
            ".btn.big{",
            ".code-input",
            ".loading{",
            ".field-error",
        ] {
            assert!(out.contains(rule), "{rule} missing from {out}");
        }
        assert!(
            !out.contains(".door-row") && !out.contains(".certificate"),
            "{out}"
        );
        assert!(out.len() * 2 < css.len(), "{} of {}", out.len(), css.len());
    }
}
