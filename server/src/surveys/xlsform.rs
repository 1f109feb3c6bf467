//! XLSForm workbooks (the format of ODK and KoboToolbox) ↔ the core's `Form`: import with every problem
//! named by sheet, row and column (nothing is imported when anything is wrong), and export in the same
//! columns, so that an export imports back as the same questions.
//!
//! **Sheets.** `survey` (required), `choices` (for select questions), `settings` (optional: `form_title`,
//! `form_title::zh`, `form_title::en`; `version` is read by ODK and ignored here: an imported form is a
//! new form, version 1). The first row of each sheet names its columns, in any order, any case.
//!
//! **Columns of `survey`.** `type`; `name` (the question id); `label::zh` (also `label::Chinese (zh)`,
//! `label::zh-CN`, or a plain `label`) and `label::en` (also `label::English (en)`); `hint::…` the same
//! way → help; `required` (`yes`/`true`/`1`, or `no`/`false`/`0`/empty); `relevant` → "show only if"
//! (see `expr.rs`); `constraint` → a number's `min`/`max`. Linli's own columns, which only its export
//! writes and other tools ignore: `linli_binds` (S6 bound field), `linli_topic` (S5 topic), and in
//! `choices` `linli_satisfied`; in `settings` `linli_purpose` (needs | satisfaction |
//! disability_screening | other; default other). Other columns (appearance, messages, media) are ignored,
//! except `choice_filter` and `calculation`, which would change what a question means: reported.
//!
//! **Types.** `select_one L` → single (choices of list `L` in `choices`: columns `list_name`, `name`,
//! labels); a `select_one` whose list is named `yesno` or holds exactly the choices `yes` and `no` → yes/no;
//! `select_multiple L` → multi; `integer`, `decimal` → number; `text`; `date`. Skipped silently: `note`
//! (it asks nothing), `begin group`/`end group` (the questions inside are kept in order; a group with a
//! `relevant` is reported, since dropping its condition would show what the form hides), and the
//! metadata rows ODK and Kobo add (`start`, `end`, `today`, `deviceid`, `username`, `simserial`,
//! `subscriberid`, `phonenumber`, `audit`: a response records its collector, device and times itself).
//! Every other type (`calculate`, `geopoint`, `begin repeat`, `image`, …) is an unsupported row.
//!
//! The form built is then held to `Form::check` with the server's rule set; its error is one more
//! problem, placed on the question's row and column.

use super::expr::{self, ExprError};
use super::words::SurveyWords as W;
use crate::http::FileProblem;
use calamine::{Data, Reader, Xlsx};
use linli_core::i18n::fill;
use linli_core::rules::SurveyRules;
use linli_core::surveys::{Bind, Choice, Form, Purpose, Question, QuestionKind};
use linli_core::{Lang, RuleError};
use std::collections::{HashMap, HashSet};
use std::io::Cursor;

/// A sheet read: its column names (lower case, trimmed) and its non-blank rows with their row numbers
/// as a spreadsheet shows them (the header is row 1 when the sheet starts at A1).
struct Sheet {
    name: &'static str,
    header: Vec<String>,
    header_row: u32,
    rows: Vec<(u32, Vec<String>)>,
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// Whether a language suffix (`zh`, `Chinese (zh)`, `en`, `English (en)`, `zh-CN`) is `lang`.
fn is_lang(suffix: &str, lang: Lang) -> bool {
    let s = suffix.trim().to_ascii_lowercase();
    let code = match s.rfind('(') {
        Some(i) => s[i + 1..].trim_end_matches(')').trim().to_string(),
        None => s.clone(),
    };
    let (short, word) = match lang {
        Lang::Zh => ("zh", "chinese"),
        Lang::En => ("en", "english"),
    };
    code == short
        || code.starts_with(&format!("{short}-"))
        || code.starts_with(&format!("{short}_"))
        || s.starts_with(word)
        || (lang == Lang::Zh && s == "中文")
}

impl Sheet {
    fn read(wb: &mut Xlsx<Cursor<&[u8]>>, name: &'static str) -> Option<Sheet> {
        let actual = wb
            .sheet_names()
            .into_iter()
            .find(|n| n.trim().eq_ignore_ascii_case(name))?;
        let range = wb.worksheet_range(&actual).ok()?;
        let first = range.start().map_or(0, |(r, _)| r) + 1;
        let first_col = range.start().map_or(0, |(_, c)| c) as usize;
        let mut rows = range.rows().enumerate().map(|(i, cells)| {
            let mut v: Vec<String> = vec![String::new(); first_col];
            v.extend(cells.iter().map(cell_text));
            (first + i as u32, v)
        });
        let (header_row, header) = rows.find(|(_, r)| r.iter().any(|c| !c.is_empty()))?;
        let header = header.iter().map(|h| h.trim().to_lowercase()).collect();
        let rows = rows
            .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
            .collect();
        Some(Sheet {
            name,
            header,
            header_row,
            rows,
        })
    }

