//! The method and path line: the path template with its `{param}` placeholders, one row per
//! placeholder (shown in the Params table), and the path filled from those rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use reqwest::Url;

use super::{Editing, RequestPane};
use crate::tui::theme::Theme;
use crate::younium::Param;
use crate::younium::request::{TemplatePiece, placeholders, template_pieces};

/// Where the path starts on the line, after the method column.
const PATH_X: u16 = 8;

impl RequestPane {
    /// Sets the path as typed and renews the path parameter rows to match it.
    pub(super) fn set_template(&mut self, text: &str) {
        self.template = text.trim().to_string();
        self.sync_path_params();
    }

    /// One row per placeholder, keeping the values of rows whose name is still there.
    pub(super) fn sync_path_params(&mut self) {
        let names = placeholders(&self.template);
        let old = std::mem::take(&mut self.path_params);
        self.path_params = names
            .into_iter()
            .map(|name| {
                let value = old
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.value.clone())
                    .unwrap_or_default();
                Param::new(name, value)
            })
            .collect();
    }

    /// The path with every placeholder filled, each value percent-encoded as one segment, or
    /// what is still to fill.
    pub(super) fn filled_path(&self) -> Result<String, String> {
        if let Some(p) = self.path_params.iter().find(|p| p.value.trim().is_empty()) {
            return Err(format!(
                "fill the path parameter {{{}}} (Params tab)",
                p.name
            ));
        }
        let mut path = String::new();
        for piece in template_pieces(self.template.trim()) {
            match piece {
                TemplatePiece::Text(text) => path.push_str(text),
                TemplatePiece::Placeholder(name) => match self.path_param(name) {
                    Some(p) => path.push_str(&encode_segment(p.value.trim())),
                    // No row for it (the template was set from outside): left for the URL
                    // builder to report.
                    None => path.push_str(&format!("{{{name}}}")),
                },
            }
        }
        Ok(path)
    }

    fn path_param(&self, name: &str) -> Option<&Param> {
        self.path_params.iter().find(|p| p.name == name)
    }

    /// The method, then the path with its placeholders marked (or the path being edited).
    pub(super) fn render_path_line(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        focused: bool,
        theme: &Theme,
    ) {
        let mut spans = vec![
            Span::styled(
                format!(" {:<6}", self.method.as_str()),
                theme.method(self.method),
            ),
            Span::raw(" "),
        ];
        let input = match &self.editing {
            Some(Editing::Path(input)) => Some(input),
            _ => None,
        };
        if input.is_none() {
            spans.extend(self.path_spans(theme));
        }
        let style = if focused && self.row == 0 {
            theme.selected()
        } else {
            theme.text()
        };
        frame.render_widget(Paragraph::new(Line::from(spans)).style(style), area);
        if let Some(input) = input {
            let rect = Rect {
                x: area.x + PATH_X,
                width: area.width.saturating_sub(PATH_X),
                ..area
            };
            input.render(frame, rect, theme);
        }
    }

    /// The template with filled placeholders shown as their values and empty ones marked.
    fn path_spans(&self, theme: &Theme) -> Vec<Span<'static>> {
        template_pieces(&self.template)
            .map(|piece| match piece {
                TemplatePiece::Text(text) => Span::raw(text.to_string()),
                TemplatePiece::Placeholder(name) => {
                    match self.path_param(name).filter(|p| !p.value.trim().is_empty()) {
                        Some(p) => Span::styled(p.value.clone(), theme.good()),
                        None => Span::styled(
                            format!("{{{name}}}"),
                            theme.warn().add_modifier(Modifier::UNDERLINED),
                        ),
                    }
                }
            })
            .collect()
    }
}

/// `value` percent-encoded as one path segment, so a `/` in it stays inside the segment.
fn encode_segment(value: &str) -> String {
    let mut url = Url::parse("http://segment/").expect("a constant, valid URL");
    url.path_segments_mut()
        .expect("an http URL has path segments")
        .clear()
        .push(value);
    url.path()[1..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pane(template: &str, values: &[(&str, &str)]) -> RequestPane {
        let mut pane = RequestPane::default();
        pane.set_template(template);
        for (name, value) in values {
            pane.path_params
                .iter_mut()
                .filter(|p| p.name == *name)
                .for_each(|p| p.value = value.to_string());
        }
        pane
    }

    #[test]
    fn values_fill_their_segments_percent_encoded() {
        let p = pane(
            " /Periods/{year}-{month}/Items/{id} ",
            &[("year", "2024"), ("month", "01"), ("id", " A 1/2%ö ")],
        );
        assert_eq!(
            p.filled_path().unwrap(),
            "/Periods/2024-01/Items/A%201%2F2%25%C3%B6"
        );
        assert_eq!(encode_segment("a-b_c.d~e"), "a-b_c.d~e");
    }

    #[test]
    fn the_first_empty_parameter_is_reported() {
        let p = pane("/A/{x}/B/{y}", &[("y", "1")]);
        assert_eq!(
            p.filled_path().unwrap_err(),
            "fill the path parameter {x} (Params tab)"
        );
    }

    #[test]
    fn rows_follow_the_template_and_keep_their_values() {
        let mut p = pane("/A/{x}/B/{y}", &[("x", "1"), ("y", "2")]);
        p.set_template("/B/{y}/C/{z}");
        assert_eq!(p.path_params, [Param::new("y", "2"), Param::new("z", "")]);
        // A placeholder with no row (the template set from outside) is left in place.
        p.path_params[1].value = "3".into();
        p.template = "/B/{y}/{w}".into();
        assert_eq!(p.filled_path().unwrap(), "/B/2/{w}");
    }

    #[test]
    fn spans_show_values_and_mark_empty_placeholders() {
        let p = pane("/A/{x}/B/{y}", &[("x", "v 1")]);
        let theme = Theme::default();
        let spans = p.path_spans(&theme);
        let text: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, ["/A/", "v 1", "/B/", "{y}"]);
        assert_eq!(spans[1].style, theme.good());
        assert!(spans[3].style.add_modifier.contains(Modifier::UNDERLINED));
    }
}
