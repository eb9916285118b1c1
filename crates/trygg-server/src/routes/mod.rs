//! HTTP routes, one module per resource.

pub mod admin;
pub mod follow_up;
pub mod health;
pub mod invitation;
pub mod overview;
pub mod proof_of_work;
pub mod results;
pub mod surveys;
pub mod writer;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::Method;
use actix_web::{FromRequest, Handler, HttpRequest, Responder, web};

/// The store, as a handler takes it.
pub(crate) type Db = web::Data<trygg_store::Store>;

/// What a handler answers: a response, or an error in the one error shape.
pub(crate) type Answer = Result<actix_web::HttpResponse, crate::error::ApiError>;

/// A route's `{id}`.
pub(crate) type Id = web::Path<String>;

/// A JSON body that the application layer parses, naming the field of a broken rule.
pub(crate) type Body = web::Json<serde_json::Value>;

/// 200 with `body` as JSON.
pub(crate) fn ok(body: impl serde::Serialize) -> Answer {
    Ok(actix_web::HttpResponse::Ok().json(body))
}

/// 201 with `body` as JSON.
pub(crate) fn created(body: impl serde::Serialize) -> Answer {
    Ok(actix_web::HttpResponse::Created().json(body))
}

/// A resource with its handlers, one per method; any other method answers 405
/// naming the methods it takes in `Allow`, so that header cannot drift from the
/// routes: `resource("/users").get(list).post(add)`.
pub(crate) struct Resource {
    resource: actix_web::Resource,
    methods: Vec<String>,
}

/// A [`Resource`] at `path`, without handlers yet.
pub(crate) fn resource(path: &str) -> Resource {
    Resource {
        resource: web::resource(path),
        methods: Vec::new(),
    }
}

impl Resource {
    /// Requests with `method` run `handler`.
    pub(crate) fn on<F, Args>(mut self, method: Method, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.methods.push(method.to_string());
        self.resource = self.resource.route(web::method(method).to(handler));
        self
    }
}

/// `resource(path).get(handler)` for `.on(Method::GET, handler)`, and so on.
macro_rules! method_shorthands {
    ($($name:ident => $method:ident),*) => {
        impl Resource {
            $(
                #[doc = concat!("Requests with `", stringify!($method), "` run `handler`.")]
                pub(crate) fn $name<F, Args>(self, handler: F) -> Self
                where
                    F: Handler<Args>,
                    Args: FromRequest + 'static,
                    F::Output: Responder + 'static,
                {
                    self.on(Method::$method, handler)
                }
            )*
        }
    };
}

method_shorthands!(get => GET, post => POST, put => PUT, delete => DELETE, patch => PATCH);

impl HttpServiceFactory for Resource {
    fn register(self, config: &mut AppService) {
        let allowed = self.methods.join(", ");
        self.resource
            .default_service(web::to(move |r: HttpRequest| {
                let allowed = allowed.clone();
                async move { surveys::method_not_allowed(&r, &allowed) }
            }))
            .register(config);
    }
}
