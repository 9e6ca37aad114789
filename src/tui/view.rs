//! Drawing the whole screen from the app state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use crossterm::event::{KeyCode, KeyEvent};

use super::app::{App, Focus, Overlay, Screen};
use super::keymap::{Command, KeyChord, Keymap, Scope};
use super::layout::{Areas, MIN_SIZE};
use super::panes::overlays;
use super::panes::request::{HeaderContext, body_editor_takes};

pub fn draw(app: &mut App, frame: &mut Frame<'_>) {
    let theme = app.theme;
    if app.screen == Screen::Welcome {
        let keys = [Command::StartDemo, Command::Configure, Command::Quit]
            .map(|c| app.keymap.hint_in(Scope::Welcome, c));
        overlays::render_welcome(
            frame,
            &keys,
            app.demo_starting,
            app.welcome_error.as_deref(),
            &theme,
        );
        return;
    }
    let areas = app.areas();
    if areas.too_small {
        let quit = app.keymap.hint_in(Scope::Global, Command::Quit);
        overlays::render_too_small(frame, MIN_SIZE, &quit, &theme);
        return;
    }
    draw_title(app, frame, &areas);
    let current = app.focus;
    let block = |focus: Focus, extra: String| pane_block(current, focus, extra, &theme);
    let env_note = if app.demo.is_some() {
        "demo simulator ".to_string()
    } else {
        String::new()
    };
    // A pane with no room (another is maximised) is not drawn.
    if !areas.connection.is_empty() {
        app.connection.render(
            frame,
            areas.connection,
            block(Focus::Connection, env_note),
            app.focus == Focus::Connection,
            &theme,
        );
    }
    if !areas.token.is_empty() {
        app.token.render(
            frame,
            areas.token,
            block(Focus::Token, String::new()),
            app.now,
            &app.tz,
            &theme,
        );
    }
    if !areas.catalog.is_empty() {
        let count = format!("{} ", app.catalog.match_count());
        let catalog_focused = app.focus == Focus::Catalog;
        app.catalog.render(
            frame,
            areas.catalog,
            block(Focus::Catalog, count),
            catalog_focused,
            &theme,
        );
    }
    if !areas.request.is_empty() {
        let block = block(Focus::Request, String::new());
        draw_request(app, frame, areas.request, block);
    }
    if !areas.response.is_empty() {
        app.response.render(
            frame,
            areas.response,
            block(Focus::Response, app.response.title() + &app.flow_title()),
            app.now,
            &theme,
            &app.keymap,
        );
    }
    frame.render_widget(Paragraph::new(footer_line(app)), areas.footer);
    draw_overlay(app, frame);
}

/// A pane's frame: its number, its title and `extra` (a count, a verdict), thick when it has
/// the keyboard.
fn pane_block(
    current: Focus,
    focus: Focus,
    extra: String,
    theme: &super::theme::Theme,
) -> Block<'static> {
    let focused = current == focus;
    let number = Focus::ORDER.iter().position(|f| *f == focus).unwrap_or(0) + 1;
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(theme.border(focused))
        .title(Line::from(vec![
            Span::styled(format!(" {number} "), theme.dim()),
            Span::styled(format!("{} ", focus.title()), theme.title()),
            Span::styled(extra, theme.dim()),
        ]))
}

/// The Request pane, with what the cursor's templates resolve to on its foot line.
fn draw_request(
    app: &mut App,
    frame: &mut Frame<'_>,
    area: ratatui::layout::Rect,
    block: Block<'_>,
) {
    let settings = app.connection.settings();
    let token = app.header_token();
    let ctx = HeaderContext {
        settings: &settings,
        token: token.as_ref(),
    };
    let focused = app.focus == Focus::Request;
    // Only the focused builder has a cursor's field to preview (the header lines it may read
    // are not built for every frame).
    let preview = focused
        .then(|| app.request.cursor_text(&ctx))
        .flatten()
        .and_then(|text| app.template_preview(&text));
    app.request.show_preview(preview);
    app.request
        .render(frame, area, block, focused, &ctx, &app.theme);
}

