//! The quiz engine: the question bank and the formats questions come in and go
//! out in. Attempts, grading and item analysis build on these.

pub mod question;

#[cfg(feature = "ssr")]
pub mod gift;
#[cfg(feature = "ssr")]
pub mod grade;
#[cfg(feature = "ssr")]
pub mod moodle_xml;
#[cfg(feature = "ssr")]
pub mod sheet;

use question::Question;

/// One question read from a file, with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub line: usize,
    pub question: Question,
}

/// One question skipped: the line it starts on, what names it (its first words,
/// or its name) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped<P> {
    pub line: usize,
    pub what: String,
    pub problem: P,
}

/// What a file gave: the questions read and those skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<P> {
    pub questions: Vec<Read>,
    pub skipped: Vec<Skipped<P>>,
}

impl<P> Default for Parsed<P> {
    fn default() -> Self {
        Self {
            questions: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

/// A finite number as a file or a learner writes it, spaces off both ends.
#[cfg(feature = "ssr")]
fn finite(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A category as a question file names it, as a path: `$course$/top/养老/政策` →
/// `养老/政策`. The `$context$` and Moodle's `top` level say where the category
/// lived in Moodle, not what it is. `None` for the top itself.
#[cfg(feature = "ssr")]
fn category_path(raw: &str) -> Option<String> {
    let mut path = raw.trim();
    if let Some(rest) = path.strip_prefix('$')
        && let Some(end) = rest.find('$')
    {
        path = rest[end + 1..].trim_start_matches('/');
    }
    path = path.strip_prefix("top/").unwrap_or(path);
    if path == "top" {
        path = "";
    }
    let path = path.trim_matches('/');
    (!path.is_empty()).then(|| path.to_owned())
}
