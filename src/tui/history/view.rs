//! Drawing the history box, and the short descriptions of an exchange used in titles.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::HistoryBrowser;
use crate::history::Summary;
use crate::sanitize;
use crate::tui::keymap::{Command, Keymap, Scope};
use crate::tui::panes::overlays::frame_block;
use crate::tui::theme::Theme;
use crate::younium::limit::ByteSize;
use crate::younium::{ApiRequest, ApiResponse, Method};

/// Lines of the box that are not entries: borders, filter, column heads, message, hints.
const CHROME: u16 = 6;

/// How many entries the box lists on a terminal `height` rows high.
pub fn list_rows(height: u16) -> usize {
    box_height(height).saturating_sub(CHROME).max(1) as usize
}

fn box_height(height: u16) -> u16 {
    height.saturating_sub(2)
}

/// When an entry was sent, as short as is unambiguous: the time today, else the date.
pub fn when(time: Timestamp, tz: &TimeZone, now: Timestamp) -> String {
    let at = time.to_zoned_datetime(tz.clone());
    let today = now.to_zoned_datetime(tz.clone());
    if at.date() == today.date() {
        at.strftime("%H:%M:%S").to_string()
    } else if at.year() == today.year() {
        at.strftime("%b %d %H:%M").to_string()
    } else {
        at.strftime("%Y-%m-%d").to_string()
    }
}

/// `#12 GET /Invoices?PageSize=20 · Acme AB · 200 · 14:03:10` (`#12` only for an entry).
#[allow(clippy::too_many_arguments)]
pub fn title(
    id: Option<i64>,
    method: Method,
    path: &str,
    query: &str,
    legal_entity: Option<&str>,
    status: u16,
    time: Timestamp,
    tz: &TimeZone,
    now: Timestamp,
) -> String {
    let mut text = String::new();
    if let Some(id) = id {
        text.push_str(&format!("#{id} "));
    }
    text.push_str(&format!("{method} {path}"));
    if !query.is_empty() {
        text.push('?');
        text.push_str(query);
    }
    text.push_str(&format!(
        " · {} · {status} · {}",
        legal_entity.unwrap_or("no legal entity"),
        when(time, tz, now)
    ));
    sanitize::one_line(&text).into_owned()
}

/// The title of an exchange on screen.
pub fn exchange_title(
    id: Option<i64>,
    request: &ApiRequest,
    response: &ApiResponse,
    tz: &TimeZone,
    now: Timestamp,
) -> String {
    let query: Vec<String> = request
        .query
        .iter()
        .filter(|p| p.enabled)
        .map(|p| format!("{}={}", p.name, p.value))
        .collect();
    let legal_entity = response
        .sent
        .header("legal-entity")
        .map(|v| v.display(false));
    title(
        id,
        request.method,
        &request.path,
        &query.join("&"),
        legal_entity.as_deref(),
        response.status,
        response.sent.sent_at,
        tz,
        now,
    )
}

