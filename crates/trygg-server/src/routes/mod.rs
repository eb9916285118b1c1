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

/// A resource with its handlers, one per method; any other method answers 405
/// naming the methods it takes in `Allow`, so that header cannot drift from the
/// routes: `resource("/users").on(Method::GET, list).on(Method::POST, add)`.
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
