//! Drawing the whole screen from the app state.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use super::app::{App, Focus, Overlay, Screen};
use super::layout::MIN_SIZE;
use super::panes::overlays;
use super::panes::request::HeaderContext;

pub fn draw(app: &mut App, frame: &mut Frame<'_>) {
    let theme = app.theme;
    if app.screen == Screen::Welcome {
        overlays::render_welcome(
            frame,
            app.demo_starting,
            app.welcome_error.as_deref(),
            &theme,
        );
        return;
    }
    let areas = app.areas();
    if areas.too_small {
        overlays::render_too_small(frame, MIN_SIZE, &theme);
        return;
    }
    frame.render_widget(Paragraph::new(title_line(app)), areas.title);
    let block = |focus: Focus, extra: String| {
        let focused = app.focus == focus;
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
    };
    let env_note = if app.demo.is_some() {
        "demo simulator ".to_string()
    } else {
        String::new()
    };
    app.connection.render(
        frame,
        areas.connection,
        block(Focus::Connection, env_note),
        app.focus == Focus::Connection,
        &theme,
    );
    app.token.render(
        frame,
        areas.token,
        block(Focus::Token, String::new()),
        app.now,
        &app.tz,
        &theme,
    );
    let count = format!("{} ", app.catalog.match_count());
    let catalog_focused = app.focus == Focus::Catalog;
    app.catalog.render(
        frame,
        areas.catalog,
        block(Focus::Catalog, count),
        catalog_focused,
        &theme,
    );
    let settings = app.connection.settings();
    let token = app
        .token
        .state
        .usable_token(app.now, std::time::Duration::ZERO)
        .map(|t| t.access.clone());
    let ctx = HeaderContext {
        settings: &settings,
        token: token.as_ref(),
    };
    let request_focused = app.focus == Focus::Request;
    app.request.render(
        frame,
        areas.request,
        block(Focus::Request, String::new()),
        request_focused,
        &ctx,
        &theme,
    );
    app.response.render(
        frame,
        areas.response,
        block(Focus::Response, String::new()),
        app.now,
        &theme,
    );
    frame.render_widget(Paragraph::new(footer_line(app)), areas.footer);
    draw_overlay(app, frame);
}

fn title_line(app: &App) -> Line<'static> {
    let theme = &app.theme;
    let env = &app.connection.environment;
    let mut spans = vec![Span::styled(" younium-tui ", theme.title()), Span::raw(" ")];
    let env_label = if app.demo.is_some() {
        format!(" DEMO {} ", env.base_url())
    } else {
        format!(" {} ", env.label())
    };
    spans.push(Span::styled(
        env_label,
        if env.is_production() {
            theme.production()
        } else {
            theme.selected()
        },
    ));
    spans.push(Span::styled("  legal-entity ", theme.dim()));
    spans.push(Span::raw(
        app.connection
            .legal_entity
            .clone()
            .unwrap_or_else(|| "none".into()),
    ));
    spans.push(Span::styled("  api-version ", theme.dim()));
    spans.push(Span::raw(app.connection.api_version.to_string()));
    let (badge, text) = app.token.short_status(app.now);
    spans.push(Span::raw("  "));
    spans.push(Span::styled(format!(" {text} "), theme.badge(badge)));
    Line::from(spans)
}

fn footer_line(app: &App) -> Line<'static> {
    let theme = &app.theme;
    let mut spans = Vec::new();
    if let Some(status) = &app.status {
        spans.push(Span::styled(format!(" {status} "), theme.warn()));
        spans.push(Span::raw(" "));
    }
    if app.connection.environment.is_production() {
        spans.push(Span::styled(" PRODUCTION ", theme.production()));
        spans.push(Span::raw(" "));
    }
    let hints: Vec<(&str, &str)> = if app.is_editing() {
        if app.request.is_editing_body() {
            vec![("Esc", "stop editing"), ("F5", "send")]
        } else {
            vec![("Enter", "keep"), ("Esc", "discard")]
        }
    } else {
        let mut h = match app.focus {
            Focus::Connection => vec![
                ("↑↓", "field"),
                ("Enter", "edit"),
                ("←→", "change"),
                ("L", "legal entity"),
            ],
            Focus::Token => vec![("r", "renew"), ("j", "JWT"), ("v", "reveal")],
            Focus::Catalog => vec![("/", "filter"), ("Enter", "load")],
            Focus::Request => vec![
                ("s", "send"),
                ("m", "method"),
                ("[ ]", "tab"),
                ("e", "edit"),
                ("a", "add"),
            ],
            Focus::Response => vec![
                ("j k", "scroll"),
                ("[ ]", "tab"),
                ("n p", "page"),
                ("y", "copy"),
                ("D", "diagnose"),
            ],
        };
        if app.response.in_flight().is_some() {
            h.insert(0, ("Esc", "cancel"));
        }
        h.extend([("Tab", "pane"), ("?", "help"), ("q", "quit")]);
        h
    };
    for (k, d) in hints {
        spans.push(Span::styled(format!(" {k}"), theme.key()));
        spans.push(Span::styled(format!(" {d} "), theme.dim()));
    }
    Line::from(spans)
}

fn draw_overlay(app: &App, frame: &mut Frame<'_>) {
    let theme = &app.theme;
    match &app.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => {
            let keys = match app.focus {
                Focus::Connection => app.connection.help(),
                Focus::Token => app.token.help(),
                Focus::Catalog => app.catalog.help(),
                Focus::Request => app.request.help(),
                Focus::Response => app.response.help(),
            };
            let lines = overlays::help_lines(app.focus.title(), &keys, theme);
            overlays::render_text_box(
                frame,
                "Keys",
                lines,
                *scroll,
                "↑↓ scroll · Esc close",
                theme,
            );
        }
        Some(Overlay::Jwt { scroll }) => {
            if let Some(token) = app.token.state.token() {
                let lines = overlays::jwt_lines(token, &app.tz, theme);
                overlays::render_text_box(
                    frame,
                    "Token (decoded JWT)",
                    lines,
                    *scroll,
                    "↑↓ scroll · Esc close",
                    theme,
                );
            }
        }
        Some(Overlay::EntityPicker { selected }) => {
            overlays::render_entity_picker(
                frame,
                &app.connection.known_entities,
                app.connection.legal_entity.as_deref(),
                *selected,
                app.discovery_note.as_deref(),
                theme,
            );
        }
        Some(Overlay::Confirm(c)) => {
            overlays::render_confirm(frame, &c.title, &c.lines, c.danger, theme)
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
        Some(Overlay::Diagnosis(view)) => super::diagnosis::render(frame, view, theme),
    }
}
