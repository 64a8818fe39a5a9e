//! Black-box harness: starts the real server on port 0 against a fresh database —
//! an SQLite file, or a new Postgres database when GAPWISE_TEST_BACKEND=postgres
//! (using TEST_POSTGRES_URL) — and talks to it over HTTP.
//!
//! The demo agency is seeded once per test process into a template (see
//! `template`); each test that wants it gets its own copy, which takes a
//! fraction of a second instead of a seeding's one to three.

#![allow(dead_code)]

use std::net::SocketAddr;

use app::state::AppState;
use gapwise_server::{Config, prepare, run, seed};
use reqwest::{Client, Response, redirect};
use sea_orm::{ConnectionTrait, Database};
use tokio::sync::oneshot;

mod template;

pub const PASSWORD: &str = seed::DEMO_PASSWORD;

enum Store {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub url: String,
    store: Option<Store>,
    stop: Option<oneshot::Sender<()>>,
}

fn postgres_base() -> Option<String> {
    if std::env::var("GAPWISE_TEST_BACKEND").as_deref() == Ok("postgres") {
        let url = std::env::var("TEST_POSTGRES_URL")
            .expect("GAPWISE_TEST_BACKEND=postgres needs TEST_POSTGRES_URL");
        Some(url)
    } else {
        None
    }
}

impl Store {
    /// A new database named `name`, empty or a copy of `template`, and its URL.
    async fn create(name: &str, template: Option<&Store>) -> (String, Store) {
        match postgres_base() {
            Some(admin_url) => {
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("connect to TEST_POSTGRES_URL");
                let from = match template {
                    Some(Store::Postgres { name, .. }) => format!(" TEMPLATE {name}"),
                    _ => String::new(),
                };
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}{from}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                (
                    database_url(&admin_url, name),
                    Store::Postgres {
                        admin_url,
                        name: name.to_owned(),
                    },
                )
            }
            None => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                if let Some(Store::Sqlite(from)) = template {
                    std::fs::copy(from, &path).expect("copy the demo template");
                }
                (
                    format!("sqlite://{}?mode=rwc", path.display()),
                    Store::Sqlite(path),
                )
            }
        }
    }

    async fn remove(self) {
        match self {
            Store::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Store::Postgres { admin_url, name } => {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    admin.close().await.ok();
                }
            }
        }
    }
}

/// The URL of database `name` on the server of `admin_url`.
fn database_url(admin_url: &str, name: &str) -> String {
    let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
    format!("{base}/{name}")
}

impl TestApp {
    /// A fresh database, migrated, with the demo agency loaded: a copy of
    /// this process's demo template, data folder included.
    pub async fn spawn() -> Self {
        let template = template::demo().await;
        let name = format!("gapwise_t_{}", uuid::Uuid::new_v4().simple());
        let (url, store) = Store::create(&name, Some(&template.store)).await;
        let mut app = Self::start_with(&url, |_| {}).await;
        template::copy_dir(&template.data_dir, &app.state.settings.data_dir)
            .expect("copy the demo template's files");
        app.store = Some(store);
        app
    }

    /// The demo agency on a server whose configuration `adjust` changes,
    /// seeded by that server (the configuration may change what is seeded).
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let app = Self::spawn_empty_with(adjust).await;
        seed::seed_demo(&app.state).await.expect("seed demo");
        app
    }

    /// A fresh database, migrated, with nobody in it (first run).
    pub async fn spawn_empty() -> Self {
        Self::spawn_empty_with(|_| {}).await
    }

    /// A fresh, empty database and a server whose configuration `adjust` changes.
    pub async fn spawn_empty_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let name = format!("gapwise_t_{}", uuid::Uuid::new_v4().simple());
        let (url, store) = Store::create(&name, None).await;
        let mut app = Self::start_with(&url, adjust).await;
        app.store = Some(store);
        app
    }

    /// Another server instance on the same database (as behind a load balancer).
    pub async fn start(url: &str) -> Self {
        Self::start_with(url, |_| {}).await
    }

    /// A server instance whose configuration `adjust` changes first. The listener
    /// is bound before the state is prepared, so the bind address (an allowed
    /// origin) has its real port.
    pub async fn start_with(url: &str, adjust: impl FnOnce(&mut Config)) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = Config::for_tests(url);
        config.bind = addr;
        adjust(&mut config);
        let state = prepare(&config).await.expect("prepare");
        let (stop, stopped) = oneshot::channel::<()>();
        let server_state = state.clone();
        tokio::spawn(async move {
            let _ = run(server_state, listener, async {
                let _ = stopped.await;
            })
            .await;
        });
        Self {
            addr,
            state,
            url: url.to_owned(),
            store: None,
            stop: Some(stop),
        }
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn client(&self) -> Client {
        // A hang must fail the test, not stall CI.
        Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .cookie_store(true)
            .redirect(redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Calls a server function as a script would (JSON answer, same-origin).
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(format!("{}/api/{endpoint}", self.origin()))
            .header("Origin", self.origin())
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Calls a server function that must succeed and returns its JSON answer.
    pub async fn json(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> serde_json::Value {
        let res = self.call(client, endpoint, form).await;
        assert!(res.status().is_success(), "{endpoint}: {}", res.status());
        res.json().await.expect("JSON answer")
    }

    /// Loads a page as a browser would (asking for HTML).
    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client
            .get(format!("{}{path}", self.origin()))
            .header("Accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("request")
    }

    /// Uploads one file as the browser's multipart form does, to `path`.
    pub async fn upload(
        &self,
        client: &Client,
        path: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
        client
            .post(format!("{}{path}", self.origin()))
            .header("Origin", self.origin())
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    /// A client signed in as `employee_no` with the demo password.
    pub async fn signed_in(&self, employee_no: &str) -> Client {
        let client = self.client();
        let res = self.login(&client, employee_no, PASSWORD).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "login {employee_no}: {}",
            res.status()
        );
        client
    }

    pub async fn login(&self, client: &Client, employee_no: &str, password: &str) -> Response {
        self.call(
            client,
            "auth/login",
            &[("employee_no", employee_no), ("password", password)],
        )
        .await
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Closing waits for every pooled connection; never let that hang a test.
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            self.state.db.clone().close(),
        )
        .await;
        // Each instance's own data folder (attachments) goes with it.
        let _ = std::fs::remove_dir_all(&self.state.settings.data_dir);
        if let Some(store) = self.store.take() {
            store.remove().await;
        }
    }
}