/// The title bar. With Connection and Token folded into it (a small terminal) it is
/// compact, with the token's state and countdown kept at the right edge whatever the width,
/// and a pointer to the connection pane when something there needs the user.
fn draw_title(app: &App, frame: &mut Frame<'_>, areas: &Areas) {
    if !areas.folded {
        frame.render_widget(Paragraph::new(title_line(app)), areas.title);
        return;
    }
    let theme = &app.theme;
    let mut right = Vec::new();
    let connection_shown = !areas.connection.is_empty();
    if !connection_shown && (app.connection.missing().is_some() || app.connection.error().is_some())
    {
        let key = app.keymap.hint_in(Scope::Global, Command::FocusConnection);
        right.push(Span::styled(format!(" {key}: connection! "), theme.warn()));
    }
    right.extend(token_badge(app));
    let right = Line::from(right);
    let [left_area, right_area] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(right.width() as u16),
    ])
    .areas(areas.title);
    let mut left = vec![env_span(app, true)];
    left.extend(profile_spans(app, "  "));
    left.extend(headers_spans(app, "  entity ", "  api "));
    frame.render_widget(Paragraph::new(Line::from(left)), left_area);
    frame.render_widget(Paragraph::new(right), right_area);
}

fn title_line(app: &App) -> Line<'static> {
    let theme = &app.theme;
    let mut spans = vec![Span::styled(" younium-tui ", theme.title()), Span::raw(" ")];
    spans.push(env_span(app, false));
    spans.extend(profile_spans(app, "  profile "));
    spans.extend(headers_spans(app, "  legal-entity ", "  api-version "));
    spans.extend(token_badge(app));
    Line::from(spans)
}

/// The environment, in the production colours there. `compact`: the demo's URL without its
/// scheme.
fn env_span(app: &App, compact: bool) -> Span<'static> {
    let theme = &app.theme;
    let env = &app.connection.environment();
    let label = match (&app.demo, compact) {
        (Some(_), false) => format!(" DEMO {} ", env.base_url()),
        (Some(_), true) => {
            let url = env.base_url();
            let host = url.split_once("://").map_or(url, |(_, h)| h);
            format!(" DEMO {host} ")
        }
        (None, _) => format!(" {} ", env.label()),
    };
    let style = if env.is_production() {
        theme.production()
    } else {
        theme.selected()
    };
    Span::styled(label, style)
}

/// The profile in use after its label, if there is one.
fn profile_spans(app: &App, label: &str) -> Vec<Span<'static>> {
    let Some(name) = &app.profile else {
        return Vec::new();
    };
    vec![
        Span::styled(label.to_string(), app.theme.dim()),
        Span::raw(crate::sanitize::one_line(name).into_owned()),
    ]
}

/// The legal entity and the api-version, each after its label.
fn headers_spans(app: &App, entity_label: &str, version_label: &str) -> [Span<'static>; 4] {
    let theme = &app.theme;
    let entity = app.connection.legal_entity().unwrap_or("none");
    [
        Span::styled(entity_label.to_string(), theme.dim()),
        Span::raw(crate::sanitize::one_line(entity).into_owned()),
        Span::styled(version_label.to_string(), theme.dim()),
        Span::raw(app.connection.api_version().to_string()),
    ]
}

/// The token's state and countdown, as a badge after two spaces.
fn token_badge(app: &App) -> [Span<'static>; 2] {
    let (badge, text) = app.token.short_status(app.now);
    [
        Span::raw("  "),
        Span::styled(format!(" {text} "), app.theme.badge(badge)),
    ]
}

/// The keys of `commands` as pressed in `scope`, each its first key (or its first plain
/// character with `letters`, for the vim-style hints), joined by `sep`; empty when none is
/// bound.
pub(crate) fn keys_of(
    keymap: &Keymap,
    scope: Scope,
    commands: &[Command],
    sep: &str,
    letters: bool,
) -> String {
    let shown: Vec<String> = commands
        .iter()
        .filter_map(|c| {
            let keys = keymap.keys_in(scope, *c);
            let letter = keys.iter().find(|k| {
                k.modifiers().is_empty() && matches!(k.code(), KeyCode::Char(c) if c != ' ')
            });
            let key = if letters { letter } else { None };
            key.or(keys.first()).map(ToString::to_string)
        })
        .collect();
    shown.join(sep)
}

/// The first key of `send` that works inside the body editor (not one it claims as its own).
fn body_send_key(app: &App) -> Option<KeyChord> {
    app.keymap
        .keys_in(Scope::Always, Command::Send)
        .into_iter()
        .find(|k| !body_editor_takes(&KeyEvent::new(k.code(), k.modifiers())))
}

