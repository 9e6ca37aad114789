//! Copying and saving: the request as a `curl` command (the token as `$YOUNIUM_TOKEN` unless
//! revealed), the response body to the clipboard (system clipboard where there is one, OSC 52
//! through the terminal, which works over SSH), or the body to a file.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::app::{App, CopyText, Effect, Overlay};
use super::input::{InputOutcome, LineInput};
use crate::pretty::BodyKind;
use crate::younium::export::curl;
use crate::younium::request::{build_url, effective_headers};

impl App {
    pub(crate) fn copy_request_curl(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        let req = match self.request.build() {
            Ok(r) => r,
            Err(e) => {
                self.status = Some(e);
                return None;
            }
        };
        let base = self.connection.environment().base_url().to_string();
        let url = match build_url(&base, &req) {
            Ok(u) => u.to_string(),
            Err(e) => {
                self.status = Some(e.to_string());
                return None;
            }
        };
        let settings = self.connection.settings();
        let token = self.token.state().token().map(|t| t.access.clone());
        let headers = effective_headers(&req, &settings, token.as_ref());
        let text = curl(
            req.method,
            &url,
            &headers,
            req.body.as_deref(),
            self.token.reveal(),
        );
        effects.push(Effect::Copy {
            text: CopyText::Text(text),
            what: self.curl_label(),
        });
        None
    }

    pub(crate) fn copy_response_curl(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        let shown = self.response.shown()?;
        let sent = &shown.response.sent;
        let text = curl(
            sent.method,
            &sent.url,
            &sent.headers,
            sent.body.as_deref(),
            self.token.reveal(),
        );
        effects.push(Effect::Copy {
            text: CopyText::Text(text),
            what: self.curl_label(),
        });
        None
    }

    fn curl_label(&self) -> String {
        if self.token.reveal() {
            "the curl command (with the token)".into()
        } else {
            "the curl command (token as $YOUNIUM_TOKEN)".into()
        }
    }

    /// `y`: the body, pretty-printed when it is JSON. The text is made in the copy's task.
    pub(crate) fn copy_body(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        let shown = self.response.shown()?;
        let text = match &shown.doc {
            // A body that does not parse is copied as received, not as shown.
            Some(doc) if shown.response.is_json() && doc.kind() == BodyKind::Json => {
                CopyText::Pretty(doc.clone())
            }
            _ => CopyText::Raw(shown.response.body.clone()),
        };
        effects.push(Effect::Copy {
            text,
            what: "the response body".into(),
        });
        None
    }

    /// `Y`: the JSON path of the body's cursor line (a jq filter as it stands).
    pub(crate) fn copy_path(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        let path = self.response.cursor_path()?;
        effects.push(Effect::Copy {
            what: format!("the path {path}"),
            text: CopyText::Text(path),
        });
        None
    }

    /// `w`: a list's records can be saved in a format (the choice comes first); any other
    /// body as received, under a file name asked for.
    pub(crate) fn start_save_body(&self) -> Option<Overlay> {
        if self
            .response
            .shown()
            .is_some_and(super::save_as::holds_records)
        {
            return Some(Overlay::SaveAs { selected: 0 });
        }
        Some(Overlay::SaveBody(Box::new(LineInput::new(
            &self.save_name(None),
            false,
        ))))
    }

    /// `younium-invoices-20261201-120000.csv`: named after the request as sent, the time and
    /// the format (`None`: the body as received).
    pub(crate) fn save_name(&self, format: Option<crate::export::Format>) -> String {
        let Some(shown) = self.response.shown() else {
            return "younium-response.json".into();
        };
        let resource = shown
            .request
            .path
            .trim_start_matches('/')
            .split('/')
            // `/v3/Invoices` is named after the invoices, not the API's version.
            .find(|segment| !segment.eq_ignore_ascii_case("v3"))
            .filter(|segment| !segment.is_empty())
            .unwrap_or("response")
            .to_ascii_lowercase();
        let stamp = self
            .now
            .to_zoned_datetime(self.tz.clone())
            .strftime("%Y%m%d-%H%M%S")
            .to_string();
        let ext = match format {
            Some(format) => format.extension(),
            None if shown.response.is_json() => "json",
            None => "txt",
        };
        format!("younium-{resource}-{stamp}.{ext}")
    }

    pub(crate) fn save_body_key(
        &mut self,
        mut input: Box<LineInput>,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        match input.handle(key) {
            InputOutcome::Submit(name) => {
                let name = name.trim();
                if let (false, Some(shown)) = (name.is_empty(), self.response.shown()) {
                    effects.push(Effect::SaveBody {
                        path: PathBuf::from(name),
                        body: shown.response.body.clone(),
                    });
                }
                None
            }
            InputOutcome::Cancel => None,
            InputOutcome::Edited => Some(Overlay::SaveBody(input)),
        }
    }
}
