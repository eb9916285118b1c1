//! Trygg's HTTP server (actix-web): the API, health checks and the web frontend.
//!
//! [`Application::build`] binds first (port 0 works, for tests), then
//! [`Application::run_until_stopped`] serves until a signal arrives. The server
//! is the only crate that knows HTTP; requests become domain values at the edge.

pub mod api_doc;
pub mod auth;
pub mod config;
pub mod error;
mod routes;
pub mod telemetry;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::DefaultHeaders;
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;
use trygg_store::Store;

pub use config::Settings;
use error::ApiError;
use routes::resource;
use trygg_domain::ErrorCode;

/// A bound, not yet running, server.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds to `settings.server.bind` and prepares the server on `store`.
    pub fn build(settings: &Settings, store: Store) -> Result<Self, std::io::Error> {
        let listener = TcpListener::bind(&settings.server.bind)?;
        let port = listener.local_addr()?.port();
        let public_url = web::Data::new(
            config::PublicUrl::from_bind(
                settings.server.public_url.as_deref(),
                &settings.server.bind,
                port,
            )
            .map_err(std::io::Error::other)?,
        );
        let hsts = settings.server.hsts;
        let store = web::Data::new(store);
        let web_dir = settings.server.web_dir.clone();
        let limiter = routes::surveys::SubmitLimiter::new(&settings.intake);
        let cleaner = limiter.clone();
        let body_limit = settings.intake.max_body_bytes;
        let limiter = web::Data::new(limiter);
        let map = web::Data::new(settings.map.clone());
        let surveys = web::Data::new(routes::surveys::SurveyCache::default());
        let writer = web::Data::new(routes::writer::IntakeWriter::start(store.get_ref().clone()));
        let pow = web::Data::new(
            routes::proof_of_work::ProofOfWork::new(&settings.intake)
                .map_err(|e| std::io::Error::other(e.to_string()))?,
        );
        let used_challenges = pow.clone();
        let csp = content_security_policy(&settings.map);
        let survey_page = web_dir.join("survey.html");
        let staff = auth::StaffState::new(&settings.auth, &store, &web_dir);
        let reports = web::Data::new(trygg_lagesbild::Reports::default());
        let results_page = web_dir.join("results.html");
        let lagesbild_page = web_dir.join("lagesbild.html");
        let server = HttpServer::new(move || {
            App::new()
                .wrap(security_headers(&csp, hsts))
                // Phones on slow networks get the frontend and the survey gzip-compressed.
                .wrap(actix_web::middleware::Compress::default())
                .wrap(TracingLogger::<telemetry::PrivateRootSpan>::new())
                .app_data(store.clone())
                .app_data(limiter.clone())
                .app_data(map.clone())
                .app_data(surveys.clone())
                .app_data(writer.clone())
                .app_data(pow.clone())
                .app_data(reports.clone())
                .app_data(public_url.clone())
                .app_data(json_config(body_limit))
                .app_data(path_config())
                .app_data(query_config())
                .configure(|cfg| staff.register(cfg))
                .service(resource("/health/live").on(Method::GET, routes::health::live))
                .service(resource("/health/ready").on(Method::GET, routes::health::ready))
                .service(
                    web::scope("/api/v1")
                        .service(routes::overview::overview)
                        .service(routes::admin::scope())
                        .route(
                            "/public/{municipality}/follow-up",
                            web::get().to(routes::follow_up::public),
                        )
                        .configure(routes::results::configure)
                        .service(
                            resource("/surveys/{slug}")
                                .on(Method::GET, routes::surveys::definition),
                        )
                        .service(
                            resource("/surveys/{slug}/challenge")
                                .on(Method::GET, routes::proof_of_work::challenge),
                        )
                        .service(
                            resource("/surveys/{slug}/responses")
                                .on(Method::POST, routes::surveys::submit),
                        )
                        .default_service(web::to(routes::surveys::api_not_found)),
                )
                .service(
                    web::scope("/api")
                        .route("/openapi.json", web::get().to(api_doc::openapi_json))
                        .route(
                            "/docs",
                            web::get().to({
                                let page = web_dir.join("api-docs.html");
                                move || {
                                    let page = page.clone();
                                    async move { actix_files::NamedFile::open(page) }
                                }
                            }),
                        )
                        .default_service(web::to(routes::surveys::api_not_found)),
                )
                .service(web::resource("/r/{slug}").route(web::get().to({
                    // Every published round's page is the same file; it reads the slug from the address.
                    let results_page = results_page.clone();
                    move || {
                        let page = results_page.clone();
                        async move { actix_files::NamedFile::open(page) }
                    }
                })))
                // The lägesbild dashboard has its own page; it comes before the staff pages' catch-all.
                .service(
                    web::resource("/admin/surveys/{id}/lagesbild").route(web::get().to({
                        let page = lagesbild_page.clone();
                        move || {
                            let page = page.clone();
                            async move { actix_files::NamedFile::open(page) }
                        }
                    })),
                )
                .configure(|cfg| staff.pages(cfg))
                .route(
                    "/lofte/{municipality}/feed.atom",
                    web::get().to(routes::follow_up::feed),
                )
                .service(web::resource("/lofte/{municipality}").route(web::get().to({
                    // The follow-up page is one file; it reads the municipality from the address.
                    let page = web_dir.join("lofte.html");
                    move || {
                        let page = page.clone();
                        async move { actix_files::NamedFile::open(page) }
                    }
                })))
                .service(web::resource("/s/{slug}").route(web::get().to({
                    // Every survey's page is the same file; it reads the slug from the address.
                    let survey_page = survey_page.clone();
                    move || {
                        let page = survey_page.clone();
                        async move { actix_files::NamedFile::open(page) }
                    }
                })))
                .service(
                    actix_files::Files::new("/", &web_dir)
                        .index_file("index.html")
                        .use_etag(true),
                )
        })
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        // Idle client addresses are dropped from the rate limiter, and expired
        // challenges from the used ones, every minute.
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                cleaner.forget_idle();
                used_challenges.forget_expired();
            }
        });
        Ok(Self { port, server })
    }

    /// The port actually bound.
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped by a signal.
    pub async fn run_until_stopped(self) -> Result<(), std::io::Error> {
        self.server.await
    }
}