/// A footer hint: the keys of the commands (joined by the separator, vim letters first when
/// asked) and what they do.
type Hint = (&'static [Command], &'static str, bool, &'static str);

fn footer_line(app: &App) -> Line<'static> {
    use Command::*;
    let theme = &app.theme;
    let mut spans = Vec::new();
    if let Some(status) = &app.status {
        spans.push(Span::styled(format!(" {status} "), theme.warn()));
        spans.push(Span::raw(" "));
    }
    if app.connection.environment().is_production() {
        spans.push(Span::styled(" PRODUCTION ", theme.production()));
        spans.push(Span::raw(" "));
    }
    // Each hint with whether it stays when the line is too long for the terminal (the pane's
    // own hints go first, from the last, so `Tab pane  ? help  q quit` stay whole).
    let mut hints: Vec<(String, &str, bool)> = if app.is_editing() {
        if app.request.is_editing_body() {
            let mut h = vec![("Esc".to_string(), "stop editing", true)];
            h.extend(body_send_key(app).map(|k| (k.to_string(), "send", true)));
            let fields = app.keymap.keys_in(Scope::Request, Command::InsertField);
            h.extend(fields.first().map(|k| (k.to_string(), "fields", true)));
            if app.request.body_report().is_some_and(|r| !r.is_clean()) {
                let next = app.keymap.keys_in(Scope::Request, Command::NextProblem);
                h.extend(next.first().map(|k| (k.to_string(), "next problem", true)));
            }
            h
        } else {
            vec![
                ("Enter".into(), "keep", true),
                ("Esc".into(), "discard", true),
            ]
        }
    } else {
        let pane: &[Hint] = match app.focus {
            Focus::Connection => &[
                (&[ScrollUp, ScrollDown], "", false, "field"),
                (&[Edit], "", false, "edit"),
                (&[PreviousChoice, NextChoice], "", false, "change"),
                (&[PickLegalEntity], "", false, "legal entity"),
            ],
            Focus::Token => &[
                (&[Renew], "", false, "renew"),
                (&[ShowJwt], "", false, "JWT"),
                (&[Reveal], "", false, "reveal"),
            ],
            Focus::Catalog => &[
                (&[Filter], "", false, "filter"),
                (&[Load], "", false, "load"),
            ],
            Focus::Request => &[
                (&[Send], "", false, "send"),
                (&[NextMethod], "", false, "method"),
                (&[PreviousTab, NextTab], " ", false, "tab"),
                (&[Edit], "", true, "edit"),
                (&[AddRow], "", false, "add"),
                (&[InsertField], "", false, "fields"),
            ],
            Focus::Response => &[
                (&[ScrollDown, ScrollUp], " ", true, "move"),
                (&[Find], "", false, "find"),
                (&[Jq], "", false, "jq"),
                (&[ToggleFold], "", false, "fold"),
                (&[PreviousTab, NextTab], " ", false, "tab"),
                (&[NextPage, PreviousPage], " ", false, "page"),
                (&[CopyBody], "", false, "copy"),
                (&[CopyPath], "", false, "path"),
                (&[Diagnose], "", false, "diagnose"),
            ],
        };
        let cancel: &[Hint] = if app.response.in_flight().is_some() {
            &[(&[Cancel], "", false, "cancel")]
        } else {
            &[]
        };
        let everywhere: &[Hint] = &[
            (&[NextPane], "", false, "pane"),
            (&[Help], "", false, "help"),
            (&[Quit], "", false, "quit"),
        ];
        let scope = app.focus.scope();
        let kept = |hints: &'static [Hint], keep: bool| hints.iter().map(move |h| (h, keep));
        kept(cancel, true)
            .chain(kept(pane, false))
            .chain(kept(everywhere, true))
            .map(|((commands, sep, letters, label), keep)| {
                let keys = keys_of(&app.keymap, scope, commands, sep, *letters);
                (keys, *label, keep)
            })
            .filter(|(keys, _, _)| !keys.is_empty())
            .collect()
    };
    let width = |spans: &[Span<'_>], hints: &[(String, &str, bool)]| {
        let hint = |(k, d, _): &(String, &str, bool)| k.chars().count() + d.chars().count() + 3;
        spans.iter().map(Span::width).sum::<usize>() + hints.iter().map(hint).sum::<usize>()
    };
    while width(&spans, &hints) > usize::from(app.size.0)
        && let Some(i) = hints.iter().rposition(|(_, _, keep)| !keep)
    {
        hints.remove(i);
    }
    for (k, d, _) in hints {
        spans.push(Span::styled(format!(" {k}"), theme.key()));
        spans.push(Span::styled(format!(" {d} "), theme.dim()));
    }
    Line::from(spans)
}

/// The hint under a box: `↑↓ scroll · Esc close`, from the keymap's Overlay keys.
pub(crate) fn box_hint(keymap: &Keymap, hints: &[(&[Command], &str)]) -> String {
    let shown: Vec<String> = hints
        .iter()
        .map(|(commands, label)| (keys_of(keymap, Scope::Overlay, commands, "", false), label))
        .filter(|(keys, _)| !keys.is_empty())
        .map(|(keys, label)| format!("{keys} {label}"))
        .collect();
    shown.join(" · ")
}

