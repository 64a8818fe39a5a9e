//! Sign-in, sessions, lockout, CSRF and password change, over HTTP.

use crate::common::{PASSWORD, TestApp};
use app::domain::AuditAction;
use app::entities::{audit_log, person};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

async fn json(res: reqwest::Response) -> Value {
    res.json().await.expect("json body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_success_and_one_message_for_both_failures() {
    let app = TestApp::spawn().await;
    let client = app.client();

    let unknown = app.login(&client, "NOBODY", PASSWORD).await;
    assert_eq!(unknown.status(), 401);
    let unknown = json(unknown).await;
    let wrong = app.login(&client, "S0001", "not-the-password").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        json(wrong).await,
        unknown,
        "unknown user and wrong password must look the same"
    );
    assert_eq!(unknown, Value::String("InvalidCredentials".into()));

    let ok = app.login(&client, "S0001", PASSWORD).await;
    assert!(ok.status().is_success(), "{}", ok.status());
    let cookie = ok
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        cookie.contains("gapwise_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let me = json(app.call(&client, "auth/me", &[]).await).await;
    assert_eq!(me["employee_no"], "S0001");
    assert_eq!(me["roles"], serde_json::json!(["staff"]));
    app.stop().await;
}

async fn audit_count(app: &TestApp, action: AuditAction) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .count(&app.state.db)
        .await
        .unwrap()
}

/// Five wrong passwords lock the account; while locked even the right one fails
/// with the same answer; an administrator's unlock (audited) lets it in again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_lock_the_account_until_unlocked() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for _ in 0..5 {
        let res = app.login(&client, "T0001", "wrong-password").await;
        assert_eq!(res.status(), 401);
    }
    let trainer = person_no(&app, "T0001").await;
    assert!(trainer.locked_until.is_some(), "locked after five failures");
    // Even the right password is refused while locked, with the usual answer.
    let right = app.login(&client, "T0001", PASSWORD).await;
    assert_eq!(right.status(), 401);
    assert_eq!(
        json(right).await,
        Value::String("InvalidCredentials".into())
    );
    // Other accounts are unaffected.
    assert!(
        app.login(&client, "S0001", PASSWORD)
            .await
            .status()
            .is_success()
    );
    assert_eq!(audit_count(&app, AuditAction::SignInFailed).await, 6);
    assert_eq!(audit_count(&app, AuditAction::SignInLocked).await, 1);

    let admin = app.signed_in("A0001").await;
    let page = app
        .get(&admin, &format!("/admin/people/{}", trainer.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("data-testid=\"unlock\""),
        "the person page offers unlocking"
    );
    let res = app
        .call(
            &admin,
            "org/person/unlock",
            &[("id", &trainer.id.to_string())],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(audit_count(&app, AuditAction::PersonUnlock).await, 1);
    assert!(
        app.login(&client, "T0001", PASSWORD)
            .await
            .status()
            .is_success()
    );
    app.stop().await;
}

/// Fifty wrong passwords at once check at most five against the real hash, and
/// lock the account.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_guesses_check_at_most_five_passwords() {
    let app = TestApp::spawn().await;
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..50 {
        let (client, origin) = (app.client(), app.origin());
        guesses.spawn(async move {
            client
                .post(format!("{origin}/api/auth/login"))
                .header("Origin", &origin)
                .header("Accept", "application/json")
                .form(&[
                    ("employee_no", "M0001"),
                    ("password", &format!("guess {n}")),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = guesses.join_all().await;
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 503),
        "{statuses:?}"
    );
    let checked = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(AuditAction::SignInFailed))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            e.after
                .as_deref()
                .is_some_and(|a| a.contains("\"password_checked\":true"))
        })
        .count();
    assert!((1..=5).contains(&checked), "{checked} passwords checked");
    assert!(person_no(&app, "M0001").await.locked_until.is_some());
    app.stop().await;
}