/// A strict Content-Security-Policy: no inline script or style and nothing from
/// other hosts, except map tiles from the one configured tile server.
fn content_security_policy(map: &config::MapSettings) -> String {
    let tiles = map
        .tile_origin()
        .map_or_else(String::new, |origin| format!(" {origin}"));
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; \
         connect-src 'self'; font-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Headers on every answer: the Content-Security-Policy, no sniffing, no
/// referrer, no framing, and with `server.hsts` Strict-Transport-Security.
fn security_headers(csp: &str, hsts: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", csp.to_owned()))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if hsts {
        headers.add(("Strict-Transport-Security", "max-age=31536000"))
    } else {
        headers
    }
}

/// Malformed JSON, wrong content types and oversized bodies answer in the one error shape.
fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(move |err, _req| {
            use actix_web::error::JsonPayloadError as E;
            let api = match &err {
                E::ContentType => ApiError::client(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ErrorCode::UnsupportedMediaType,
                    "send the body as application/json",
                ),
                E::OverflowKnownLength { .. } | E::Overflow { .. } => ApiError::client(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::PayloadTooLarge,
                    format!("the body must be at most {limit} bytes"),
                ),
                E::Deserialize(e) => ApiError::client(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::InvalidJson,
                    format!("the body is not valid JSON for this request: {e}"),
                ),
                _ => ApiError::client(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::InvalidBody,
                    err.to_string(),
                ),
            };
            api.into()
        })
}

/// A malformed query string answers 400 in the one error shape.
fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        ApiError::client(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidQuery,
            err.to_string(),
        )
        .into()
    })
}

fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        ApiError::client(StatusCode::NOT_FOUND, ErrorCode::NotFound, err.to_string()).into()
    })
}
