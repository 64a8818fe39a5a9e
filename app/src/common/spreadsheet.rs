//! CSV cells that are safe to open in Excel and WPS. A cell starting with `=`, `+`,
//! `-`, `@`, TAB or CR is read by spreadsheet programs as a formula (which can run
//! commands or leak data), so every export writes it with a leading `'`, which
//! they show as text; every import takes that `'` off again, so an exported file
//! imports unchanged.

use std::borrow::Cow;

fn formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
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
        Some(rest) if formula_like(rest) => rest,
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
            ("-1", "'-1"),
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
    }
}
