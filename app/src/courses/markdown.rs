//! Lesson text: Markdown rendered on the server (pulldown-cmark) and then
//! sanitised (ammonia), so whatever a trainer pastes, no script, event handler,
//! `javascript:` or `data:` URL, inline style or frame reaches a learner's browser.

use std::collections::HashSet;

/// Safe HTML for `markdown`.
pub fn to_safe_html(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    sanitise(&raw)
}

/// `html` with everything that could run or restyle the page taken out (as
/// imported question texts come).
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each attack string, and what must not survive it (lower-cased output).
    #[test]
    fn attacks_do_not_survive() {
        let cases: &[(&str, &[&str])] = &[
            ("<script>alert(1)</script>", &["<script", "alert(1)</"]),
            ("<img src=x onerror=alert(1)>", &["onerror"]),
            ("<img src=\"x\" oNeRrOr=\"alert(1)\">", &["onerror"]),
            ("[click](javascript:alert(1))", &["javascript:"]),
            ("<a href=\"JaVaScRiPt:alert(1)\">x</a>", &["javascript:"]),
            (
                "<a href=\"&#106;avascript:alert(1)\">x</a>",
                &["javascript:", "&#106;"],
            ),
            ("<a href=\"java\tscript:alert(1)\">x</a>", &["script:"]),
            (
                "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
                &["data:"],
            ),
            (
                "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
                &["data:"],
            ),
            ("<svg><script>alert(1)</script></svg>", &["<svg", "<script"]),
            ("<svg onload=alert(1)>", &["<svg", "onload"]),
            (
                "<p style=\"background:url(javascript:alert(1))\">x</p>",
                &["style", "javascript:"],
            ),
            (
                "<iframe src=\"https://evil.example\"></iframe>",
                &["<iframe"],
            ),
            (
                "<object data=\"x.swf\"></object><embed src=\"x\">",
                &["<object", "<embed"],
            ),
            (
                "<form action=\"https://evil.example\"><input name=p></form>",
                &["<form", "<input name"],
            ),
            (
                "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
                &["javascript:", "xlink"],
            ),
            ("<details open ontoggle=alert(1)>", &["ontoggle"]),
            ("<body onload=alert(1)>", &["onload", "<body"]),
            (
                "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
                &["<meta", "javascript:"],
            ),
            ("<base href=\"https://evil.example/\">", &["<base"]),
            ("<style>*{display:none}</style>", &["<style"]),
            // Entities that decode to markup stay text, never become tags.
            ("&lt;script&gt;alert(1)&lt;/script&gt;", &["<script"]),
            ("&#60;img src=x onerror=alert(1)&#62;", &["<img"]),
        ];
        for (attack, banned) in cases {
            let out = to_safe_html(attack).to_lowercase();
            for b in *banned {
                assert!(!out.contains(b), "{attack:?} left {b:?} in {out:?}");
            }
        }
    }

    #[test]
    fn ordinary_markdown_survives() {
        let out = to_safe_html(
            "# 养老保险政策\n\n**重点**：*缴费年限*。\n\n- 一\n- 二\n\n\
             | 项目 | 标准 |\n|---|---|\n| 基础 | 20% |\n\n\
             [人社部](https://www.mohrss.gov.cn/) · [下一课](/courses/x)",
        );
        for part in [
            "<h1>养老保险政策</h1>",
            "<strong>重点</strong>",
            "<em>缴费年限</em>",
            "<li>一</li>",
            "<table>",
            "<td>20%</td>",
            "href=\"https://www.mohrss.gov.cn/\"",
            "rel=\"noopener noreferrer\"",
            "href=\"/courses/x\"",
        ] {
            assert!(out.contains(part), "{part} missing from {out}");
        }
    }
}
