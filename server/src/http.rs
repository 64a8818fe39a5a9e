//! The HTTP stack: Leptos routes and server functions, the roster upload, health
//! check, sessions, the Origin check, security headers and request tracing.

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use app::app::{App, shell};
use app::auth::guard::SessionUser;
use app::auth::service::resolve_session;
use app::auth::session::token_from_cookie_header;
use app::auth::throttle::ClientAddress;
use app::common::origin::is_allowed;
use app::error::AppError;
use app::state::AppState;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let request_id = header::HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/admin/roster/upload",
            post(app::org::transfer::upload_roster)
                .layer(DefaultBodyLimit::max(app::org::transfer::MAX_BYTES + 64 * 1024)),
        )
        .route("/export/people.csv", get(app::org::transfer::export_people))
        .route(
            "/lessons/{id}/attachments",
            post(app::courses::attachments::upload).layer(DefaultBodyLimit::max(
                state.settings.video_max_bytes.max(state.settings.attachment_max_bytes) as usize
                    + 1024 * 1024,
            )),
        )
        .route("/attachments/{id}", get(app::courses::attachments::download))
        .route(
            "/courses/{id}/cover",
            get(app::courses::cover::download)
                .post(app::courses::cover::upload)
                .layer(DefaultBodyLimit::max(
                    app::courses::cover::MAX_BYTES as usize + 64 * 1024,
                )),
        )
        .route(
            "/sessions/{id}/calendar.ics",
            get(app::classroom::service::calendar),
        )
        .route(
            "/frameworks/upload",
            post(app::competencies::transfer::upload_framework).layer(DefaultBodyLimit::max(
                app::competencies::transfer::MAX_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/bank/upload",
            post(app::quiz::transfer::upload_questions).layer(DefaultBodyLimit::max(
                app::quiz::transfer::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/export/bank.xml", get(app::quiz::transfer::export_xml))
        .route("/export/bank.gift", get(app::quiz::transfer::export_gift))
        .route(
            "/export/quizzes/{id}/results.csv",
            get(app::quiz::transfer::export_results),
        )
        .route(
            "/export/quizzes/{id}/{format}",
            get(app::quiz::transfer::export_quiz),
        )
        .route(
            "/export/bank-template.csv",
            get(app::quiz::transfer::template),
        )
        .route(
            "/export/gaps/heatmap.csv",
            get(app::gaps::transfer::export_heatmap),
        )
        .route(
            "/export/gaps/before-after.csv",
            get(app::gaps::transfer::export_before_after),
        )
        .route(
            "/export/gaps/before-after-people.csv",
            get(app::gaps::transfer::export_before_after_people),
        )
        .route(
            "/export/gaps/priorities.csv",
            get(app::gaps::transfer::export_priorities),
        )
        .route(
            "/export/gaps/person/{id}",
            get(app::gaps::transfer::export_person),
        )
        .route(
            "/export/team/progress.csv",
            get(app::team::transfer::export_progress),
        )
        .route("/export/team/hours.csv", get(app::team::transfer::export_hours))
        .route("/export/plan.csv", get(app::plan::transfer::export_plan))
        .route(
            "/export/learning/hours.csv",
            get(app::learning::transfer::export_hours),
        )
        .route(
            "/export/courses/{id}/reaction.csv",
            get(app::evaluation::transfer::export_reaction),
        )
        .route(
            "/indicators/upload",
            post(app::evaluation::indicators::transfer::upload_indicators),
        )
        .route(
            "/export/indicators.csv",
            get(app::evaluation::indicators::transfer::export_indicators),
        )
        .route(
            "/export/courses/{id}/behaviour.csv",
            get(app::evaluation::behaviour::transfer::export_behaviour),
        )
        .route(
            "/export/frameworks/{id}",
            get(app::competencies::transfer::export_framework),
        )
        .leptos_routes_with_context(&state, routes, || {}, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(server_fn_error_status))
        // Inside the session layer, so they see who is signed in.
        .layer(middleware::from_fn(password_gate))
        .layer(middleware::from_fn_with_state(state.clone(), private_headers))
        .layer(middleware::from_fn_with_state(state.clone(), session_layer))
        .layer(middleware::from_fn_with_state(state.clone(), origin_check))
        .layer(middleware::from_fn(scope_request_id))
        .layer(
            ServiceBuilder::new()
                // The request id is ours: one a client sends is not trusted.
                .layer(tower::util::MapRequestLayer::new(|mut req: Request<Body>| {
                    req.headers_mut().remove("x-request-id");
                    req
                }))
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                // Access log at the default level: method, path without its query
                // (which may hold names), status, duration, request id.
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|req: &Request<Body>| {
                            let id = req
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("-");
                            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), id = %id)
                        })
                        .on_response(
                            tower_http::trace::DefaultOnResponse::new()
                                .level(tracing::Level::INFO)
                                .latency_unit(tower_http::LatencyUnit::Micros),
                        ),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                // Pages set their own policy with the hydration nonce; everything else
                // (files, API answers) gets the strictest one.
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
                )),
        )
        .with_state(state)
}

