//! Things drawn over the panes: help, the decoded JWT, the legal-entity pick-list, yes/no
//! questions, the welcome screen, and the too-small message.

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::connection::LegalEntity;
use crate::tui::theme::Theme;
use crate::younium::token::{Token, format_local, format_utc};

/// A rectangle of at most `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

fn frame_block<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Span::styled(format!(" {title} "), theme.title()))
}

/// A scrollable text box over everything; returns how many lines there are.
pub fn render_text_box(
    frame: &mut Frame<'_>,
    title: &str,
    lines: Vec<Line<'static>>,
    scroll: usize,
    footer: &str,
    theme: &Theme,
) {
    let area = centered(frame.area(), 96, frame.area().height.saturating_sub(4));
    frame.render_widget(Clear, area);
    let block = frame_block(title, theme)
        .title_bottom(Line::styled(format!(" {footer} "), theme.dim()).alignment(Alignment::Right));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0)),
        inner,
    );
}

/// The help lines: global keys, then the focused pane's.
pub fn help_lines(
    pane: &str,
    pane_keys: &[(&'static str, &'static str)],
    theme: &Theme,
) -> Vec<Line<'static>> {
    let global: [(&str, &str); 12] = [
        ("Tab / Shift-Tab, 1-5, click", "move between panes"),
        (
            "s, F5 / Ctrl-R",
            "send the request (F5 and Ctrl-R also while editing)",
        ),
        ("Esc", "cancel the request in flight"),
        ("r", "renew the token now"),
        ("L", "pick the legal entity"),
        ("P", "switch profile"),
        ("D", "diagnose the 401/403 on screen (or the request)"),
        ("J", "show the decoded JWT"),
        ("?", "this help"),
        (
            "q",
            "quit (asks first while a request runs or the body is unsent)",
        ),
        ("Ctrl-C", "quit at once"),
        ("mouse wheel", "scroll the pane under the pointer"),
    ];
    let row = |(k, d): (&str, &str)| {
        Line::from(vec![
            Span::styled(format!("  {k:<32}"), theme.key()),
            Span::raw(d.to_string()),
        ])
    };
    let mut lines = vec![Line::styled("Everywhere", theme.title())];
    lines.extend(global.into_iter().map(row));
    lines.push(Line::styled(
        "  In a text field keys edit the text; Enter keeps it, Esc discards it.",
        theme.dim(),
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled(pane.to_string(), theme.title()));
    lines.extend(pane_keys.iter().copied().map(row));
    lines
}

/// The decoded JWT and everything known about the token's lifetime.
pub fn jwt_lines(token: &Token, tz: &TimeZone, theme: &Theme) -> Vec<Line<'static>> {
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<14}"), theme.label()),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        Line::styled(
            "Decoded for display only: the signature is NOT checked.",
            theme.warn(),
        ),
        Line::raw(""),
        row(
            "Issued by",
            format!(
                "{} ({})",
                token.origin.environment.label(),
                token.origin.token_url
            ),
        ),
        row("Auth method", token.origin.method.label().to_string()),
        row("Received", format_local(token.received_at, tz)),
        row(
            "Expires",
            format!(
                "{}   {}",
                format_local(token.expires_at, tz),
                format_utc(token.expires_at)
            ),
        ),
    ];
    for claim in token.expiry.claims(token.requested_at, token.server_skew) {
        lines.push(row(
            &format!("  {}", claim.source),
            format!("{}   {}", format_local(claim.at, tz), format_utc(claim.at)),
        ));
    }
    if let Some(text) = &token.expiry.expires_text {
        lines.push(row("  expires text", format!("{text:?}")));
    }
    for note in token
        .expiry
        .disagreements(token.requested_at, token.server_skew)
    {
        lines.push(row("Disagreement", note));
    }
    match token.server_skew {
        Some(skew) => lines.push(row(
            "Clock skew",
            format!(
                "the server's clock is {} s ahead of this machine (from its Date header)",
                skew.as_secs()
            ),
        )),
        None => lines.push(row(
            "Clock skew",
            "none measured (under 2 s, or no Date header)".into(),
        )),
    }
    lines.push(Line::raw(""));
    match &token.jwt {
        Ok(jwt) => {
            lines.push(Line::styled("Header", theme.title()));
            lines.extend(json_lines(&jwt.header));
            lines.push(Line::styled("Claims", theme.title()));
            if let Some(obj) = jwt.claims.as_object() {
                for (key, value) in obj {
                    let mut text = value.to_string();
                    if matches!(key.as_str(), "iat" | "nbf" | "exp" | "auth_time")
                        && let Some(at) = value
                            .as_i64()
                            .and_then(|s| jiff::Timestamp::from_second(s).ok())
                    {
                        text = format!("{text}   {}", format_local(at, tz));
                    }
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {key:<18}"), theme.key()),
                        Span::raw(text),
                    ]));
                }
            } else {
                lines.extend(json_lines(&jwt.claims));
            }
        }
        Err(why) => lines.push(Line::styled(
            format!("Not a decodable JWT: {why}"),
            theme.warn(),
        )),
    }
    lines
}

fn json_lines(value: &serde_json::Value) -> Vec<Line<'static>> {
    serde_json::to_string_pretty(value)
        .unwrap_or_default()
        .lines()
        .map(|l| Line::raw(format!("  {l}")))
        .collect()
}

/// Entries of the legal-entity pick-list: none, the known entities, then free text.
pub fn entity_choices(known: &[LegalEntity]) -> usize {
    known.len() + 2
}