    fn col(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.header.iter().position(|h| h == n))
    }

    /// The column of `base` in `lang` (`label::zh` …); a plain `base` is Chinese.
    fn lang_col(&self, base: &str, lang: Lang) -> Option<usize> {
        let prefix = format!("{base}::");
        self.header
            .iter()
            .position(|h| h.strip_prefix(&prefix).is_some_and(|s| is_lang(s, lang)))
            .or_else(|| (lang == Lang::Zh).then(|| self.col(&[base])).flatten())
    }

    fn problem(&self, row: u32, column: &str, word: W, args: &[&str]) -> FileProblem {
        FileProblem {
            sheet: self.name.into(),
            row: Some(row),
            column: (!column.is_empty()).then(|| column.to_string()),
            message_zh: fill(word.zh(), args),
            message_en: fill(word.en(), args),
        }
    }
}

fn get(row: &[String], col: Option<usize>) -> &str {
    col.and_then(|c| row.get(c)).map_or("", |s| s.trim())
}

fn lang_word(lang: Lang) -> (&'static str, &'static str) {
    let w = match lang {
        Lang::Zh => W::LangZh,
        Lang::En => W::LangEn,
    };
    (w.zh(), w.en())
}

fn missing_label(sheet: &Sheet, row: u32, column: &str, lang: Lang) -> FileProblem {
    let (zh, en) = lang_word(lang);
    FileProblem {
        sheet: sheet.name.into(),
        row: Some(row),
        column: Some(column.into()),
        message_zh: fill(W::MissingLabel.zh(), &[zh]),
        message_en: fill(W::MissingLabel.en(), &[en]),
    }
}

/// Labels of a row in both languages; a missing column is reported once, on the header row.
fn labels(
    sheet: &Sheet,
    base: &str,
    row: u32,
    cells: &[String],
    required: bool,
    problems: &mut Vec<FileProblem>,
    reported: &mut HashSet<String>,
) -> (String, String) {
    let mut out = [String::new(), String::new()];
    for (i, lang) in [Lang::Zh, Lang::En].into_iter().enumerate() {
        let column = format!("{base}::{}", if lang == Lang::Zh { "zh" } else { "en" });
        match sheet.lang_col(base, lang) {
            Some(c) => {
                out[i] = get(cells, Some(c)).to_string();
                if required && out[i].is_empty() {
                    problems.push(missing_label(sheet, row, &column, lang));
                }
            }
            // A missing column is said once, on the header row.
            None if required && reported.insert(format!("{}:{column}", sheet.name)) => {
                problems.push(sheet.problem(sheet.header_row, &column, W::NoColumn, &[&column]));
            }
            None => {}
        }
    }
    let [zh, en] = out;
    (zh, en)
}

struct Draft {
    row: u32,
    cells: Vec<String>,
    kind: QuestionKind,
    name: String,
    integer: bool,
    choices: Vec<Choice>,
}

const METADATA: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
];

/// The choices of each list: `(row, choice)` in sheet order.
type Lists = HashMap<String, Vec<(u32, Vec<String>)>>;

