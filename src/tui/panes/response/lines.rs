//! The lines the Response pane draws besides the body: the status line, the explanation of
//! an error status, the notes above a body and its gutter, the Headers and Request tabs, and
//! cutting lines to the visible columns.

use super::*;

/// Marks the body line where a body that claims to be JSON breaks.
const ERROR_MARK: char = '✗';

/// The notes shown above the top of a body: where a body that claims to be JSON breaks and
/// how it is shown, and bytes that are not UTF-8.
pub(super) fn body_notes(doc: &Document, theme: &Theme) -> Vec<Line<'static>> {
    let mut notes = Vec::new();
    if let (Some(e), Some(line)) = (doc.json_error(), doc.json_error_line()) {
        notes.push(Line::styled(
            format!(
                "Not valid JSON: {} at line {}, column {}.",
                e.message,
                thousands(e.line as u64),
                thousands(e.column as u64)
            ),
            theme.warn(),
        ));
        let line = thousands(line as u64 + 1);
        let how = match doc.json_line_count() {
            0 => "Shown as received.".to_string(),
            n if n == doc.line_count() => {
                format!("Pretty-printed as far as it goes: it stops at line {line} ({ERROR_MARK}).")
            }
            _ => format!(
                "Pretty-printed up to the error, then as received from line {line} ({ERROR_MARK})."
            ),
        };
        notes.push(Line::styled(how, theme.warn()));
    }
    let bad = doc.invalid_utf8();
    if bad > 0 {
        let bytes = if bad == 1 { "byte" } else { "bytes" };
        notes.push(Line::styled(
            format!(
                "Not valid UTF-8: {} {bytes} shown as {}.",
                thousands(bad as u64),
                char::REPLACEMENT_CHARACTER
            ),
            theme.warn(),
        ));
    }
    notes
}

/// The gutter of body line `i`: its number right-aligned in `width` columns, then a space, or
/// the error mark on the line where a body that claims to be JSON breaks.
pub(super) fn body_gutter(
    doc: &Document,
    i: usize,
    width: usize,
    folded: bool,
    theme: &Theme,
) -> Span<'static> {
    if doc.json_error_line() == Some(i) {
        Span::styled(format!("{:>width$}{ERROR_MARK}", i + 1), theme.error_text())
    } else {
        let mark = if folded { FOLD_MARK } else { ' ' };
        Span::styled(format!("{:>width$}{mark}", i + 1), theme.dim())
    }
}

/// After the line number of a folded row.
const FOLD_MARK: char = '▸';

/// Rows `lines` take when wrapped at `width` (word wrapping may take a little more; the
/// explanation box is sized generously from this).
pub(super) fn wrapped_height(lines: &[Line<'_>], width: u16) -> usize {
    let width = width.max(1) as usize;
    lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(width) + usize::from(l.width() > width))
        .sum()
}

/// Rows `scroll..` of `lines` that fit `area` (less its scrollbar column), scrolled sideways.
pub(super) fn visible(
    lines: Vec<Line<'static>>,
    scroll: usize,
    hscroll: usize,
    area: Rect,
) -> Vec<Line<'static>> {
    let width = area.width.saturating_sub(1) as usize;
    lines
        .into_iter()
        .skip(scroll)
        .take(area.height as usize)
        .map(|l| clip(l, hscroll, width))
        .collect()
}

