//! CSV cells that are safe to open in Excel and WPS. A cell starting with `=`, `+`,
//! `-`, `@`, TAB or CR (other than a plain number) is read by spreadsheet programs as a formula (which can run
//! commands or leak data), so every export writes it with a leading `'`, which
//! they show as text; every import takes that `'` off again, so an exported file
//! imports unchanged.

use std::borrow::Cow;

fn formula_start(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A plain number such as a negative change stays a number: no spreadsheet
/// runs "-0.45", and a quote would turn it into text.
fn formula_like(text: &str) -> bool {
    formula_start(text) && !text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// The cell as an export writes it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if formula_like(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell as an import reads it: the `'` an export added comes off; any other
/// leading `'` (a name like `'Ali`) stays.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        // Older exports quoted negative numbers too.
        Some(rest) if formula_start(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_restored() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+li.na@example.org", "'+li.na@example.org"),
            ("-1", "-1"),
            ("-0.45", "-0.45"),
            ("-1+1", "'-1+1"),
            ("-inf", "'-inf"),
            ("+1e999", "'+1e999"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("李娜", "李娜"),
            ("'Ali", "'Ali"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (cell, written) in cases {
            assert_eq!(neutralise(cell), written, "{cell:?}");
            assert_eq!(restore(written), cell, "{cell:?} back");
        }
        assert_eq!(restore("'-1"), "-1", "an older export's quoted number");
    }
}