/// An unknown number, a wrong password and a locked account answer alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_answers_do_not_tell_whether_a_number_exists() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let answer = |res: reqwest::Response| async move {
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    };
    let unknown = answer(app.login(&client, "NOBODY9", "whatever").await).await;
    let wrong = answer(app.login(&client, "S0001", "whatever").await).await;
    for _ in 0..5 {
        app.login(&client, "M0001", "whatever").await;
    }
    let locked = answer(app.login(&client, "M0001", PASSWORD).await).await;
    assert_eq!(unknown.0, 401);
    assert_eq!(unknown, wrong);
    assert_eq!(unknown, locked);
    // The failure for the unknown number is audited with what was typed.
    let unknown_entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(AuditAction::SignInFailed))
        .filter(audit_log::Column::EntityId.is_null())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let after = unknown_entry.after.unwrap();
    assert!(
        after.contains("NOBODY9") && after.contains("127.0.0.1"),
        "{after}"
    );
    assert!(!after.contains("whatever"), "never the password");
    app.stop().await;
}

/// Past the per-address quota, sign-in answers 429 with Retry-After.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_may_only_try_so_often() {
    let app = TestApp::spawn_with(|c| c.sign_in_per_minute = 3).await;
    let client = app.client();
    for _ in 0..3 {
        assert_eq!(app.login(&client, "S0001", "wrong").await.status(), 401);
    }
    let res = app.login(&client, "S0001", PASSWORD).await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    app.stop().await;
}