/// Keeps the gutter (first span) and scrolls the rest sideways, then cuts to `width` columns
/// (for the headers and the request; body lines are built already cut).
pub(super) fn clip(line: Line<'static>, skip: usize, width: usize) -> Line<'static> {
    let style = line.style;
    let mut spans = line.spans.into_iter();
    let Some(first) = spans.next() else {
        return Line::default();
    };
    let mut out = vec![first.clone()];
    let mut to_skip = skip;
    let mut room = width.saturating_sub(first.content.chars().count());
    for span in spans {
        if room == 0 {
            break;
        }
        let chars: Vec<char> = span.content.chars().collect();
        if to_skip >= chars.len() {
            to_skip -= chars.len();
            continue;
        }
        let text: String = chars[to_skip..].iter().take(room).collect();
        to_skip = 0;
        room -= text.chars().count();
        out.push(Span::styled(text, span.style));
    }
    Line::from(out).style(style)
}

pub(super) fn status_line(shown: &Shown, theme: &Theme, keymap: &Keymap) -> Line<'static> {
    let r = &shown.response;
    let mut spans = vec![
        Span::styled(
            format!(" {} ", r.status_line()),
            theme.status(r.status).add_modifier(Modifier::REVERSED),
        ),
        Span::styled(
            format!(
                "  {} ms · {}",
                r.elapsed.as_millis(),
                ByteSize::of_len(r.body.len())
            ),
            theme.dim(),
        ),
    ];
    if let Some(page) = &shown.page {
        spans.push(Span::styled(format!(" · {}", page.summary()), theme.text()));
        let mut keys = Vec::new();
        let key = |c| keymap.hint_in(Scope::Response, c);
        if page.has_previous {
            keys.push(format!("{} prev", key(Command::PreviousPage)));
        }
        if page.has_next {
            keys.push(format!("{} next", key(Command::NextPage)));
        }
        if page.is_cursor() && page.page_number > 1 {
            keys.push("no prev: cursor".to_string());
        }
        if !keys.is_empty() {
            spans.push(Span::styled(
                format!("  ({})", keys.join(", ")),
                theme.dim(),
            ));
        }
    } else if let Some(doc) = shown.doc.as_ref().filter(|_| !r.body.is_empty()) {
        spans.push(Span::styled(
            format!(" · {} lines", doc.line_count()),
            theme.dim(),
        ));
    }
    Line::from(spans)
}

pub(super) fn explanation_lines(shown: &Shown, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for note in &shown.notes {
        lines.push(Line::styled(format!("note: {note}"), theme.dim()));
    }
    if let Some(message) = &shown.empty_list {
        lines.push(Line::styled("No records", theme.title()));
        lines.push(Line::from(vec![
            Span::styled("The server said: ", theme.dim()),
            Span::raw(message.clone()),
        ]));
        lines.push(Line::styled("api-version 2.1 answers an empty list (or a page past the end) with 400; this is not an error.", theme.dim()));
        return lines;
    }
    let Some(e) = &shown.explanation else {
        return lines;
    };
    lines.push(Line::styled(e.headline.clone(), theme.error_text()));
    for d in &e.details {
        lines.push(Line::from(vec![
            Span::styled("  • ", theme.dim()),
            Span::raw(d.clone()),
        ]));
    }
    for a in &e.actions {
        lines.push(Line::from(vec![
            Span::styled("  → ", theme.key()),
            Span::raw(a.clone()),
        ]));
    }
    lines
}

/// The Headers tab: the answer's headers, then what its check against the spec found.
pub(super) fn header_lines(
    shown: &Shown,
    schema: &SchemaView,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let gutter = Span::raw("");
    let mut lines: Vec<Line<'static>> = shown
        .response
        .headers
        .iter()
        .map(|(n, v)| {
            Line::from(vec![
                gutter.clone(),
                Span::styled(format!("{n}: "), theme.label()),
                Span::raw(v.clone()),
            ])
        })
        .collect();
    lines.extend(super::schema::check_lines(schema, theme));
    lines
}

pub(super) fn request_lines(shown: &Shown, theme: &Theme) -> Vec<Line<'static>> {
    let sent = &shown.response.sent;
    let gutter = Span::raw("");
    let mut lines = vec![Line::from(vec![
        gutter.clone(),
        Span::styled(format!("{} ", sent.method), theme.method(sent.method)),
        Span::raw(sent.url.clone()),
    ])];
    for h in &sent.headers {
        let style = if h.is_sent() {
            theme.text()
        } else {
            theme.dim().add_modifier(Modifier::CROSSED_OUT)
        };
        lines.push(Line::from(vec![
            gutter.clone(),
            Span::styled(format!("{}: ", h.name), theme.label()),
            Span::styled(h.value.display(false), style),
        ]));
    }
    if let Some(body) = &sent.body {
        lines.push(Line::from(vec![gutter.clone()]));
        lines.extend(
            body.lines()
                .map(|l| Line::from(vec![gutter.clone(), Span::raw(l.to_string())])),
        );
    } else if sent.method != Method::Get {
        lines.push(Line::from(vec![
            gutter,
            Span::styled("(no body)", theme.dim()),
        ]));
    }
    lines
}
