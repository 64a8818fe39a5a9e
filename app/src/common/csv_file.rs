//! Reading an uploaded CSV file's header the way every import does: a BOM
//! dropped, cells trimmed, rows of any length, and each column found by any of
//! its accepted names (English or Chinese, case aside).

use std::collections::HashMap;

use crate::error::Problem;

/// A file's records, after its header.
pub type Records = csv::Reader<std::io::Cursor<Vec<u8>>>;

/// A reader over `text` and where each of `columns` stands in its header
/// (columns the header lacks are absent from the map).
pub fn open<'k>(
    text: &str,
    columns: &[(&'k str, &[&str])],
) -> Result<(Records, HashMap<&'k str, usize>), Vec<Problem>> {
    // Spreadsheet programs save UTF-8 with a BOM; it is not part of the first header.
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(std::io::Cursor::new(text.as_bytes().to_vec()));
    let headers = reader
        .headers()
        .map_err(|e| {
            vec![Problem::BadCsv {
                detail: e.to_string(),
            }]
        })?
        .clone();
    let index = columns
        .iter()
        .filter_map(|(key, names)| {
            headers
                .iter()
                .position(|h| names.iter().any(|n| n.eq_ignore_ascii_case(h)))
                .map(|i| (*key, i))
        })
        .collect();
    Ok((reader, index))
}