async fn person_no(app: &TestApp, employee_no: &str) -> person::Model {
    person::Entity::find()
        .filter(person::Column::EmployeeNo.eq(employee_no))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_invalidates_the_session() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("M0001").await;
    assert_eq!(app.call(&client, "dashboard", &[]).await.status(), 200);
    let out = app.call(&client, "auth/logout", &[]).await;
    assert!(out.status().is_success(), "{}", out.status());
    assert_eq!(app.call(&client, "dashboard", &[]).await.status(), 401);
    assert_eq!(
        json(app.call(&client, "auth/me", &[]).await).await,
        Value::Null
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_kills_a_stolen_cookie_too() {
    let app = TestApp::spawn().await;
    let res = app.login(&app.client(), "M0001", PASSWORD).await;
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let raw = reqwest::Client::new();
    let with_cookie = |path: &str| {
        raw.post(format!("{}/api/{path}", app.origin()))
            .header("Cookie", cookie.clone())
            .header("Origin", app.origin())
            .header("Accept", "application/json")
            .send()
    };
    assert_eq!(with_cookie("dashboard").await.unwrap().status(), 200);
    assert!(
        with_cookie("auth/logout")
            .await
            .unwrap()
            .status()
            .is_success()
    );
    assert_eq!(with_cookie("dashboard").await.unwrap().status(), 401);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_instance_accepts_the_session() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("A0001").await;
    let res = app.login(&app.client(), "A0001", PASSWORD).await;
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    drop(client);
    let second = TestApp::start(&app.url).await;
    let me: Value = reqwest::Client::new()
        .post(format!("{}/api/auth/me", second.origin()))
        .header("Cookie", cookie)
        .header("Origin", second.origin())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["employee_no"], "A0001");
    second.stop().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("A0001").await;
    let port = app.addr.port();
    let save = |origin: Option<(&'static str, String)>| {
        let mut req = client
            .post(format!("{}/api/org/positions/save", app.origin()))
            .header("Accept", "application/json")
            .form(&[("code", "EVIL"), ("name", "Injected")]);
        if let Some((name, value)) = origin {
            req = req.header(name, value);
        }
        req.send()
    };
    let refused = [
        Some(("Origin", "http://evil.example".to_owned())),
        Some(("Origin", "null".to_owned())),
        Some(("Referer", "http://evil.example/page".to_owned())),
        // Wrong scheme, wrong port, a look-alike host.
        Some(("Origin", format!("https://127.0.0.1:{port}"))),
        Some((
            "Origin",
            format!("http://127.0.0.1:{}", port.wrapping_add(1)),
        )),
        Some(("Origin", format!("http://127.0.0.1:{port}.evil.example"))),
        // Neither header: browsers always send one on a form post.
        None,
    ];
    for origin in refused {
        let res = save(origin.clone()).await.unwrap();
        assert_eq!(res.status(), 403, "{origin:?}");
    }
    let positions = json(app.call(&client, "org/positions", &[]).await).await;
    assert!(
        !positions.to_string().contains("EVIL"),
        "nothing may be written"
    );
    // From our own origin (or a page of it, as a Referer) it goes through.
    let ok = save(Some(("Origin", app.origin()))).await.unwrap();
    assert!(ok.status().is_success(), "{}", ok.status());
    let ok = app
        .call(
            &client,
            "org/positions/save",
            &[("code", "GOOD"), ("name", "Legit")],
        )
        .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    let ok = client
        .post(format!("{}/api/org/positions/save", app.origin()))
        .header("Accept", "application/json")
        .header("Referer", format!("{}/admin/positions", app.origin()))
        .form(&[("code", "GOOD2"), ("name", "Legit too")])
        .send()
        .await
        .unwrap();
    assert!(ok.status().is_success(), "{}", ok.status());
    app.stop().await;
}

/// Personal data is never cached: signed-in pages of each feature, server-function
/// answers and an export are `no-store`; HSTS only with an https public URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_answers_are_not_cached() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    for path in [
        "/",
        "/admin/people",
        "/frameworks",
        "/campaigns",
        "/tasks",
        "/gaps/heatmap",
        "/notifications",
        "/account",
        "/export/people.csv",
    ] {
        let res = app.get(&admin, path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
        assert!(!res.headers().contains_key("strict-transport-security"));
    }
    let res = app.call(&admin, "auth/me", &[]).await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    // A visitor's sign-in page holds nothing personal.
    let res = app.get(&app.client(), "/login").await;
    assert!(!res.headers().contains_key("cache-control"));
    app.stop().await;

    let https =
        TestApp::spawn_empty_with(|c| c.public_url = "https://gapwise.example".into()).await;
    let res = https.get(&https.client(), "/healthz").await;
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    https.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_validates_and_signs_out_other_sessions() {
    let app = TestApp::spawn().await;
    let here = app.signed_in("S0001").await;
    let elsewhere = app.signed_in("S0001").await;

    let short = app
        .call(
            &here,
            "auth/password",
            &[
                ("current", PASSWORD),
                ("new_password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status(), 422);
    let wrong = app
        .call(
            &here,
            "auth/password",
            &[
                ("current", "nope-nope"),
                ("new_password", "brand-new-pass"),
                ("confirm", "brand-new-pass"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(json(wrong).await.to_string().contains("wrong_password"));

    let ok = app
        .call(
            &here,
            "auth/password",
            &[
                ("current", PASSWORD),
                ("new_password", "brand-new-pass"),
                ("confirm", "brand-new-pass"),
            ],
        )
        .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    assert_eq!(
        app.call(&here, "dashboard", &[]).await.status(),
        200,
        "this session stays"
    );
    assert_eq!(
        app.call(&elsewhere, "dashboard", &[]).await.status(),
        401,
        "other sessions end"
    );
    assert_eq!(
        app.login(&app.client(), "S0001", PASSWORD).await.status(),
        401
    );
    assert!(
        app.login(&app.client(), "S0001", "brand-new-pass")
            .await
            .status()
            .is_success()
    );
    app.stop().await;
}

/// Two first-run setups posted at once create one administrator.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_run_setups_create_one_admin() {
    let app = TestApp::spawn_empty().await;
    let mut setups = tokio::task::JoinSet::new();
    for n in 0..4 {
        let (client, origin) = (app.client(), app.origin());
        setups.spawn(async move {
            client
                .post(format!("{origin}/api/auth/setup"))
                .header("Origin", &origin)
                .header("Accept", "application/json")
                .form(&[
                    ("employee_no", format!("FIRST{n}")),
                    ("name", format!("第一位管理员{n}")),
                    ("password", "a long first password".to_owned()),
                    ("confirm", "a long first password".to_owned()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = setups.join_all().await;
    let created = statuses.iter().filter(|s| **s < 400).count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s < 400 || *s == 403),
        "{statuses:?}"
    );
    let people = app::entities::person::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(people, 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_setup_is_closed_once_people_exist() {
    let app = TestApp::spawn().await;
    let res = app
        .call(
            &app.client(),
            "auth/setup",
            &[
                ("employee_no", "X1"),
                ("name", "X"),
                ("password", "long-enough-1"),
                ("confirm", "long-enough-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        json(app.call(&app.client(), "auth/setup-needed", &[]).await).await,
        Value::Bool(false)
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_security_headers() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let health = app.get(&client, "/healthz").await;
    assert_eq!(health.status(), 200);
    let h = health.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(h.contains_key("x-request-id"));
    // The request id is the server's own, whatever the client sends.
    let res = client
        .get(format!("{}/healthz", app.origin()))
        .header("X-Request-Id", "chosen-by-the-client")
        .send()
        .await
        .unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "chosen-by-the-client");
    assert_eq!(id.len(), 36, "a fresh uuid: {id}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_setup_creates_the_first_admin() {
    let app = TestApp::spawn_empty().await;
    let client = app.client();
    assert_eq!(
        json(app.call(&client, "auth/setup-needed", &[]).await).await,
        Value::Bool(true)
    );
    let page = app.get(&client, "/setup").await.text().await.unwrap();
    assert!(page.contains("data-testid=\"setup-form\""));

    let bad = app
        .call(
            &client,
            "auth/setup",
            &[
                ("employee_no", ""),
                ("name", "周敏"),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        json(app.call(&client, "auth/setup-needed", &[]).await).await,
        Value::Bool(true),
        "nothing written"
    );

    let ok = app
        .call(
            &client,
            "auth/setup",
            &[
                ("employee_no", "A0001"),
                ("name", "周敏"),
                ("password", "first-admin-pw"),
                ("confirm", "first-admin-pw"),
            ],
        )
        .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    assert!(
        app.login(&client, "A0001", "first-admin-pw")
            .await
            .status()
            .is_success()
    );
    let me = json(app.call(&client, "auth/me", &[]).await).await;
    assert_eq!(me["roles"], serde_json::json!(["staff", "admin"]));
    // Closed from now on.
    let again = app
        .call(
            &app.client(),
            "auth/setup",
            &[
                ("employee_no", "X2"),
                ("name", "X"),
                ("password", "another-pw-1"),
                ("confirm", "another-pw-1"),
            ],
        )
        .await;
    assert_eq!(again.status(), 403);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_follows_accept_language_then_the_saved_choice() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let zh = client
        .get(format!("{}/login", app.origin()))
        .header("Accept", "text/html")
        .header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        zh.contains("请使用工号和密码登录"),
        "Chinese from Accept-Language"
    );
    let en = app.get(&client, "/login").await.text().await.unwrap();
    assert!(en.contains("Sign in with your employee number"));

    // The switch remembers the choice for the person and the browser.
    let signed_in = app.signed_in("S0001").await;
    let res = app
        .call(
            &signed_in,
            "auth/locale",
            &[("locale", "zh"), ("back", "/")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let me = json(app.call(&signed_in, "auth/me", &[]).await).await;
    assert_eq!(me["locale"], "zh");
    let home = app.get(&signed_in, "/").await.text().await.unwrap();
    assert!(
        home.contains("欢迎"),
        "dashboard in Chinese after the switch"
    );
    app.stop().await;
}

/// A form that does not decode (a field missing, a tampered or stale post) is the
/// caller's mistake: a script gets 422 with the reason, a browser goes back to the
/// form with the error in its URL. Never a 500, and nothing happens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_forms_are_refused_without_a_500() {
    let app = TestApp::spawn().await;
    let client = app.client();

    let res = app
        .call(&client, "auth/login", &[("employee_no", "A0001")])
        .await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["Validation"][0]["field"], "form");
    assert_eq!(body["Validation"][0]["problem"]["code"], "malformed");

    let res = client
        .post(format!("{}/api/auth/login", app.origin()))
        .header("Origin", app.origin())
        .header("Referer", format!("{}/login", app.origin()))
        .header("Accept", "text/html")
        .form(&[("employee_no", "A0001")])
        .send()
        .await
        .expect("request");
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{}/login?", app.origin())) && location.contains("__err="),
        "{location}"
    );
    // No session was made by either attempt.
    let me = app.call(&client, "auth/me", &[]).await;
    assert_eq!(json(me).await, Value::Null);
    app.stop().await;
}

/// After signing in, and when already signed in, `next` goes only to a path on
/// this site; a control character in it is refused, not a crash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_never_redirects_to_another_site() {
    let app = TestApp::spawn().await;
    let bad = [
        "https://evil.example",
        "//evil.example",
        "/%09/evil.example",
        "/\\evil.example",
        "%01",
        "/%0d%0aSet-Cookie:x=1",
    ];
    for next in bad {
        // Signing in with a browser form.
        let client = app.client();
        let res = client
            .post(format!("{}/api/auth/login", app.origin()))
            .header("Origin", app.origin())
            .header("Accept", "text/html")
            .form(&[
                ("employee_no", "S0001"),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection(), "{next:?}: {}", res.status());
        assert_eq!(res.headers()["location"], "/", "{next:?}");
        // Already signed in, opening the sign-in page.
        let res = app
            .get(&client, &format!("/login?next={}", urlencoded(next)))
            .await;
        let status = res.status().as_u16();
        assert!(status < 500, "{next:?}: {status}");
        if let Some(location) = res.headers().get("location") {
            assert_eq!(location, "/", "{next:?}");
        }
    }
    // The same, written straight into the query string as an attacker would.
    let client = app.signed_in("S0001").await;
    for raw in [
        "https://evil.example",
        "//evil.example",
        "/%09/evil.example",
        "/%5Cevil.example",
        "%01",
        "%0d%0a",
    ] {
        let res = app.get(&client, &format!("/login?next={raw}")).await;
        let status = res.status().as_u16();
        assert!(status < 500, "{raw}: {status}");
        if let Some(location) = res.headers().get("location") {
            assert_eq!(location, "/", "{raw}");
        }
    }
    // A local path is followed.
    let client = app.client();
    let res = client
        .post(format!("{}/api/auth/login", app.origin()))
        .header("Origin", app.origin())
        .header("Accept", "text/html")
        .form(&[
            ("employee_no", "S0001"),
            ("password", PASSWORD),
            ("next", "/tasks"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/tasks");
    app.stop().await;
}

fn urlencoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// New passwords are refused with the reason next to the field: too short, the
/// person's own name or number, a common password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessable_passwords_are_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let staff = app.signed_in("S0001").await;
    let change = |new: &'static str| {
        let (client, origin) = (staff.clone(), app.origin());
        async move {
            client
                .post(format!("{origin}/api/auth/password"))
                .header("Origin", &origin)
                .header("Accept", "application/json")
                .form(&[
                    ("current", PASSWORD),
                    ("new_password", new),
                    ("confirm", new),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    for (new, problem) in [
        ("short", "too_short"),
        ("S0001-my-own-no", "weak_password"),
        ("password123", "weak_password"),
    ] {
        let res = change(new).await;
        assert_eq!(res.status(), 422, "{new}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["Validation"][0]["field"], "new_password", "{body}");
        assert_eq!(body["Validation"][0]["problem"]["code"], problem, "{body}");
    }
    let res = change("S0001-my-own-no").await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["Validation"][0]["problem"]["reason"], "personal");
    // A strong one is taken.
    let res = change("kettle lantern orchard 47").await;
    assert!(res.status().is_success(), "{}", res.status());
    app.stop().await;
}

/// The demo (one published password for every account) is refused on an address
/// other computers can reach.
#[test]
fn the_demo_stays_on_this_computer() {
    let dir = std::env::temp_dir().join(format!("gapwise-demo-{}", uuid::Uuid::new_v4()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gapwise"))
        .args(["serve", "--demo"])
        .env("GAPWISE_BIND", "0.0.0.0:0")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/demo.db?mode=rwc", dir.display()),
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("refusing to load the demo"), "{said}");
    assert!(!dir.join("demo.db").exists(), "nothing was written");
}

/// A password an administrator set must be replaced at the next sign-in before
/// any other page or data opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_set_by_an_administrator_is_changed_first() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let li_na = person_no(&app, "S0001").await;
    let given = "temporary river lantern 81";
    let res = app
        .call(
            &admin,
            "org/person/password",
            &[
                ("id", &li_na.id.to_string()),
                ("new_password", given),
                ("confirm", given),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());

    let client = app.client();
    assert!(
        app.login(&client, "S0001", given)
            .await
            .status()
            .is_success()
    );
    let page = app.get(&client, "/tasks").await;
    assert!(page.status().is_redirection());
    assert_eq!(page.headers()["location"], "/account?must=1");
    assert_eq!(app.call(&client, "tasks", &[]).await.status(), 403);
    let account = app.get(&client, "/account?must=1").await;
    assert_eq!(account.status(), 200);
    assert!(
        account
            .text()
            .await
            .unwrap()
            .contains("data-testid=\"must-change\"")
    );

    let own = "my own quiet garden 2027";
    let res = app
        .call(
            &client,
            "auth/password",
            &[("current", given), ("new_password", own), ("confirm", own)],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    // Signing in afresh, everything opens again.
    let client = app.client();
    assert!(app.login(&client, "S0001", own).await.status().is_success());
    assert_eq!(app.get(&client, "/tasks").await.status(), 200);
    assert_eq!(app.call(&client, "tasks", &[]).await.status(), 200);
    app.stop().await;
}

fn set_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("gapwise_session="))
        .unwrap_or("")
        .to_owned()
}

/// By default the session cookie dies with the browser; "keep me signed in" makes
/// it last the seven-day limit. Over https it is `__Host-` prefixed and `Secure`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cookie_lasts_the_browser_session_unless_kept() {
    let app = TestApp::spawn().await;
    let res = app.login(&app.client(), "S0001", PASSWORD).await;
    let cookie = set_cookie(&res);
    assert!(cookie.starts_with("gapwise_session="), "{cookie}");
    assert!(
        !cookie.contains("Max-Age") && !cookie.contains("Expires"),
        "a browser-session cookie: {cookie}"
    );
    assert!(
        cookie.contains("Path=/") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax")
    );
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");

    let res = app
        .call(
            &app.client(),
            "auth/login",
            &[
                ("employee_no", "S0001"),
                ("password", PASSWORD),
                ("remember", "1"),
            ],
        )
        .await;
    let cookie = set_cookie(&res);
    assert!(
        cookie.contains("Max-Age=604800"),
        "kept for 7 days: {cookie}"
    );
    let kept = app::entities::session::Entity::find()
        .filter(app::entities::session::Column::Persistent.eq(true))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(kept, 1);
    app.stop().await;

    let https = TestApp::spawn_with(|c| c.public_url = "https://gapwise.example".into()).await;
    let res = https
        .client()
        .post(format!("{}/api/auth/login", https.origin()))
        .header("Origin", "https://gapwise.example")
        .header("Accept", "application/json")
        .form(&[("employee_no", "S0001"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let cookie = set_cookie(&res);
    assert!(cookie.starts_with("__Host-gapwise_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"));
    let token = cookie
        .trim_start_matches("__Host-gapwise_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    // Only the prefixed name counts over https: the same token under the plain
    // name (which another site on the host could plant) is nobody.
    for (name, expected) in [("__Host-gapwise_session", "S0001"), ("gapwise_session", "")] {
        let me: Value = https
            .client()
            .post(format!("{}/api/auth/me", https.origin()))
            .header("Origin", "https://gapwise.example")
            .header("Accept", "application/json")
            .header("Cookie", format!("{name}={token}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            me["employee_no"].as_str().unwrap_or(""),
            expected,
            "{name}: {me}"
        );
    }
    https.stop().await;
}

async fn login_from(app: &TestApp, user_agent: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .user_agent(user_agent)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let res = app.login(&client, "S0001", PASSWORD).await;
    assert!(res.status().is_success(), "{}", res.status());
    client
}

/// *Your account* lists the person's sessions with browser, address and last
/// use; one can be ended from another browser, or all at once. Nobody can see
/// or end another person's sessions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_see_and_end_their_own_sessions() {
    let app = TestApp::spawn().await;
    let office = login_from(
        &app,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
    )
    .await;
    let home = login_from(
        &app,
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    )
    .await;
    let other = app.signed_in("M0001").await;

    let list = json(app.call(&home, "auth/sessions", &[]).await).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    let by_browser = |name: &str| {
        list.iter()
            .find(|s| s["browser"] == name)
            .unwrap_or_else(|| panic!("{name} in {list:?}"))
            .clone()
    };
    let (edge, firefox) = (by_browser("Edge"), by_browser("Firefox"));
    assert_eq!(edge["system"], "Windows");
    assert_eq!(edge["current"], false);
    assert_eq!(firefox["system"], "Linux");
    assert_eq!(firefox["current"], true);
    assert_eq!(firefox["address"], "127.0.0.1");
    assert!(
        firefox["last_seen"].as_str().unwrap().len() >= 16,
        "{firefox}"
    );
    // The page shows them too.
    let page = app.get(&home, "/account").await.text().await.unwrap();
    assert!(
        page.contains("Edge") && page.contains("Firefox"),
        "sessions listed"
    );

    // Another person's session is not found, and stays alive.
    let edge_id = edge["id"].as_str().unwrap();
    let res = app
        .call(&other, "auth/sessions/end", &[("id", edge_id)])
        .await;
    assert_eq!(res.status(), 404);
    let me = json(app.call(&office, "auth/me", &[]).await).await;
    assert_eq!(me["employee_no"], "S0001");

    // From home, she ends the session she left open at the office.
    let res = app
        .call(&home, "auth/sessions/end", &[("id", edge_id)])
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    assert_eq!(
        json(app.call(&office, "auth/me", &[]).await).await,
        Value::Null
    );
    assert_eq!(
        json(app.call(&home, "auth/me", &[]).await).await["employee_no"],
        "S0001"
    );
    assert_eq!(audit_count(&app, AuditAction::SessionEnd).await, 1);

    // "Sign out everywhere" ends this browser's session too.
    let again = login_from(&app, "curl/8").await;
    let res = app.call(&home, "auth/sessions/end", &[("all", "1")]).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    for client in [&home, &again] {
        assert_eq!(
            json(app.call(client, "auth/me", &[]).await).await,
            Value::Null
        );
    }
    assert_eq!(
        json(app.call(&other, "auth/me", &[]).await).await["employee_no"],
        "M0001"
    );
    assert_eq!(audit_count(&app, AuditAction::SessionEnd).await, 2);
    app.stop().await;
}