/// Makes the request's id known to the code that serves it, so an internal error
/// shows the user the id the log lines carry.
async fn scope_request_id(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    app::error::REQUEST_ID.scope(id, next.run(req)).await
}

/// Up when the database answers.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(err) => {
            tracing::error!(%err, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Puts the signed-in person (if any) and the client's address into the request
/// for server functions and pages.
async fn session_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(address) = client_address(&state, &req) {
        req.extensions_mut().insert(ClientAddress(address));
    }
    let token = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| token_from_cookie_header(v, state.settings.cookie_secure).map(str::to_owned));
    if let Some(token) = token {
        match resolve_session(&state, &token).await {
            Ok(Some(user)) => {
                req.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(err) => tracing::warn!(?err, "session lookup failed"),
        }
    }
    next.run(req).await
}

/// Someone whose password an administrator set chooses their own before anything
/// else opens: pages lead to the password form, data answers 403.
async fn password_gate(req: Request, next: Next) -> Response {
    let must_change = req
        .extensions()
        .get::<SessionUser>()
        .is_some_and(|u| u.must_change_password);
    if !must_change {
        return next.run(req).await;
    }
    let path = req.uri().path();
    let open = matches!(
        path,
        "/account"
            | "/api/auth/password"
            | "/api/auth/logout"
            | "/api/auth/me"
            | "/api/auth/locale"
    ) || path.starts_with("/pkg/");
    let data =
        path.starts_with("/api/") || path.starts_with("/export/") || path.ends_with("/upload");
    let asset = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if open || (asset && !data) {
        next.run(req).await
    } else if data {
        (StatusCode::FORBIDDEN, "Choose your own password first").into_response()
    } else {
        axum::response::Redirect::to("/account?must=1").into_response()
    }
}

/// The client's address: the last entry of the trusted proxy header when one is
/// configured (the address the proxy itself saw), else the TCP peer.
fn client_address(state: &AppState, req: &Request) -> Option<std::net::IpAddr> {
    if let Some(name) = &state.settings.client_address_header {
        return req
            .headers()
            .get(name.as_str())
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok());
    }
    req.extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
}

/// Gives a server-function error its own status (server_fn answers every error with
/// 500): 403, 422 for a form that does not decode, 503 with `Retry-After` when busy.
/// Browser form posts never get here as errors: server_fn sends them back to the
/// form with the error in the URL.
async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Error bodies are a few hundred bytes of JSON; echoed input is cut short.
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(err.status()) {
            parts.status = status;
        }
        if let AppError::Busy { retry_after_secs } | AppError::RateLimited { retry_after_secs } =
            err
        {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Refuses state-changing requests sent from another site (CSRF): the Origin (or,
/// failing that, the Referer) must be one of the configured public origins,
/// compared by scheme, host and port. A request with neither is refused too:
/// browsers send one of them on every form post.
async fn origin_check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match source {
        Some(source) if is_allowed(source, &state.settings.public_origins) => next.run(req).await,
        _ => {
            tracing::warn!(?source, "cross-site request refused");
            (StatusCode::FORBIDDEN, "Cross-site request refused").into_response()
        }
    }
}

/// Nothing personal is kept by a browser or proxy cache: every signed-in page,
/// server-function answer and export is `no-store`. Over https, browsers are told
/// to use nothing else (HSTS).
async fn private_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let private = path.starts_with("/api/")
        || path.starts_with("/export/")
        || req.extensions().get::<SessionUser>().is_some();
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.settings.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}