pub fn render_entity_picker(
    frame: &mut Frame<'_>,
    known: &[LegalEntity],
    current: Option<&str>,
    selected: usize,
    note: Option<&str>,
    theme: &Theme,
) {
    let height = (known.len() as u16 + 7).min(frame.area().height);
    let area = centered(frame.area(), 78, height);
    frame.render_widget(Clear, area);
    let block = frame_block("Legal entity", theme).title_bottom(
        Line::styled(
            " Enter choose · d list from GET /Users · Esc close ",
            theme.dim(),
        )
        .alignment(Alignment::Right),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let is_current = |k: &LegalEntity| current.is_some_and(|c| k.matches(c));
    let mut lines = Vec::new();
    let mut push = |i: usize, text: Vec<Span<'static>>, active: bool| {
        let mark = if active { "● " } else { "  " };
        let mut spans = vec![Span::raw(mark)];
        spans.extend(text);
        let line = Line::from(spans);
        lines.push(if i == selected {
            line.style(theme.selected())
        } else {
            line
        });
    };
    push(
        0,
        vec![
            Span::raw("None"),
            Span::styled("  (send no legal-entity header)", theme.dim()),
        ],
        current.is_none(),
    );
    for (i, k) in known.iter().enumerate() {
        let id = k.id.clone().unwrap_or_else(|| "GUID unknown".into());
        push(
            i + 1,
            vec![
                Span::raw(format!("{:<34}", k.name)),
                Span::styled(id, theme.dim()),
            ],
            is_current(k),
        );
    }
    push(
        known.len() + 1,
        vec![Span::raw("Type a name or GUID…")],
        false,
    );
    lines.push(Line::raw(""));
    let hint = note.map(str::to_string).unwrap_or_else(|| {
        if known.is_empty() {
            "No legal entities known yet: type one, or run a call that succeeds with one.".into()
        } else {
            "Names match case-insensitively; a GUID works too.".into()
        }
    });
    lines.push(Line::styled(hint, theme.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A one-line question with a text field.
pub fn render_input(
    frame: &mut Frame<'_>,
    title: &str,
    prompt: &str,
    input: &crate::tui::input::LineInput,
    theme: &Theme,
) {
    let area = centered(frame.area(), 80, 6);
    frame.render_widget(Clear, area);
    let block = frame_block(title, theme).title_bottom(
        Line::styled(" Enter save · Esc cancel ", theme.dim()).alignment(Alignment::Right),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(
        Paragraph::new(Line::styled(prompt.to_string(), theme.label())),
        inner,
    );
    let field = Rect {
        y: inner.y + 2,
        height: 1,
        ..inner
    };
    input.render(frame, field, theme);
}

pub fn render_confirm(
    frame: &mut Frame<'_>,
    title: &str,
    lines: &[String],
    danger: bool,
    theme: &Theme,
) {
    let area = centered(frame.area(), 72, lines.len() as u16 + 5);
    frame.render_widget(Clear, area);
    let style = if danger {
        theme.production()
    } else {
        theme.title()
    };
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(if danger {
            theme.bad()
        } else {
            theme.border(true)
        })
        .title(Span::styled(format!(" {title} "), style));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut text: Vec<Line<'static>> = lines.iter().map(|l| Line::raw(l.clone())).collect();
    text.push(Line::raw(""));
    text.push(Line::from(vec![
        Span::styled("y", theme.key()),
        Span::raw(" yes    "),
        Span::styled("n / Esc", theme.key()),
        Span::raw(" no"),
    ]));
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}

pub fn render_welcome(
    frame: &mut Frame<'_>,
    starting_demo: bool,
    error: Option<&str>,
    theme: &Theme,
) {
    let area = centered(frame.area(), 80, 21);
    frame.render_widget(Clear, area);
    let block = frame_block("younium-tui", theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key = |k: &str, text: &str| {
        Line::from(vec![
            Span::styled(format!("  {k:<4}"), theme.key()),
            Span::raw(text.to_string()),
        ])
    };
    let mut lines = vec![
        Line::styled("Explore and debug the Younium billing API.", theme.title()),
        Line::raw(""),
        Line::raw("No credentials found: no --client-id, YOUNIUM_CLIENT_ID or YOUNIUM_SECRET."),
        Line::raw(""),
        key(
            "d",
            "Try the demo: a built-in Younium simulator with demo credentials,",
        ),
        Line::raw("      two legal entities and a missing permission to debug."),
        Line::raw("      No account needed."),
        Line::raw(""),
        key("c", "Enter a client ID and secret. In Younium: your name →"),
        Line::raw("      Privacy & Security → Personal Tokens → Generate Token."),
        Line::raw(""),
        key("q", "Quit."),
        Line::raw(""),
        Line::styled(
            "Tip: YOUNIUM_SECRET=… younium-tui --env sandbox --client-id ID",
            theme.dim(),
        ),
    ];
    if starting_demo {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Starting the simulator…", theme.warn()));
    }
    if let Some(e) = error {
        lines.push(Line::raw(""));
        lines.push(Line::styled(e.to_string(), theme.error_text()));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

pub fn render_too_small(frame: &mut Frame<'_>, need: (u16, u16), theme: &Theme) {
    let area = frame.area();
    let text = vec![
        Line::styled("Terminal too small", theme.error_text()),
        Line::raw(format!(
            "It is {}×{}; younium-tui needs at least {}×{}.",
            area.width, area.height, need.0, need.1
        )),
        Line::raw("Enlarge the window or make the font smaller."),
        Line::styled("q quits", theme.dim()),
    ];
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .alignment(Alignment::Center),
        centered(area, area.width, 4),
    );
}