/// Draws the box over the panes.
pub fn render(
    frame: &mut Frame<'_>,
    browser: &HistoryBrowser,
    keymap: &Keymap,
    theme: &Theme,
    tz: &TimeZone,
    now: Timestamp,
) {
    let screen = frame.area();
    let area = Rect {
        x: screen.x + 1,
        y: screen.y + 1,
        width: screen.width.saturating_sub(2),
        height: box_height(screen.height),
    };
    frame.render_widget(Clear, area);
    let count = match &browser.entries {
        Some(all) if browser.filter.is_empty() => entries(all.len()),
        Some(all) => format!("{} of {}", browser.visible.len(), entries(all.len())),
        None => "reading…".into(),
    };
    let block = frame_block("History", theme)
        .title(Line::styled(format!(" {count} "), theme.dim()).alignment(Alignment::Right))
        .title_bottom(
            Line::styled(format!(" {} ", hints(keymap)), theme.dim()).alignment(Alignment::Right),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 {
        return;
    }
    let line = |y: u16| Rect {
        y: inner.y + y,
        height: 1,
        ..inner
    };
    // The filter.
    let label = format!(
        "Filter {}: ",
        keymap.hint_in(Scope::History, Command::Filter)
    );
    let label_width = label.chars().count() as u16;
    frame.render_widget(Paragraph::new(Span::styled(label, theme.label())), line(0));
    let field = Rect {
        x: inner.x + label_width,
        width: inner.width.saturating_sub(label_width),
        ..line(0)
    };
    match &browser.filtering {
        Some(input) => input.render(frame, field, theme),
        None if browser.filter.is_empty() => frame.render_widget(
            Paragraph::new(Span::styled(
                "method, path, status, legal entity or profile (words all must match)",
                theme.dim(),
            )),
            field,
        ),
        None => frame.render_widget(Paragraph::new(browser.filter.as_str()), field),
    }
    frame.render_widget(Paragraph::new(Line::styled(head(), theme.label())), line(1));
    let rows = list_rows(screen.height);
    let body = Rect {
        y: inner.y + 2,
        height: (rows as u16).min(inner.height.saturating_sub(3)),
        ..inner
    };
    let text: Vec<Line> = if let Some(error) = &browser.error {
        vec![Line::styled(
            format!(
                "The history could not be read: {}",
                sanitize::one_line(error)
            ),
            theme.error_text(),
        )]
    } else if browser.entries.is_none() {
        vec![Line::styled("Reading the history…", theme.dim())]
    } else if browser.visible.is_empty() {
        let why = if browser.filter.is_empty() {
            "Nothing sent yet: every request you send is recorded here."
        } else {
            "No entry matches the filter."
        };
        vec![Line::styled(why, theme.dim())]
    } else {
        let entries = browser.entries.as_deref().unwrap_or_default();
        browser
            .visible
            .iter()
            .enumerate()
            .skip(browser.offset)
            .take(body.height as usize)
            .map(|(row, i)| {
                let s = &entries[*i];
                let selected = row == browser.selected;
                let line = row_line(s, selected, browser.marked == Some(s.id), theme, tz, now);
                if selected {
                    line.style(theme.selected())
                } else {
                    line
                }
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(text), body);
    let message = browser
        .message
        .clone()
        .unwrap_or_else(|| match browser.marked {
            Some(id) => format!(
                "#{id} is marked: {} on another entry compares the two.",
                keymap.hint_in(Scope::History, Command::Compare)
            ),
            None => String::new(),
        });
    frame.render_widget(
        Paragraph::new(Span::styled(message, theme.warn())),
        line(inner.height - 1),
    );
}

fn head() -> String {
    format!(
        "   {:>5}  {:<12}  {:<6} {:<6}  {:>7}  {:>10}  {:<24}  {:<12}  {}",
        "#", "sent", "method", "status", "time", "size", "legal entity", "profile", "path"
    )
}

fn row_line(
    s: &Summary,
    selected: bool,
    marked: bool,
    theme: &Theme,
    tz: &TimeZone,
    now: Timestamp,
) -> Line<'static> {
    let mark = match (selected, marked) {
        (true, true) => "›● ",
        (true, false) => "›  ",
        (false, true) => " ● ",
        (false, false) => "   ",
    };
    let clip = |text: &str, width: usize| -> String {
        let text = sanitize::one_line(text);
        if text.chars().count() > width {
            let cut: String = text.chars().take(width.saturating_sub(1)).collect();
            format!("{cut}…")
        } else {
            text.into_owned()
        }
    };
    let profile = if s.production {
        "PRODUCTION".to_string()
    } else {
        s.profile.clone().unwrap_or_else(|| s.environment.clone())
    };
    let elapsed = format!("{} ms", s.elapsed_ms);
    Line::from(vec![
        Span::styled(mark, theme.warn()),
        Span::styled(format!("{:>5}  ", s.id), theme.dim()),
        Span::raw(format!("{:<12}  ", when(s.time, tz, now))),
        Span::styled(format!("{:<6} ", s.method.as_str()), theme.method(s.method)),
        Span::styled(format!("{:<6}  ", s.status), theme.status(s.status)),
        Span::styled(format!("{elapsed:>7}  "), theme.dim()),
        Span::styled(format!("{:>10}  ", ByteSize(s.size)), theme.dim()),
        Span::raw(format!(
            "{:<24}  ",
            clip(s.legal_entity.as_deref().unwrap_or("—"), 24)
        )),
        Span::styled(
            format!("{:<12}  ", clip(&profile, 12)),
            if s.production {
                theme.production()
            } else {
                theme.dim()
            },
        ),
        Span::raw(sanitize::one_line(&s.path_and_query()).into_owned()),
    ])
}

fn hints(keymap: &Keymap) -> String {
    let key = |c| keymap.hint_in(Scope::History, c);
    [
        (Command::Load, "load"),
        (Command::ViewStored, "view"),
        (Command::Mark, "mark"),
        (Command::Compare, "compare"),
        (Command::DeleteEntry, "delete"),
        (Command::Filter, "filter"),
        (Command::Close, "close"),
    ]
    .iter()
    .map(|(c, label)| format!("{} {label}", key(*c)))
    .collect::<Vec<_>>()
    .join(" · ")
}

/// `1 entry`, `1,204 entries`.
fn entries(n: usize) -> String {
    let count = crate::pretty::thousands(n as u64);
    if n == 1 {
        format!("{count} entry")
    } else {
        format!("{count} entries")
    }
}
