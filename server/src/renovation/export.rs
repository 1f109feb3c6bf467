//! The results' XLSX file: the core's export tables (`linli_core::renovation::export`) written with
//! rust_xlsxwriter. The CSV is the core's own.

use linli_core::renovation::export::{Cell, Tables, summary_header};

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
        for (c, h) in summary_header().iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
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
            ws.write_string_with_format(0, c as u16, h, &bold)?;
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
