//! The results as tables (summary, per-item support) and their CSV and XLSX files: every table exports
//! (DESIGN.md "Look and language"). Labels are bilingual, Chinese first.

use linli_core::places::MenuItem;
use linli_core::project::{ItemClass, ProjectFields};
use linli_core::renovation::Tally;
use std::collections::HashMap;

/// A cell of an exported table.
#[derive(Clone, Debug)]
enum Cell {
    Text(String),
    Num(f64),
    /// A ratio, shown as a percentage.
    Pct(f64),
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn yes_no(b: bool) -> Cell {
    t(if b { "是 (yes)" } else { "否 (no)" })
}

fn class_label(c: ItemClass) -> &'static str {
    match c {
        ItemClass::Basic => "基础类 (basic)",
        ItemClass::Improvement => "完善类 (improvement)",
        ItemClass::Upgrade => "提升类 (upgrade)",
    }
}

/// The two tables of an export: summary (measure, value) and per-item support.
pub struct Tables {
    summary: Vec<(String, Cell)>,
    item_header: Vec<&'static str>,
    items: Vec<Vec<Cell>>,
}

const SUMMARY_HEADER: [&str; 2] = ["指标 (Measure)", "数值 (Value)"];

pub fn tables(p: &ProjectFields, menu: &[MenuItem], tally: &Tally) -> Tables {
    let a = &tally.art278;
    let s = |k: &str, v: Cell| (k.to_string(), v);
    let summary = vec![
        s("项目 (Project)", t(p.name.clone())),
        s(
            "调查时间 (Survey period)",
            t(format!("{} – {}", p.survey_opens, p.survey_closes)),
        ),
        s(
            "住户总数 (Households)",
            Cell::Num(tally.coverage.total as f64),
        ),
        s(
            "已答户数 (Households responded)",
            Cell::Num(tally.coverage.responded as f64),
        ),
        s("覆盖率 (Coverage)", Cell::Pct(tally.coverage.ratio)),
        s(
            "覆盖达到三分之二 (Coverage meets 2/3)",
            yes_no(tally.coverage.meets_two_thirds),
        ),
        s(
            "同意户数 (Households agreeing)",
            Cell::Num(tally.agreement.households as f64),
        ),
        s(
            "同意户数占总户数 (Agreeing share of all households)",
            Cell::Pct(tally.agreement.households_ratio),
        ),
        s(
            "同意户数占已答户数 (Agreeing share of households responded)",
            Cell::Pct(tally.agreement.households_ratio_of_responded),
        ),
        s(
            "同意面积 m² (Agreeing area m²)",
            Cell::Num(tally.agreement.area_m2),
        ),
        s(
            "同意面积占总面积 (Agreeing share of all area)",
            Cell::Pct(tally.agreement.area_ratio),
        ),
        s(
            "同意面积占已答面积 (Agreeing share of area responded)",
            Cell::Pct(tally.agreement.area_ratio_of_responded),
        ),
        s(
            "参与表决面积占比 (Participation by area)",
            Cell::Pct(a.participation.area_ratio),
        ),
        s(
            "参与表决人数占比 (Participation by owners)",
            Cell::Pct(a.participation.owners_ratio),
        ),
        s(
            "参与门槛 (Participation threshold)",
            t(a.participation.threshold.clone()),
        ),
        s(
            "同意面积占参与面积 (Consent by area)",
            Cell::Pct(a.consent.area_ratio),
        ),
        s(
            "同意人数占参与人数 (Consent by owners)",
            Cell::Pct(a.consent.owners_ratio),
        ),
        s(
            "同意门槛 (Consent threshold)",
            t(a.consent.threshold.clone()),
        ),
        s(
            "民法典第278条表决通过 (Civil Code art. 278 passed)",
            yes_no(a.passed),
        ),
        s("说明 (Explanation, zh)", t(a.explanation_zh.clone())),
        s("说明 (Explanation, en)", t(a.explanation_en.clone())),
        s(
            "改过答案的户数 (Households that changed their answer)",
            Cell::Num(tally.changed_answers as f64),
        ),
    ];
    let by_id: HashMap<String, &MenuItem> = menu.iter().map(|m| (m.id.to_string(), m)).collect();
    let items = tally
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let m = by_id.get(&it.id);
            vec![
                Cell::Num((i + 1) as f64),
                t(m.map(|m| m.fields.name.clone())
                    .unwrap_or_else(|| it.id.clone())),
                t(m.map(|m| class_label(m.fields.class)).unwrap_or("")),
                Cell::Num(it.households as f64),
                Cell::Num(it.area_m2),
                Cell::Pct(it.ratio_of_responded),
                yes_no(m.is_some_and(|m| m.fields.owners_decision)),
                yes_no(it.art278.passed),
                t(it.art278.explanation_zh.clone()),
                t(it.id.clone()),
            ]
        })
        .collect();
    Tables {
        summary,
        item_header: vec![
            "序号 (No.)",
            "改造内容 (Item)",
            "类别 (Class)",
            "支持户数 (Households)",
            "支持面积 m² (Area m²)",
            "占已答户数 (Share of households responded)",
            "业主共同决定事项 (Owners' joint decision)",
            "第278条通过 (Art. 278 passed)",
            "说明 (Explanation)",
            "编号 (Id)",
        ],
        items,
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) => csv_field(s),
        Cell::Num(n) => format!("{}", (n * 100.0).round() / 100.0),
        Cell::Pct(r) => format!("{:.1}%", r * 100.0),
    }
}

/// The CSV export: UTF-8 with a BOM (so Excel reads Chinese), the summary table, a blank line, the items table.
pub fn to_csv(tb: &Tables) -> String {
    let mut out = String::from("\u{feff}");
    let line = |out: &mut String, cells: Vec<String>| {
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(
        &mut out,
        SUMMARY_HEADER.iter().map(|s| csv_field(s)).collect(),
    );
    for (k, v) in &tb.summary {
        line(&mut out, vec![csv_field(k), csv_cell(v)]);
    }
    out.push_str("\r\n");
    line(
        &mut out,
        tb.item_header.iter().map(|s| csv_field(s)).collect(),
    );
    for row in &tb.items {
        line(&mut out, row.iter().map(csv_cell).collect());
    }
    out
}

pub fn to_xlsx(tb: &Tables) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook, Worksheet};
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let wrap = Format::new().set_text_wrap();
    fn write(
        ws: &mut Worksheet,
        r: u32,
        c: u16,
        cell: &Cell,
        pct: &Format,
        wrap: &Format,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        match cell {
            Cell::Text(s) if s.chars().count() > 40 => {
                ws.write_string_with_format(r, c, s, wrap)?;
            }
            Cell::Text(s) => {
                ws.write_string(r, c, s)?;
            }
            Cell::Num(n) => {
                ws.write_number(r, c, *n)?;
            }
            Cell::Pct(x) => {
                ws.write_number_with_format(r, c, *x, pct)?;
            }
        }
        Ok(())
    }
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("Summary")?;
        ws.set_column_width(0, 48)?;
        ws.set_column_width(1, 60)?;
        for (c, h) in SUMMARY_HEADER.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (i, (k, v)) in tb.summary.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, k)?;
            write(ws, r, 1, v, &pct, &wrap)?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Items")?;
        for (c, h) in tb.item_header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, if c == 8 { 60 } else { 18 })?;
        }
        for (i, row) in tb.items.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                write(ws, i as u32 + 1, c as u16, cell, &pct, &wrap)?;
            }
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_cell(&Cell::Pct(2.0 / 3.0)), "66.7%");
        assert_eq!(csv_cell(&Cell::Num(72.456)), "72.46");
    }
}
