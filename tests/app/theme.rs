//! Colours for dark and light terminals. TestBackend's plain snapshots show only symbols, so
//! these snapshot a description of the styles too: each row as runs of
//! `[foreground background modifiers]«text»`.

use crate::common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use younium_tui::tui::app::{Action, App};

use younium_tui::tui::theme::{Background, Theme};
use younium_tui::tui::view;
use younium_tui::younium::{Method, TokenBadge};

/// A signed-in app in a 60×20 terminal (the smallest), with a JSON body in the Response pane.
fn app(theme: Theme) -> App {
    let body = r#"{"id":"A-000001","amount":9000.5,"inactive":false,"parent":null}"#;
    let mut pane = common::app::credentials();
    pane.choose_legal_entity(Some("Nordlys AB".into()));
    let mut app =
        common::viewer::app_showing_in(common::app::signed_in_app_with(pane, theme), body);
    app.update(Action::Resize(60, 20));
    app
}

fn colour(c: Option<Color>) -> String {
    match c {
        None | Some(Color::Reset) => "-".into(),
        Some(Color::Rgb(r, g, b)) => format!("#{r:02x}{g:02x}{b:02x}"),
        Some(c) => format!("{c:?}"),
    }
}

fn modifiers(m: Modifier) -> String {
    let names = [
        (Modifier::BOLD, 'b'),
        (Modifier::DIM, 'd'),
        (Modifier::ITALIC, 'i'),
        (Modifier::UNDERLINED, 'u'),
        (Modifier::REVERSED, 'r'),
    ];
    let s: String = names
        .iter()
        .filter(|(bit, _)| m.contains(*bit))
        .map(|(_, c)| *c)
        .collect();
    if s.is_empty() { "-".into() } else { s }
}

/// Each row as its runs of one style, `[fg bg mods]«text»`; trailing unstyled blanks left out.
fn describe(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut runs: Vec<(Style, String)> = Vec::new();
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            let style = Style::new()
                .fg(cell.fg)
                .bg(cell.bg)
                .add_modifier(cell.modifier);
            match runs.last_mut() {
                Some((s, text)) if *s == style => text.push_str(cell.symbol()),
                _ => runs.push((style, cell.symbol().to_string())),
            }
        }
        if let Some((s, text)) = runs.last_mut()
            && *s == Style::new().fg(Color::Reset).bg(Color::Reset)
        {
            text.truncate(text.trim_end().len());
            if text.is_empty() {
                runs.pop();
            }
        }
        let shown: Vec<String> = runs
            .iter()
            .map(|(s, text)| {
                format!(
                    "[{} {} {}]«{text}»",
                    colour(s.fg),
                    colour(s.bg),
                    modifiers(s.add_modifier)
                )
            })
            .collect();
        out.push_str(&format!("{y:2}: {}\n", shown.join(" ")));
    }
    out
}

/// The screen (as TestBackend shows it), and its styles described.
fn screen(theme: Theme) -> (String, String) {
    let mut app = app(theme);
    let mut terminal = Terminal::new(TestBackend::new(60, 20)).unwrap();
    terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    let text = terminal.backend().to_string();
    (text, describe(terminal.backend().buffer()))
}

fn drawn(theme: Theme) -> Buffer {
    let mut app = app(theme);
    let mut terminal = Terminal::new(TestBackend::new(60, 20)).unwrap();
    terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    terminal.backend().buffer().clone()
}

#[test]
fn dark_and_light_screens_and_their_styles() {
    let (dark_text, dark) = screen(Theme::new(true, Background::Dark));
    let (light_text, light) = screen(Theme::new(true, Background::Light));
    // The same screen, in other colours.
    assert_eq!(dark_text, light_text);
    assert_ne!(dark, light);
    insta::assert_snapshot!("screen_60x20", dark_text);
    insta::assert_snapshot!("styles_dark", dark);
    insta::assert_snapshot!("styles_light", light);
}

