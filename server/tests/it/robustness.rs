//! The robustness sweep: every registered server function and every plain route
//! gets malformed, oversized, wrongly typed and empty input, signed in as each role
//! and signed out, and must answer without a server error (a panic would cut the
//! connection, which fails here too). The endpoints come from the framework's own
//! registry, so a new one is swept without being listed.

use std::collections::BTreeSet;

use crate::common::TestApp;
use crate::roles::{ALL, login_of, table};

/// Values people and scripts send that code tends not to expect.
const NASTY: &[&str] = &[
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "true",
    "null",
    "[]",
    "{}",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\u{0}",
    "\u{202e}李娜\u{202d}",
    "😀😀😀",
    "2026-13-45T25:61",
    "=HYPERLINK(\"http://x\")",
    "a[b]=c",
];

/// A small deterministic generator, so a failure replays the same way.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.next() % from.len()]
    }
}

/// The bodies one endpoint gets: each known field with each nasty value, random
/// mixes, bracketed and repeated keys, and a few that are not forms at all.
fn bodies(fields: &[&str], rng: &mut Lcg) -> Vec<(&'static str, Vec<u8>)> {
    let form = "application/x-www-form-urlencoded";
    let encode = |pairs: &[(String, String)]| {
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes()
    };
    let mut out = vec![
        (form, Vec::new()),
        ("application/json", b"{\"id\": [1, 2, {}]}".to_vec()),
        ("text/plain", b"\xff\xfe not utf-8".to_vec()),
        (form, b"%%%==&&&%zz".to_vec()),
        (form, format!("id={}", "9".repeat(200_000)).into_bytes()),
    ];
    for value in NASTY {
        let pairs: Vec<(String, String)> = fields
            .iter()
            .map(|f| ((*f).to_owned(), (*value).to_owned()))
            .collect();
        out.push((form, encode(&pairs)));
    }
    for _ in 0..12 {
        let mut pairs = Vec::new();
        for f in fields {
            match rng.next() % 4 {
                0 => {}
                1 => pairs.push(((*f).to_owned(), rng.pick(NASTY).to_owned())),
                2 => pairs.push((format!("{f}[x]"), rng.pick(NASTY).to_owned())),
                _ => {
                    pairs.push(((*f).to_owned(), rng.pick(NASTY).to_owned()));
                    pairs.push(((*f).to_owned(), rng.pick(NASTY).to_owned()));
                }
            }
        }
        pairs.push((rng.pick(NASTY).to_owned(), rng.pick(NASTY).to_owned()));
        out.push((form, encode(&pairs)));
    }
    out
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "sweep: run alone with --ignored"]
async fn no_input_makes_a_server_error() {
    let app = TestApp::spawn().await;
    let known: Vec<(String, Vec<&str>)> = table()
        .into_iter()
        .map(|(e, form, _)| (e.to_owned(), form.into_iter().map(|(k, _)| k).collect()))
        .collect();
    // Every field name any endpoint takes, for endpoints the table does not spell.
    let all_fields: Vec<&str> = known
        .iter()
        .flat_map(|(_, f)| f.iter().copied())
        .chain([
            "employee_no",
            "password",
            "next",
            "locale",
            "back",
            "name",
            "confirm",
        ])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let endpoints: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    assert!(endpoints.len() > 40, "the registry was read");
    let mut rng = Lcg(0x0067_6170_7769_7365);
    let mut failures = Vec::new();
    let mut sent = 0;
    for who in ALL {
        let client = match login_of(who) {
            Some(no) => app.signed_in(no).await,
            None => app.client(),
        };
        for path in &endpoints {
            let name = path.trim_start_matches("/api/");
            if matches!(name, "auth/logout" | "auth/password" | "auth/sessions/end")
                && login_of(who).is_some()
            {
                continue; // would end or change the session the sweep goes on with
            }
            let fields: Vec<&str> = known
                .iter()
                .find(|(e, _)| e == name)
                .map(|(_, f)| f.clone())
                .filter(|f| !f.is_empty())
                .unwrap_or_else(|| all_fields.clone());
            for (kind, body) in bodies(&fields, &mut rng) {
                sent += 1;
                let res = client
                    .post(format!("{}{path}", app.origin()))
                    .header("Origin", app.origin())
                    .header("Content-Type", kind)
                    .body(body)
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_server_error() => {
                        failures.push(format!("{who:?} {path} ({kind}): {}", r.status()))
                    }
                    Ok(_) => {}
                    Err(e) => failures.push(format!("{who:?} {path} ({kind}): {e}")),
                }
            }
        }
        // Plain routes: exports and uploads with bad paths, queries and files.
        for route in [
            "/export/people.csv?unit=%00",
            "/export/frameworks/not-a-uuid",
            "/export/frameworks/00000000-0000-0000-0000-000000000000",
            "/export/gaps/heatmap.csv?campaign=zz&unit=%E2%80%AE&position=-1",
            "/export/gaps/priorities.csv?campaign=00000000-0000-0000-0000-000000000000",
            "/export/gaps/before-after.csv?campaign=00000000-0000-0000-0000-000000000000&unit=x",
            "/export/gaps/person/not-a-uuid?campaign=x",
            "/follow-ups/not-a-uuid",
            "/indicators/import/not-a-uuid",
            "/indicators?indicator=%00&course=x",
            "/indicators/grid?unit=x&year=99999",
            "/courses/not-a-uuid/evaluation/behaviour",
            "/admin/people/not-a-uuid",
            "/campaigns/%00",
            "/tasks/..%2F..%2Fetc",
            "/login?next=%01",
        ] {
            sent += 1;
            match app.get(&client, route).await.status() {
                s if s.is_server_error() => failures.push(format!("{who:?} GET {route}: {s}")),
                _ => {}
            }
        }
        for upload in ["/admin/roster/upload", "/frameworks/upload"] {
            for body in [Vec::new(), b"--x\r\nnot multipart".to_vec()] {
                sent += 1;
                let res = client
                    .post(format!("{}{upload}", app.origin()))
                    .header("Origin", app.origin())
                    .header("Content-Type", "multipart/form-data; boundary=x")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                if res.status().is_server_error() {
                    failures.push(format!("{who:?} {upload}: {}", res.status()));
                }
            }
        }
    }
    assert!(sent > 5_000, "{sent} requests");
    assert!(
        failures.is_empty(),
        "{} of {sent} requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    app.stop().await;
}
