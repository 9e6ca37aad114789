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

pub(crate) fn frame_block<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
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

/// The help lines: the focused pane's keys, then the ones that work everywhere (both from
/// the keymap: keys, what they do), then what the keymap does not hold (the mouse, text
/// fields). `send` is the key that sends from the body editor.
pub fn help_lines(
    pane: &str,
    pane_keys: &[(String, &'static str)],
    global_keys: &[(String, &'static str)],
    send: &str,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let width = pane_keys
        .iter()
        .chain(global_keys)
        .map(|(k, _)| k.chars().count())
        .chain([11])
        .max()
        .unwrap_or_default()
        + 3;
    let row = |k: &str, d: &str| {
        Line::from(vec![
            Span::styled(format!("  {k:<width$}"), theme.key()),
            Span::raw(d.to_string()),
        ])
    };
    let mut lines = vec![Line::styled(pane.to_string(), theme.title())];
    lines.extend(pane_keys.iter().map(|(k, d)| row(k, d)));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Everywhere", theme.title()));
    lines.extend(global_keys.iter().map(|(k, d)| row(k, d)));
    lines.push(row("click", "go to the pane under the pointer"));
    lines.push(row("mouse wheel", "scroll the pane under the pointer"));
    lines.push(Line::styled(
        "  In a text field keys edit the text; Enter keeps it, Esc discards it.",
        theme.dim(),
    ));
    let send = if send.is_empty() {
        String::new()
    } else {
        format!("; {send} sends")
    };
    lines.push(Line::styled(
        format!("  In the body editor Esc stops editing{send}."),
        theme.dim(),
    ));
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
    for note in &token.notes {
        lines.push(row("Note", note.clone()));
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
    hint: &str,
    theme: &Theme,
) {
    let height = (known.len() as u16 + 7).min(frame.area().height);
    let area = centered(frame.area(), 78, height);
    frame.render_widget(Clear, area);
    let block = frame_block("Legal entity", theme)
        .title_bottom(Line::styled(format!(" {hint} "), theme.dim()).alignment(Alignment::Right));
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
    answers: &[String; 2],
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
        Span::styled(answers[0].clone(), theme.key()),
        Span::raw(" yes    "),
        Span::styled(answers[1].clone(), theme.key()),
        Span::raw(" no"),
    ]));
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}

/// The first-run screen; `keys` are the keys of the demo, configure and quit.
pub fn render_welcome(
    frame: &mut Frame<'_>,
    keys: &[String; 3],
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
            &keys[0],
            "Try the demo: a built-in Younium simulator with demo credentials,",
        ),
        Line::raw("      two legal entities and a missing permission to debug."),
        Line::raw("      No account needed."),
        Line::raw(""),
        key(
            &keys[1],
            "Enter a client ID and secret. In Younium: your name →",
        ),
        Line::raw("      Privacy & Security → Personal Tokens → Generate Token."),
        Line::raw(""),
        key(&keys[2], "Quit."),
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

pub fn render_too_small(frame: &mut Frame<'_>, need: (u16, u16), quit: &str, theme: &Theme) {
    let area = frame.area();
    let text = vec![
        Line::styled("Terminal too small", theme.error_text()),
        Line::raw(format!(
            "It is {}×{}; younium-tui needs at least {}×{}.",
            area.width, area.height, need.0, need.1
        )),
        Line::raw("Enlarge the window or make the font smaller."),
        Line::styled(format!("{quit} quits"), theme.dim()),
    ];
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .alignment(Alignment::Center),
        centered(area, area.width, 4),
    );
}