#[test]
fn no_color_keeps_modifiers_only() {
    let buffer = drawn(Theme::mono());
    for cell in &buffer.content {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    assert!(
        buffer
            .content
            .iter()
            .any(|c| c.modifier.contains(Modifier::BOLD)),
        "bold stays"
    );
}

/// Every style the theme hands out, named.
fn all_styles(t: &Theme) -> Vec<(String, Style)> {
    let mut styles: Vec<(String, Style)> = vec![
        ("text".into(), t.text()),
        ("dim".into(), t.dim()),
        ("label".into(), t.label()),
        ("key".into(), t.key()),
        ("title".into(), t.title()),
        ("border focused".into(), t.border(true)),
        ("border".into(), t.border(false)),
        ("selected".into(), t.selected()),
        ("find_match".into(), t.find_match()),
        ("find_current".into(), t.find_current()),
        ("editing".into(), t.editing()),
        ("production".into(), t.production()),
        ("good".into(), t.good()),
        ("warn".into(), t.warn()),
        ("bad".into(), t.bad()),
        ("error_text".into(), t.error_text()),
    ];
    for badge in [
        TokenBadge::None,
        TokenBadge::Fetching,
        TokenBadge::Valid,
        TokenBadge::Expiring,
        TokenBadge::Expired,
        TokenBadge::Failed,
    ] {
        styles.push((format!("badge {badge:?}"), t.badge(badge)));
        styles.push((format!("gauge {badge:?}"), t.gauge(badge)));
    }
    for method in [
        Method::Get,
        Method::Post,
        Method::Patch,
        Method::Put,
        Method::Delete,
    ] {
        styles.push((format!("method {method:?}"), t.method(method)));
    }
    for status in [200, 301, 404, 500] {
        styles.push((format!("status {status}"), t.status(status)));
    }
    styles
}

/// A colour as xterm's default palette shows the named ones.
fn rgb(c: Color) -> (u8, u8, u8) {
    match c {
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Black => (0, 0, 0),
        Color::Red => (205, 0, 0),
        Color::Green => (0, 205, 0),
        Color::Yellow => (205, 205, 0),
        Color::Blue => (0, 0, 238),
        Color::Magenta => (205, 0, 205),
        Color::Cyan => (0, 205, 205),
        Color::Gray => (229, 229, 229),
        Color::DarkGray => (127, 127, 127),
        Color::LightRed => (255, 0, 0),
        Color::LightGreen => (0, 255, 0),
        Color::LightYellow => (255, 255, 0),
        Color::LightBlue => (92, 92, 255),
        Color::LightMagenta => (255, 0, 255),
        Color::LightCyan => (0, 255, 255),
        Color::White => (255, 255, 255),
        other => panic!("unexpected colour {other:?}"),
    }
}

/// WCAG relative luminance, 0 (black) to 1 (white).
fn luminance(c: Color) -> f64 {
    let (r, g, b) = rgb(c);
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn every_colour_reads_on_its_background() {
    for background in [Background::Dark, Background::Light] {
        let theme = Theme::new(true, background);
        // The terminal's own colours, behind and in front of what has no colour of its own.
        let (paper, ink) = match background {
            Background::Dark => (Color::Black, Color::White),
            Background::Light => (Color::White, Color::Black),
        };
        for (name, style) in all_styles(&theme) {
            let (fg, bg) = (style.fg, style.bg);
            match (fg, bg) {
                // On the terminal's background: no white or near-white on a light one, no
                // black or near-black on a dark one.
                (Some(fg), None) => match background {
                    Background::Light => {
                        assert!(luminance(fg) < 0.45, "{name} {fg:?} on white")
                    }
                    Background::Dark => {
                        assert!(fg != Color::Black && luminance(fg) > 0.04, "{name} {fg:?}")
                    }
                },
                // A style with its own background reads against it.
                (fg, Some(bg)) => {
                    let fg = fg.unwrap_or(ink);
                    let c = contrast(fg, bg);
                    assert!(
                        c >= 4.0,
                        "{name}: {fg:?} on {bg:?} ({background:?}): {c:.1}"
                    );
                    assert_ne!(bg, paper, "{name} would not stand out");
                }
                (None, None) => {}
            }
        }
    }
}

#[test]
fn without_colour_no_style_has_one() {
    for (name, style) in all_styles(&Theme::mono()) {
        assert_eq!((style.fg, style.bg), (None, None), "{name}");
    }
    assert!(Theme::mono().selected().add_modifier != Modifier::empty());
}

#[test]
fn the_theme_comes_from_the_variable_then_the_file_then_auto() {
    use std::path::Path;
    use younium_tui::cli::ConnectionArgs;
    use younium_tui::config::{ConfigFile, Loaded, ThemeChoice};
    use younium_tui::settings::{EnvVars, Inputs, resolve};
    let flags = ConnectionArgs::default();
    let theme = |config: &Loaded, env: Option<&str>| {
        let env = EnvVars {
            theme: env.map(str::to_string),
            ..Default::default()
        };
        let inputs = Inputs {
            config,
            profile: None,
            flags: &flags,
            env: &env,
        };
        resolve(&inputs).map(|s| s.theme)
    };
    let file = |text: &str| Loaded::from(ConfigFile::parse(Path::new("/c.toml"), text).unwrap());
    assert_eq!(theme(&Loaded::default(), None), Ok(ThemeChoice::Auto));
    assert_eq!(theme(&file("[profiles.a]\n"), None), Ok(ThemeChoice::Auto));
    let light = file("theme = \"light\"\n[profiles.a]\nclient_id = \"x\"\n");
    assert_eq!(theme(&light, None), Ok(ThemeChoice::Light));
    assert_eq!(theme(&light, Some("Dark")), Ok(ThemeChoice::Dark));
    assert_eq!(
        theme(&light, Some("blue")).unwrap_err().to_string(),
        "YOUNIUM_TUI_THEME=\"blue\" is not a theme: use dark, light or auto"
    );
}

#[test]
fn the_theme_flag_wins_over_the_variable_and_the_file() {
    use clap::Parser;
    use std::path::Path;
    use younium_tui::cli::Cli;
    use younium_tui::config::{ConfigFile, Loaded, ThemeChoice};
    use younium_tui::settings::{EnvVars, Inputs, resolve};
    let cli = Cli::try_parse_from(["younium-tui", "--theme", "dark"]).unwrap();
    let config =
        Loaded::from(ConfigFile::parse(Path::new("/c.toml"), "theme = \"light\"\n").unwrap());
    let env = EnvVars {
        theme: Some("light".into()),
        ..Default::default()
    };
    let inputs = Inputs {
        config: &config,
        profile: None,
        flags: &cli.connection,
        env: &env,
    };
    assert_eq!(resolve(&inputs).map(|s| s.theme), Ok(ThemeChoice::Dark));
    let bad = Cli::try_parse_from(["younium-tui", "--theme", "blue"]).unwrap_err();
    assert!(bad.to_string().contains("dark, light or auto"), "{bad}");
}

/// `call` writes its body in the colours `--theme` or the config file's `theme` chooses (the
/// command line winning), and in none with `NO_COLOR`: the same decision as the UI's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_follows_the_theme_of_the_command_line_and_the_config_file() {
    common::pty::Tui::on_simulator(call_in_each_theme).await;
}

fn call_in_each_theme(base_url: &str) {
    use younium_tui::simulator::demo;
    // The colour of an object key in each theme, as 24-bit escapes.
    const DARK_KEY: &str = "\x1b[38;2;102;153;204m";
    const LIGHT_KEY: &str = "\x1b[38;2;166;74;0m";
    let dir = common::binary::temp_dir("call-theme");
    let light_file = dir.join("light.toml");
    std::fs::write(&light_file, "theme = \"light\"\n").unwrap();
    let light_file = light_file.to_str().unwrap();
    let call = |extra: &[&str], env: &[(&str, &str)]| -> String {
        let mut args = vec!["call", "GET", "/Accounts"];
        args.extend(common::pty::Tui::demo_args(base_url));
        args.extend_from_slice(extra);
        let mut env = env.to_vec();
        env.push(("YOUNIUM_SECRET", demo::SECRET));
        let (ok, out) =
            common::pty::Tui::start(&args, &env).wait_exit(std::time::Duration::from_secs(30));
        let out = String::from_utf8_lossy(&out).into_owned();
        assert!(ok, "call {extra:?} failed: {out}");
        assert!(out.contains("accountNumber"), "the body: {out}");
        out
    };
    let dark = call(&["--theme", "dark"], &[]);
    assert!(
        dark.contains(DARK_KEY) && !dark.contains(LIGHT_KEY),
        "{dark:?}"
    );
    let light = call(&["--theme", "light"], &[]);
    assert!(
        light.contains(LIGHT_KEY) && !light.contains(DARK_KEY),
        "{light:?}"
    );
    let from_file = call(&[], &[("YOUNIUM_TUI_CONFIG", light_file)]);
    assert!(
        from_file.contains(LIGHT_KEY),
        "the file's theme: {from_file:?}"
    );
    let overridden = call(&["--theme", "dark"], &[("YOUNIUM_TUI_CONFIG", light_file)]);
    assert!(
        overridden.contains(DARK_KEY),
        "the command line wins: {overridden:?}"
    );
    let plain = call(&["--theme", "light"], &[("NO_COLOR", "1")]);
    assert!(
        !plain.contains("\x1b[38;"),
        "no colour with NO_COLOR: {plain:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
