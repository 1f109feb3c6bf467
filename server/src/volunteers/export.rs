//! The volunteer list (志愿者名册) as CSV and XLSX: one row per volunteer with this year's hours, phone
//! and ID number masked (the rows of `linli_core::volunteers::api` never hold them whole), bilingual
//! headers from the feature's words (`中文 (English)`), as the renovation results' exports.

use linli_core::renovation::export::{Cell, csv_cell, csv_field};
use linli_core::volunteers::api::VolunteerRow;
use linli_core::volunteers::{VolunteerStats, Words};
use std::collections::HashMap;
use uuid::Uuid;

/// The header and rows of the list; `teams` names the community's teams by id.
pub fn table(
    rows: &[VolunteerRow],
    teams: &HashMap<Uuid, String>,
) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header = [
        Words::ColName,
        Words::ColPhone,
        Words::ColIdNumber,
        Words::ColStatus,
        Words::ColRegisteredOn,
        Words::ColTeams,
        Words::ColPartyMember,
        Words::ColStudent,
        Words::ColConfirmedHours,
        Words::ColPendingHours,
    ]
    .iter()
    .map(|w| w.both())
    .collect();
    let yes_no = |b: bool| Cell::Text(if b { Words::Yes } else { Words::No }.both());
    let hours = |m: u64| Cell::Num(m as f64 / 60.0);
    let rows = rows
        .iter()
        .map(|r| {
            let team_names: Vec<&str> = r
                .teams
                .iter()
                .filter_map(|t| teams.get(t).map(String::as_str))
                .collect();
            vec![
                Cell::Text(r.name.clone()),
                Cell::Text(r.phone_masked.clone()),
                Cell::Text(r.id_number_masked.clone()),
                Cell::Text(r.status.words().both()),
                Cell::Text(r.registered_on.to_string()),
                Cell::Text(team_names.join("、")),
                yes_no(r.party_member),
                yes_no(r.student),
                hours(r.confirmed_minutes),
                hours(r.pending_minutes),
            ]
        })
        .collect();
    (header, rows)
}

/// The figures (V1, V3, V4) as a table: one row per figure with its value, threshold and whether it is met
/// (V3's months have no threshold of their own). Rates are percentages.
pub fn figures_table(s: &VolunteerStats, population: u64) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header = [
        Words::ColFigure,
        Words::ColValue,
        Words::ColThreshold,
        Words::ColMet,
    ]
    .iter()
    .map(|w| w.both())
    .collect();
    let yes_no = |b: bool| Cell::Text(if b { Words::Yes } else { Words::No }.both());
    let fill = |w: Words, arg: &str| {
        let (zh, en) = (w.text(linli_core::Lang::Zh), w.text(linli_core::Lang::En));
        format!(
            "{} ({})",
            linli_core::i18n::fill(zh, &[arg]),
            linli_core::i18n::fill(en, &[arg])
        )
    };
    let mut rows = vec![
        vec![
            Cell::Text(Words::FigRegistered.both()),
            Cell::Num(s.registered as f64),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
        ],
        vec![
            Cell::Text(Words::FigPopulation.both()),
            Cell::Num(population as f64),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
        ],
        vec![
            Cell::Text(Words::FigRate.both()),
            Cell::Num(s.rate.value * 100.0),
            Cell::Num(s.rate.threshold * 100.0),
            yes_no(s.rate.met),
        ],
    ];
    for m in &s.active_by_month {
        rows.push(vec![
            Cell::Text(fill(Words::FigMonthShare, &m.month)),
            Cell::Num(m.share * 100.0),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
        ]);
    }
    let p = &s.party_students;
    rows.push(vec![
        Cell::Text(fill(Words::FigPartyStudents, &p.hours_min.to_string())),
        Cell::Num(p.share * 100.0),
        Cell::Num(p.threshold * 100.0),
        yes_no(p.met),
    ]);
    (header, rows)
}

/// CSV: UTF-8 with a BOM (so Excel reads Chinese), CRLF, formula-like text neutralised.
pub fn to_csv(header: &[String], rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(
        &header
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(csv_cell).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// XLSX: one sheet, bold header, hours to two decimals.
pub fn to_xlsx(
    header: &[String],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let hours = Format::new().set_num_format("0.00");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Volunteers")?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
        ws.set_column_width(c as u16, 18)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s)?,
                Cell::Num(n) => ws.write_number_with_format(r, c, *n, &hours)?,
                Cell::Pct(x) => ws.write_number(r, c, *x)?,
            };
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::date::Date;
    use linli_core::volunteers::VolunteerStatus;

    #[test]
    fn rows_hold_masked_numbers_and_hours() {
        let row = VolunteerRow {
            id: Uuid::nil(),
            name: "=张三".into(),
            phone_masked: "138****1234".into(),
            id_number_masked: "4101**********1239".into(),
            status: VolunteerStatus::Active,
            registered_on: Date::parse("2026-01-05").unwrap(),
            teams: vec![],
            party_member: true,
            student: false,
            resident: false,
            confirmed_minutes: 90,
            pending_minutes: 0,
        };
        let (h, rows) = table(&[row], &HashMap::new());
        let csv = to_csv(&h, &rows);
        assert!(
            csv.starts_with("\u{feff}姓名 (Name),电话 (Phone),"),
            "{csv}"
        );
        assert!(csv.contains("'=张三,138****1234,4101**********1239,在册 (active),2026-01-05,,是 (yes),否 (no),1.5,0\r\n"), "{csv}");
        assert!(to_xlsx(&h, &rows).unwrap().starts_with(b"PK"));
    }
}
