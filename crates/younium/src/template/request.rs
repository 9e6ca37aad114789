//! A whole request's templates: the path, each query and header value, and the body.

use super::{Resolver, TemplateError, names};
use crate::ApiRequest;

impl Resolver {
    /// `request` with its templates filled in. `at` says which request it is in a message
    /// ("step 2 (read it back)"), or is empty. The body is filled in as JSON (see
    /// [`Resolver::json`]); whether the result is JSON is the caller's to check
    /// ([`not_json`](super::not_json)), as it decides what to do then (refuse, or ask).
    pub fn request(&mut self, request: &ApiRequest, at: &str) -> Result<ApiRequest, TemplateError> {
        let mut out = request.clone();
        out.path = self.text(&request.path, &place(at, "the path"))?;
        for param in out.query.iter_mut().filter(|p| p.enabled) {
            param.value = self.text(&param.value, &place(at, &format!("query {}", param.name)))?;
        }
        for header in out.headers.iter_mut().filter(|h| h.enabled) {
            let where_ = place(at, &format!("header {}", header.name));
            header.value = self.text(&header.value, &where_)?;
        }
        if let Some(body) = &request.body
            && !body.trim().is_empty()
        {
            out.body = Some(self.json_unchecked(body, &place(at, "the body"))?);
        }
        Ok(out)
    }
}

/// Every name `request` uses and where: `(name, "the path")`, in order.
pub fn request_names(request: &ApiRequest) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut add = |text: &str, at: String| {
        for name in names(text) {
            found.push((name.to_string(), at.clone()));
        }
    };
    add(&request.path, "the path".into());
    for p in request.query.iter().filter(|p| p.enabled) {
        add(&p.value, format!("query {}", p.name));
    }
    for h in request.headers.iter().filter(|h| h.enabled) {
        add(&h.value, format!("header {}", h.name));
    }
    if let Some(body) = &request.body {
        add(body, "the body".into());
    }
    found
}

/// `what` in request `at`: "step 2 (read it back): the path".
fn place(at: &str, what: &str) -> String {
    if at.is_empty() {
        what.to_string()
    } else {
        format!("{at}: {what}")
    }
}