/// Reads an XLSForm workbook into a form with the id `form_id`, version 1; or every problem found.
pub fn import(bytes: &[u8], rules: &SurveyRules, form_id: &str) -> Result<Form, Vec<FileProblem>> {
    let Ok(mut wb) = Xlsx::new(Cursor::new(bytes)) else {
        return Err(vec![FileProblem {
            sheet: String::new(),
            row: None,
            column: None,
            message_zh: W::NotWorkbook.zh().into(),
            message_en: W::NotWorkbook.en().into(),
        }]);
    };
    let Some(survey) = Sheet::read(&mut wb, "survey") else {
        return Err(vec![FileProblem {
            sheet: "survey".into(),
            row: None,
            column: None,
            message_zh: fill(W::NoSheet.zh(), &["survey"]),
            message_en: fill(W::NoSheet.en(), &["survey"]),
        }]);
    };
    let choices = Sheet::read(&mut wb, "choices");
    let settings = Sheet::read(&mut wb, "settings");
    let mut problems = Vec::new();
    let mut reported = HashSet::new();

    // Lists of the choices sheet.
    let mut lists: Lists = HashMap::new();
    if let Some(ch) = &choices {
        let list_col = ch.col(&["list_name", "list name"]);
        for (row, cells) in &ch.rows {
            let list = get(cells, list_col);
            if !list.is_empty() {
                lists
                    .entry(list.to_string())
                    .or_default()
                    .push((*row, cells.clone()));
            }
        }
    }
    let mut lists_read: HashSet<String> = HashSet::new();

    let c_type = survey.col(&["type"]);
    let c_name = survey.col(&["name"]);
    let c_required = survey.col(&["required"]);
    let c_relevant = survey.col(&["relevant"]);
    let c_constraint = survey.col(&["constraint"]);
    let c_binds = survey.col(&["linli_binds"]);
    let c_topic = survey.col(&["linli_topic"]);
    if c_type.is_none() {
        problems.push(survey.problem(survey.header_row, "type", W::NoColumn, &["type"]));
    }
    if c_name.is_none() {
        problems.push(survey.problem(survey.header_row, "name", W::NoColumn, &["name"]));
    }

    // First pass: each row's type, name and choices.
    let mut drafts: Vec<Draft> = Vec::new();
    for (row, cells) in &survey.rows {
        let row = *row;
        let type_text = get(cells, c_type);
        let words: Vec<String> = type_text
            .split_whitespace()
            .map(|w| w.to_string())
            .collect();
        let first = words
            .first()
            .map(|w| w.to_ascii_lowercase())
            .unwrap_or_default();
        let joined = words
            .iter()
            .take(2)
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("_");
        if type_text.is_empty() {
            problems.push(survey.problem(row, "type", W::MissingType, &[]));
            continue;
        }
        if joined == "begin_group" || first == "begin_group" {
            if !get(cells, c_relevant).is_empty() {
                problems.push(survey.problem(row, "relevant", W::GroupCondition, &[]));
            }
            continue;
        }
        if joined == "end_group" || first == "end_group" || first == "note" {
            continue;
        }
        if METADATA.contains(&first.as_str()) && words.len() == 1 {
            continue;
        }
        for unsupported in ["choice_filter", "calculation"] {
            if !get(cells, survey.col(&[unsupported])).is_empty() {
                problems.push(survey.problem(
                    row,
                    unsupported,
                    W::UnsupportedColumn,
                    &[unsupported],
                ));
            }
        }
        let (kind, list, integer) = match (first.as_str(), words.len()) {
            ("select_one", 2) => (QuestionKind::Single, Some(words[1].clone()), false),
            ("select_multiple", 2) => (QuestionKind::Multi, Some(words[1].clone()), false),
            ("integer", 1) => (QuestionKind::Number, None, true),
            ("decimal", 1) => (QuestionKind::Number, None, false),
            ("text", 1) => (QuestionKind::Text, None, false),
            ("date", 1) => (QuestionKind::Date, None, false),
            _ => {
                problems.push(survey.problem(row, "type", W::UnsupportedType, &[type_text]));
                continue;
            }
        };
        let name = get(cells, c_name).to_string();
        if name.is_empty() && c_name.is_some() {
            problems.push(survey.problem(row, "name", W::MissingName, &[]));
        }
        let mut kind = kind;
        let mut out_choices = Vec::new();
        if let Some(list) = list {
            let Some(items) = lists.get(&list) else {
                problems.push(survey.problem(row, "type", W::UnknownList, &[&list]));
                continue;
            };
            let ch = choices
                .as_ref()
                .expect("a list comes from the choices sheet");
            let first_read = lists_read.insert(list.clone());
            let c_cname = ch.col(&["name"]);
            let c_satisfied = ch.col(&["linli_satisfied"]);
            let mut list_problems = Vec::new();
            for (crow, ccells) in items {
                let id = get(ccells, c_cname).to_string();
                if id.is_empty() {
                    list_problems.push(ch.problem(*crow, "name", W::MissingName, &[]));
                }
                let (zh, en) = labels(
                    ch,
                    "label",
                    *crow,
                    ccells,
                    true,
                    &mut list_problems,
                    &mut reported,
                );
                out_choices.push(Choice {
                    id,
                    label_zh: zh,
                    label_en: en,
                    satisfied: yes(get(ccells, c_satisfied)) == Some(true),
                });
            }
            let ids: HashSet<&str> = out_choices.iter().map(|c| c.id.as_str()).collect();
            let yesno = list.eq_ignore_ascii_case("yesno")
                || (ids.len() == 2 && ids.contains("yes") && ids.contains("no"));
            if kind == QuestionKind::Single && yesno {
                kind = QuestionKind::Yesno;
                out_choices.clear();
            } else if first_read {
                problems.extend(list_problems);
            }
        }
        drafts.push(Draft {
            row,
            cells: cells.clone(),
            kind,
            name,
            integer,
            choices: out_choices,
        });
    }

    // Second pass: labels, help, required, conditions and ranges.
    let kinds: HashMap<String, QuestionKind> =
        drafts.iter().map(|d| (d.name.clone(), d.kind)).collect();
    let mut questions = Vec::new();
    for d in drafts {
        let (row, cells) = (d.row, &d.cells);
        let (label_zh, label_en) = labels(
            &survey,
            "label",
            row,
            cells,
            true,
            &mut problems,
            &mut reported,
        );
        let (help_zh, help_en) = labels(
            &survey,
            "hint",
            row,
            cells,
            false,
            &mut problems,
            &mut reported,
        );
        let req_text = get(cells, c_required);
        let required = yes(req_text).unwrap_or_else(|| {
            problems.push(survey.problem(row, "required", W::BadRequired, &[req_text]));
            false
        });
        let rel = get(cells, c_relevant);
        let show_if = if rel.is_empty() {
            None
        } else {
            match expr::parse_relevant(rel, &kinds) {
                Ok(c) => Some(c),
                Err(e) => {
                    let (zh, en) = expr_words(&e);
                    problems.push(FileProblem {
                        sheet: "survey".into(),
                        row: Some(row),
                        column: Some("relevant".into()),
                        message_zh: fill(W::BadRelevant.zh(), &[rel, &zh]),
                        message_en: fill(W::BadRelevant.en(), &[rel, &en]),
                    });
                    None
                }
            }
        };
        let con = get(cells, c_constraint);
        let (mut min, mut max) = (None, None);
        if !con.is_empty() {
            if d.kind != QuestionKind::Number {
                problems.push(survey.problem(row, "constraint", W::ConstraintNotNumber, &[]));
            } else {
                match expr::parse_constraint(con, d.integer) {
                    Some((a, b)) => (min, max) = (a, b),
                    None => {
                        problems.push(survey.problem(row, "constraint", W::BadConstraint, &[con]))
                    }
                }
            }
        }
        let binds_text = get(cells, c_binds);
        let binds = if binds_text.is_empty() {
            None
        } else {
            match serde_json::from_value::<Bind>(binds_text.into()) {
                Ok(b) => Some(b),
                Err(_) => {
                    problems.push(survey.problem(
                        row,
                        "linli_binds",
                        W::UnsupportedType,
                        &[binds_text],
                    ));
                    None
                }
            }
        };
        let topic = Some(get(cells, c_topic).to_string()).filter(|t| !t.is_empty());
        questions.push((
            row,
            Question {
                id: d.name,
                kind: d.kind,
                required,
                label_zh,
                label_en,
                help_zh: Some(help_zh).filter(|h| !h.is_empty()),
                help_en: Some(help_en).filter(|h| !h.is_empty()),
                choices: d.choices,
                min,
                max,
                show_if,
                binds,
                topic,
            },
        ));
    }

    // Settings: title and purpose.
    let setting = |names: &[&str], lang: Option<(&str, Lang)>| -> (u32, String) {
        let Some(s) = &settings else {
            return (0, String::new());
        };
        let Some((row, cells)) = s.rows.first() else {
            return (0, String::new());
        };
        let col = match lang {
            Some((base, l)) => s
                .header
                .iter()
                .position(|h| {
                    h.strip_prefix(&format!("{base}::"))
                        .is_some_and(|x| is_lang(x, l))
                })
                .or_else(|| s.col(names)),
            None => s.col(names),
        };
        (*row, get(cells, col).to_string())
    };
    let (_, title_zh) = setting(&["form_title"], Some(("form_title", Lang::Zh)));
    let (_, title_en) = setting(&["form_title"], Some(("form_title", Lang::En)));
    let (prow, purpose_text) = setting(&["linli_purpose"], None);
    let purpose = if purpose_text.is_empty() {
        Purpose::Other
    } else {
        serde_json::from_value(purpose_text.clone().into()).unwrap_or_else(|_| {
            problems.push(FileProblem {
                sheet: "settings".into(),
                row: Some(prow),
                column: Some("linli_purpose".into()),
                message_zh: fill(W::BadPurpose.zh(), &[&purpose_text]),
                message_en: fill(W::BadPurpose.en(), &[&purpose_text]),
            });
            Purpose::Other
        })
    };
    if title_zh.is_empty() || title_en.is_empty() {
        problems.push(FileProblem {
            sheet: "settings".into(),
            row: None,
            column: Some("form_title".into()),
            message_zh: W::MissingTitle.zh().into(),
            message_en: W::MissingTitle.en().into(),
        });
    }
    if questions.is_empty() && problems.is_empty() {
        problems.push(FileProblem {
            sheet: "survey".into(),
            row: None,
            column: None,
            message_zh: W::NoQuestions.zh().into(),
            message_en: W::NoQuestions.en().into(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let rows: HashMap<String, u32> = questions.iter().map(|(r, q)| (q.id.clone(), *r)).collect();
    let form = Form {
        id: form_id.to_string(),
        version: 1,
        purpose,
        title_zh,
        title_en,
        questions: questions.into_iter().map(|(_, q)| q).collect(),
    };
    form.check(rules)
        .map_err(|e| vec![check_problem(&e, &rows)])?;
    Ok(form)
}

/// `yes`/`true`/`1` → true, `no`/`false`/`0`/empty → false, else `None`.
fn yes(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" | "true()" | "y" => Some(true),
        "" | "no" | "false" | "0" | "false()" | "n" => Some(false),
        _ => None,
    }
}

fn expr_words(e: &ExprError) -> (String, String) {
    let (w, arg) = match e {
        ExprError::Unexpected(t) => (W::ExprUnexpected, t.as_str()),
        ExprError::End => (W::ExprEnd, ""),
        ExprError::Function(f) => (W::ExprFunction, f.as_str()),
        ExprError::Value(v) => (W::ExprValue, v.as_str()),
    };
    (fill(w.zh(), &[arg]), fill(w.en(), &[arg]))
}

/// The form check's error as a problem on the question's row: `questions[<id>].show_if` → its row, column
/// `relevant`.
fn check_problem(e: &RuleError, rows: &HashMap<String, u32>) -> FileProblem {
    let field = e.field.as_deref().unwrap_or("");
    let (sheet, row, column) = match field
        .strip_prefix("questions[")
        .and_then(|r| r.split_once("]."))
    {
        Some((id, part)) => {
            let column = match part {
                "id" => "name",
                "label_zh" => "label::zh",
                "label_en" => "label::en",
                "help_zh" => "hint::zh",
                "help_en" => "hint::en",
                "choices" => "type",
                "min" | "max" => "constraint",
                "show_if" => "relevant",
                "binds" => "linli_binds",
                "topic" => "linli_topic",
                other => other,
            };
            ("survey", rows.get(id).copied(), Some(column.to_string()))
        }
        None if field.starts_with("title") => ("settings", None, Some("form_title".into())),
        None => ("survey", None, None),
    };
    FileProblem {
        sheet: sheet.into(),
        row,
        column,
        message_zh: e.message(Lang::Zh),
        message_en: e.message(Lang::En),
    }
}

/// The list name of a choice question in the export: its id (`<id>_choices` for a question named `yesno`,
/// whose list would be read as yes/no).
fn list_name(q: &Question) -> String {
    if q.id.eq_ignore_ascii_case("yesno") {
        format!("{}_choices", q.id)
    } else {
        q.id.clone()
    }
}

/// A form as an XLSForm workbook: `survey`, `choices` and `settings` in the columns [`import`] reads.
pub fn export(form: &Form) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let mut wb = Workbook::new();
    let header = |ws: &mut rust_xlsxwriter::Worksheet,
                  cols: &[&str]|
     -> Result<(), rust_xlsxwriter::XlsxError> {
        for (c, h) in cols.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, 20)?;
        }
        Ok(())
    };

    let ws = wb.add_worksheet();
    ws.set_name("survey")?;
    header(
        ws,
        &[
            "type",
            "name",
            "label::zh",
            "label::en",
            "hint::zh",
            "hint::en",
            "required",
            "relevant",
            "constraint",
            "linli_binds",
            "linli_topic",
        ],
    )?;
    let mut uses_yesno = false;
    for (i, q) in form.questions.iter().enumerate() {
        let r = i as u32 + 1;
        let ty = match q.kind {
            QuestionKind::Single => format!("select_one {}", list_name(q)),
            QuestionKind::Multi => format!("select_multiple {}", list_name(q)),
            QuestionKind::Yesno => {
                uses_yesno = true;
                "select_one yesno".into()
            }
            QuestionKind::Number => "decimal".into(),
            QuestionKind::Text => "text".into(),
            QuestionKind::Date => "date".into(),
        };
        let binds = q
            .binds
            .and_then(|b| serde_json::to_value(b).ok())
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let cells = [
            ty,
            q.id.clone(),
            q.label_zh.clone(),
            q.label_en.clone(),
            q.help_zh.clone().unwrap_or_default(),
            q.help_en.clone().unwrap_or_default(),
            if q.required {
                "yes".into()
            } else {
                String::new()
            },
            q.show_if
                .as_ref()
                .map(|c| expr::relevant(c, form))
                .unwrap_or_default(),
            expr::constraint(q.min, q.max),
            binds,
            q.topic.clone().unwrap_or_default(),
        ];
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16, v)?;
            }
        }
    }

    let ws = wb.add_worksheet();
    ws.set_name("choices")?;
    header(
        ws,
        &[
            "list_name",
            "name",
            "label::zh",
            "label::en",
            "linli_satisfied",
        ],
    )?;
    let mut r = 1;
    let mut rows: Vec<(String, &Choice)> = Vec::new();
    for q in &form.questions {
        for c in &q.choices {
            rows.push((list_name(q), c));
        }
    }
    let yes_no = [
        Choice {
            id: "yes".into(),
            label_zh: W::Yes.zh().into(),
            label_en: W::Yes.en().into(),
            satisfied: false,
        },
        Choice {
            id: "no".into(),
            label_zh: W::No.zh().into(),
            label_en: W::No.en().into(),
            satisfied: false,
        },
    ];
    if uses_yesno {
        rows.extend(yes_no.iter().map(|c| ("yesno".to_string(), c)));
    }
    for (list, c) in rows {
        let cells = [
            list,
            c.id.clone(),
            c.label_zh.clone(),
            c.label_en.clone(),
            if c.satisfied {
                "yes".into()
            } else {
                String::new()
            },
        ];
        for (col, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, col as u16, v)?;
            }
        }
        r += 1;
    }

    let ws = wb.add_worksheet();
    ws.set_name("settings")?;
    header(
        ws,
        &[
            "form_title::zh",
            "form_title::en",
            "version",
            "linli_purpose",
        ],
    )?;
    let purpose = serde_json::to_value(form.purpose)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    for (c, v) in [
        form.title_zh.clone(),
        form.title_en.clone(),
        form.version.to_string(),
        purpose,
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, c as u16, v)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::RuleSet;

    /// Every starter form (S1, S3, S5) exported and imported back: the same questions, title and purpose.
    #[test]
    fn starter_forms_round_trip() {
        let rules = RuleSet::default().surveys;
        for (name, _) in linli_core::surveys::STARTER_FORMS {
            let f = linli_core::surveys::starter_form(name).unwrap();
            let bytes = export(&f).unwrap();
            let back = import(&bytes, &rules, &f.id).unwrap_or_else(|p| panic!("{name}: {p:#?}"));
            assert_eq!(back.questions, f.questions, "{name}");
            assert_eq!(
                (back.title_zh, back.title_en, back.purpose),
                (f.title_zh, f.title_en, f.purpose)
            );
            assert_eq!(back.version, 1);
        }
    }

    #[test]
    fn not_a_workbook_is_one_problem() {
        let p = import(b"hello", &RuleSet::default().surveys, "f").unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].message_en, "The file is not a readable .xlsx workbook");
    }

    #[test]
    fn language_suffixes() {
        assert!(is_lang("Chinese (zh)", Lang::Zh));
        assert!(is_lang("zh-CN", Lang::Zh));
        assert!(is_lang("English (en)", Lang::En));
        assert!(!is_lang("English (en)", Lang::Zh));
        assert!(!is_lang("French (fr)", Lang::En));
    }
}