/// Whether `key` is the capital of a letter also in `keys` (`Y` beside `y`: shown once).
fn is_capital_twin(key: &KeyChord, keys: &[KeyChord]) -> bool {
    match key.code() {
        KeyCode::Char(c) if c.is_ascii_uppercase() && key.modifiers().is_empty() => keys
            .iter()
            .any(|k| k.code() == KeyCode::Char(c.to_ascii_lowercase()) && k.modifiers().is_empty()),
        _ => false,
    }
}

/// `↑↓ scroll · Esc close`.
fn scroll_hint(keymap: &Keymap) -> String {
    box_hint(
        keymap,
        &[
            (&[Command::ScrollUp, Command::ScrollDown], "scroll"),
            (&[Command::Close], "close"),
        ],
    )
}

fn draw_overlay(app: &mut App, frame: &mut Frame<'_>) {
    if let Some(Overlay::Compare(c)) = &mut app.overlay {
        let close = app.keymap.hint_in(Scope::Overlay, Command::Close);
        super::history::render_comparison(frame, c, &close, &app.theme);
        return;
    }
    let app = &*app;
    let theme = &app.theme;
    match &app.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => {
            let pane = app.keymap.help(app.focus.scope());
            let global = app.keymap.help(Scope::Global);
            let send = body_send_key(app)
                .map(|k| k.to_string())
                .unwrap_or_default();
            let lines = overlays::help_lines(app.focus.title(), &pane, &global, &send, theme);
            overlays::render_text_box(
                frame,
                "Keys",
                lines,
                *scroll,
                &scroll_hint(&app.keymap),
                theme,
            );
        }
        Some(Overlay::Vars(shown)) => super::vars::render(frame, app, shown, theme),
        Some(Overlay::Capture(capture)) => super::capture::render(frame, capture, theme),
        Some(Overlay::Jwt { scroll }) => {
            if let Some(token) = app.token.state().token() {
                let lines = overlays::jwt_lines(token, &app.tz, theme);
                overlays::render_text_box(
                    frame,
                    "Token (decoded JWT)",
                    lines,
                    *scroll,
                    &scroll_hint(&app.keymap),
                    theme,
                );
            }
        }
        Some(Overlay::EntityPicker { selected }) => {
            overlays::render_entity_picker(
                frame,
                app.connection.known_entities(),
                app.connection.legal_entity(),
                *selected,
                app.discovery_note.as_deref(),
                &box_hint(
                    &app.keymap,
                    &[
                        (&[Command::Choose], "choose"),
                        (&[Command::Discover], "list from GET /Users"),
                        (&[Command::Close], "close"),
                    ],
                ),
                theme,
            );
        }
        Some(Overlay::Confirm(c)) => {
            let answers = [Command::Yes, Command::No].map(|c| {
                let keys = app.keymap.keys_in(Scope::Confirm, c);
                let shown: Vec<String> = keys
                    .iter()
                    .filter(|k| !is_capital_twin(k, &keys))
                    .map(ToString::to_string)
                    .collect();
                shown.join(" / ")
            });
            overlays::render_confirm(frame, &c.title, &c.lines, c.danger, &answers, theme)
        }
        Some(Overlay::ProfilePicker { selected }) => {
            super::profiles::render_picker(frame, app, *selected, theme)
        }
        Some(Overlay::SaveBody(input)) => overlays::render_input(
            frame,
            "Save the response body",
            "File name (relative to the current directory):",
            input,
            theme,
        ),
        Some(Overlay::SaveRequest(input)) => {
            super::saved_requests::render_name_box(frame, app, input, theme)
        }
        Some(Overlay::Diagnosis(view)) => super::diagnosis::render(frame, view, &app.keymap, theme),
        Some(Overlay::SaveAs { selected }) => {
            super::save_as::render(frame, *selected, &app.keymap, theme)
        }
        Some(Overlay::SaveRecords { format, input }) => overlays::render_input(
            frame,
            "Save the records",
            &format!(
                "{}. File name (relative to the current directory):",
                format.description()
            ),
            input,
            theme,
        ),
        Some(Overlay::History(browser)) => {
            super::history::render(frame, browser, &app.keymap, theme, &app.tz, app.now)
        }
        Some(Overlay::Compare(_)) => {}
        Some(Overlay::FieldList(list)) => super::fields::render(frame, list, &app.keymap, theme),
    }
}
