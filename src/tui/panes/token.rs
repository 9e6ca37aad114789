//! The token pane: "is my token valid?" at a glance. A state badge, a live countdown with a
//! gauge, expiry in local time and UTC, when renewal happens, and the last exchange's result.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, LineGauge, Paragraph, Wrap};

use crate::session::ManagerOptions;
use crate::tui::keymap::Command;
use crate::tui::theme::Theme;
use crate::younium::token::{
    Token, TokenBadge, TokenState, format_countdown, format_duration, format_local, format_utc,
};

#[derive(Debug, PartialEq, Eq)]
pub enum TokenEvent {
    Handled,
    Ignored,
}

#[derive(Debug, Default)]
pub struct TokenPane {
    state: TokenState,
    options: ManagerOptions,
    reveal: bool,
}

impl TokenPane {
    /// A pane with no token yet, renewing as `options` say.
    pub fn new(options: ManagerOptions) -> Self {
        Self {
            options,
            ..Self::default()
        }
    }

    pub fn state(&self) -> &TokenState {
        &self.state
    }

    /// The token manager's latest state.
    pub fn set_state(&mut self, state: TokenState) {
        self.state = state;
    }

    /// When renewal happens (shown under the countdown).
    pub fn options(&self) -> &ManagerOptions {
        &self.options
    }

    pub fn set_options(&mut self, options: ManagerOptions) {
        self.options = options;
    }

    /// The token is shown in clear.
    pub fn reveal(&self) -> bool {
        self.reveal
    }

    /// What the keymap says a key means here (renewing and the JWT are the app's: `r`,
    /// `j`/Enter arrive there as `Renew` and `ShowJwt`).
    pub fn handle_key(&mut self, command: Option<Command>) -> TokenEvent {
        match command {
            Some(Command::Reveal) => {
                self.reveal = !self.reveal;
                TokenEvent::Handled
            }
            _ => TokenEvent::Ignored,
        }
    }

    /// A countdown or spinner is on screen, so the clock must tick.
    pub fn needs_tick(&self) -> bool {
        !matches!(self.state, TokenState::Missing)
    }

    /// `VALID 23:59:58` for the title bar.
    pub fn short_status(&self, now: Timestamp) -> (TokenBadge, String) {
        let badge = self.state.badge(now);
        let text = match self.state.token() {
            Some(t) if !t.is_expired(now) => {
                format!("{} {}", badge.label(), format_countdown(t.remaining(now)))
            }
            _ => badge.label().to_string(),
        };
        (badge, text)
    }

    pub fn render(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        block: Block<'_>,
        now: Timestamp,
        tz: &TimeZone,
        theme: &Theme,
    ) {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [head, gauge, rest] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let badge = self.state.badge(now);
        let token = self.state.token();
        let mut head_spans = vec![
            Span::styled(format!(" {} ", badge.label()), theme.badge(badge)),
            Span::raw("  "),
        ];
        match token {
            Some(t) if !t.is_expired(now) => {
                head_spans.push(Span::styled(
                    format_countdown(t.remaining(now)),
                    theme.title(),
                ));
                head_spans.push(Span::styled(" left", theme.dim()));
            }
            Some(t) => head_spans.push(Span::styled(
                format!("expired {} ago", format_duration(-t.remaining(now))),
                theme.bad(),
            )),
            None if badge == TokenBadge::Fetching => {
                head_spans.push(Span::styled("exchanging credentials…", theme.dim()))
            }
            None => {}
        }
        frame.render_widget(Paragraph::new(Line::from(head_spans)), head);
        if let Some(t) = token {
            let ratio = t.fraction_left(now);
            frame.render_widget(
                LineGauge::default()
                    .ratio(ratio)
                    .filled_style(theme.gauge(badge))
                    .unfilled_style(theme.dim())
                    .label(format!("{:>3.0}%", ratio * 100.0)),
                gauge,
            );
        }
        frame.render_widget(
            Paragraph::new(self.detail_lines(now, tz, theme)).wrap(Wrap { trim: false }),
            rest,
        );
    }

    fn detail_lines(&self, now: Timestamp, tz: &TimeZone, theme: &Theme) -> Vec<Line<'static>> {
        let row = |label: &str, value: Span<'static>| {
            Line::from(vec![
                Span::styled(format!("{label:<8}"), theme.label()),
                value,
            ])
        };
        let mut lines = Vec::new();
        if let Some(t) = self.state.token() {
            lines.push(row("Expires", Span::raw(format_local(t.expires_at, tz))));
            if tz.to_offset(t.expires_at) != jiff::tz::Offset::UTC {
                lines.push(row("", Span::styled(format_utc(t.expires_at), theme.dim())));
            }
            lines.push(self.renewal_line(t, now, theme, row));
            let shown = if self.reveal {
                t.access.expose().to_string()
            } else {
                t.access.shortened()
            };
            lines.push(row("Token", Span::raw(shown)));
            if !t
                .expiry
                .disagreements(t.requested_at, t.server_skew)
                .is_empty()
            {
                lines.push(row(
                    "Note",
                    Span::styled("expiry sources disagree (j for details)", theme.warn()),
                ));
            }
        }
        match &self.state {
            TokenState::Failed {
                error,
                retry_at,
                attempts,
                ..
            } => {
                lines.push(row("Last", Span::styled(format!("✗ {error}"), theme.bad())));
                let next = match retry_at {
                    Some(at) => format!(
                        "retrying in {} (attempt {attempts})",
                        format_duration(at.duration_since(now).max(jiff::SignedDuration::ZERO))
                    ),
                    None => "fix the credentials, then r to try again".into(),
                };
                lines.push(row("", Span::styled(next, theme.dim())));
            }
            TokenState::Missing => lines.push(Line::styled(
                "No credentials yet: fill in the connection pane.",
                theme.dim(),
            )),
            _ => {
                if let Some(t) = self.state.token() {
                    let when = t
                        .received_at
                        .to_zoned_datetime(tz.clone())
                        .strftime("%H:%M:%S")
                        .to_string();
                    let path = t
                        .origin
                        .token_url
                        .rsplit_once("://")
                        .map(|(_, rest)| rest)
                        .unwrap_or(&t.origin.token_url);
                    let path = path.find('/').map(|i| &path[i..]).unwrap_or(path);
                    lines.push(row(
                        "Last",
                        Span::styled(format!("✓ issued {when} by {path}"), theme.good()),
                    ));
                }
            }
        }
        lines
    }

    fn renewal_line(
        &self,
        t: &Token,
        now: Timestamp,
        theme: &Theme,
        row: impl Fn(&str, Span<'static>) -> Line<'static>,
    ) -> Line<'static> {
        match &self.state {
            TokenState::Expiring(_) | TokenState::Expired(_) => {
                row("Renews", Span::styled("now (renewing…)", theme.warn()))
            }
            TokenState::Failed { .. } => row(
                "Renews",
                Span::styled("paused after a failure", theme.warn()),
            ),
            _ => {
                let at = self.options.renew_at(t);
                let wait = at.duration_since(now);
                let text = if wait.is_positive() {
                    format!(
                        "in {} ({} before expiry)",
                        format_countdown(wait),
                        format_duration(self.options.margin_for(t))
                    )
                } else {
                    "due now".to_string()
                };
                row("Renews", Span::raw(text))
            }
        }
    }
}
