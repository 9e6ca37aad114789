//! Drawing the pane: the path line, the tab titles, the current tab and the foot line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Tabs};

use super::{BodyCheck, HeaderContext, RequestPane, RequestTab, TABS};
use crate::tui::theme::Theme;
use crate::younium::Method;

impl RequestPane {
    pub fn render(
        &mut self,
        frame: &mut Frame<'_>,
        area: Rect,
        block: Block<'_>,
        focused: bool,
        ctx: &HeaderContext<'_>,
        theme: &Theme,
    ) {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [path_line, tabs_line, content, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        self.render_path_line(frame, path_line, focused, theme);
        self.render_tabs(frame, tabs_line, ctx, theme);
        match self.tab {
            RequestTab::Params => self.render_params(frame, content, focused, theme),
            RequestTab::Headers => self.render_headers(frame, content, focused, ctx, theme),
            RequestTab::Body => self.render_body(frame, content, focused, theme),
        }
        frame.render_widget(Paragraph::new(self.foot_line(theme)), foot);
    }

    fn render_tabs(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        ctx: &HeaderContext<'_>,
        theme: &Theme,
    ) {
        let titles = vec![
            format!(
                "Params ({})",
                self.path_params.len() + self.query.iter().filter(|p| p.enabled).count()
            ),
            format!(
                "Headers ({})",
                self.effective(ctx).iter().filter(|h| h.is_sent()).count()
            ),
            format!("Body{}", self.body_tab_mark()),
        ];
        let selected_tab = TABS.iter().position(|t| *t == self.tab).unwrap_or(0);
        frame.render_widget(
            Tabs::new(titles)
                .select(selected_tab)
                .highlight_style(theme.title().add_modifier(Modifier::REVERSED))
                .divider("│"),
            area,
        );
    }

    fn foot_line(&self, theme: &Theme) -> Line<'static> {
        if let Some(m) = &self.message {
            return Line::styled(m.clone(), theme.warn());
        }
        if let Some(preview) = &self.preview {
            return Line::styled(preview.clone(), theme.label());
        }
        let mut spans = Vec::new();
        if let Some(op) = &self.operation
            && let Some(p) = &op.permission
        {
            spans.push(Span::styled("needs ", theme.dim()));
            spans.push(Span::styled(p.clone(), theme.warn()));
            spans.push(Span::raw("  "));
        }
        if self.method == Method::Post {
            spans.push(Span::styled(
                format!(
                    "idempotency key {}",
                    self.idempotency_key.as_deref().unwrap_or("new on send")
                ),
                theme.dim(),
            ));
        }
        if self.method == Method::Get && self.body_check != BodyCheck::Empty {
            spans.push(Span::styled("  (GET sends no body)", theme.dim()));
        }
        Line::from(spans)
    }
}
