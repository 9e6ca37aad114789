//! Colours and styles, for a dark or a light terminal background (each has its palette and
//! its syntax theme). With `NO_COLOR` set every style keeps only its modifiers (bold,
//! reversed…), so states stay distinguishable without colour.
//!
//! The background is the config file's `theme` (or `YOUNIUM_TUI_THEME`) when it says `dark`
//! or `light`; with `auto` the terminal is asked (OSC 11, through `terminal-colorsaurus`) before
//! the UI takes the terminal, then `COLORFGBG` is the hint, then dark.

use std::io::IsTerminal;
use std::time::Duration;

use ratatui::style::{Color, Modifier, Style};

pub use crate::config::ThemeChoice;
pub use crate::pretty::highlight::Background;
use crate::younium::{Method, TokenBadge};

/// How long the terminal is given to say its background colour. A terminal that does not
/// answer the query is usually found out at once (it answers the device-attributes query sent
/// after it); this only bounds a slow link.
pub const QUERY_TIMEOUT: Duration = Duration::from_millis(150);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub colour: bool,
    pub background: Background,
}

impl Default for Theme {
    /// Colours for a dark background.
    fn default() -> Self {
        Self::new(true, Background::Dark)
    }
}

/// The colours of one background. Named colours are the terminal's own (they follow its
/// palette); the light palette uses exact ones, as light palettes often make yellow and cyan
/// unreadable on white.
struct Palette {
    dim: Color,
    label: Color,
    accent: Color,
    selection: Color,
    /// Behind the response body's cursor line.
    cursor: Color,
    find: Color,
    find_current: Color,
    editing: Color,
    production: (Color, Color),
    good: Color,
    warn: Color,
    bad: Color,
    redirect: Color,
    patch: Color,
    put: Color,
    /// A diff's added value or inserted line, removed value or deleted line, changed value.
    added: Color,
    removed: Color,
    changed: Color,
    /// The badges' (foreground, background): none, fetching, valid, expiring, expired, failed.
    badges: [(Color, Color); 6],
}

const DARK: Palette = Palette {
    dim: Color::DarkGray,
    label: Color::Gray,
    accent: Color::Cyan,
    selection: Color::Rgb(40, 60, 90),
    cursor: Color::Rgb(45, 45, 60),
    find: Color::Yellow,
    find_current: Color::LightMagenta,
    editing: Color::Yellow,
    production: (Color::Black, Color::LightRed),
    good: Color::Green,
    warn: Color::Yellow,
    bad: Color::LightRed,
    redirect: Color::Cyan,
    patch: Color::Magenta,
    put: Color::Blue,
    added: Color::Green,
    removed: Color::LightRed,
    changed: Color::Yellow,
    badges: [
        (Color::Black, Color::Gray),
        (Color::Black, Color::LightBlue),
        (Color::Black, Color::Green),
        (Color::Black, Color::Yellow),
        (Color::White, Color::Red),
        (Color::White, Color::Magenta),
    ],
};

const LIGHT: Palette = Palette {
    dim: Color::Rgb(112, 112, 112),
    label: Color::Rgb(70, 70, 70),
    accent: Color::Rgb(0, 95, 135),
    selection: Color::Rgb(200, 220, 245),
    cursor: Color::Rgb(232, 236, 244),
    find: Color::Rgb(255, 221, 87),
    find_current: Color::Rgb(245, 160, 230),
    editing: Color::Rgb(150, 85, 0),
    production: (Color::Black, Color::Rgb(255, 140, 140)),
    good: Color::Rgb(0, 120, 0),
    warn: Color::Rgb(160, 90, 0),
    bad: Color::Rgb(190, 0, 0),
    redirect: Color::Rgb(0, 105, 125),
    patch: Color::Rgb(140, 0, 140),
    put: Color::Rgb(0, 70, 180),
    added: Color::Rgb(0, 120, 0),
    removed: Color::Rgb(190, 0, 0),
    changed: Color::Rgb(150, 85, 0),
    badges: [
        (Color::Black, Color::Rgb(215, 215, 215)),
        (Color::Black, Color::Rgb(165, 205, 255)),
        (Color::Black, Color::Rgb(145, 220, 145)),
        (Color::Black, Color::Rgb(255, 215, 95)),
        (Color::Black, Color::Rgb(255, 150, 150)),
        (Color::Black, Color::Rgb(230, 165, 240)),
    ],
};

impl Theme {
    pub const fn new(colour: bool, background: Background) -> Self {
        Self { colour, background }
    }

    /// No colours (as with `NO_COLOR`): modifiers only.
    pub const fn mono() -> Self {
        Self::new(false, Background::Dark)
    }

    /// The theme for this process's terminal: colour unless `NO_COLOR` is set to something,
    /// on the background `choice` names or [`detect_background`] finds. Call it before the
    /// UI reads the terminal's input: the terminal's answer arrives there.
    pub fn for_terminal(choice: ThemeChoice) -> Self {
        let colour = colour_wanted();
        let background = match choice.fixed() {
            Some(background) => background,
            // Without colour the background does not matter: the terminal is not asked.
            None if !colour => Background::Dark,
            None => detect_background(),
        };
        Self::new(colour, background)
    }

    fn palette(&self) -> &'static Palette {
        match self.background {
            Background::Dark => &DARK,
            Background::Light => &LIGHT,
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.colour {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn text(&self) -> Style {
        Style::new()
    }

    pub fn dim(&self) -> Style {
        if self.colour {
            Style::new().fg(self.palette().dim)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn label(&self) -> Style {
        self.fg(self.palette().label)
    }

    pub fn key(&self) -> Style {
        self.fg(self.palette().accent).add_modifier(Modifier::BOLD)
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.colour) {
            (true, true) => Style::new().fg(self.palette().accent),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    pub fn selected(&self) -> Style {
        if self.colour {
            Style::new()
                .bg(self.palette().selection)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The response body's cursor line: a background under the syntax colours.
    pub fn cursor_line(&self) -> Style {
        if self.colour {
            Style::new().bg(self.palette().cursor)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    /// A match of the search (`/`).
    pub fn find_match(&self) -> Style {
        if self.colour {
            Style::new().fg(Color::Black).bg(self.palette().find)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The current match of the search.
    pub fn find_current(&self) -> Style {
        if self.colour {
            Style::new()
                .fg(Color::Black)
                .bg(self.palette().find_current)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn editing(&self) -> Style {
        self.fg(self.palette().editing)
            .add_modifier(Modifier::UNDERLINED)
    }

    /// Production, everywhere it appears.
    pub fn production(&self) -> Style {
        if self.colour {
            let (fg, bg) = self.palette().production;
            Style::new().fg(fg).bg(bg).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn good(&self) -> Style {
        self.fg(self.palette().good)
    }

    pub fn warn(&self) -> Style {
        self.fg(self.palette().warn)
    }

    pub fn bad(&self) -> Style {
        self.fg(self.palette().bad)
    }

    pub fn error_text(&self) -> Style {
        self.bad().add_modifier(Modifier::BOLD)
    }

    /// A diff's added value or inserted line (without colour: bold; the `+` sign tells it).
    pub fn diff_added(&self) -> Style {
        if self.colour {
            Style::new().fg(self.palette().added)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    /// A diff's removed value or deleted line (without colour: dim; the `-` sign tells it).
    pub fn diff_removed(&self) -> Style {
        if self.colour {
            Style::new().fg(self.palette().removed)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// A diff's changed value (without colour: italic; the `~` sign tells it).
    pub fn diff_changed(&self) -> Style {
        if self.colour {
            Style::new().fg(self.palette().changed)
        } else {
            Style::new().add_modifier(Modifier::ITALIC)
        }
    }

    pub fn badge(&self, badge: TokenBadge) -> Style {
        let style = Style::new().add_modifier(Modifier::BOLD);
        if !self.colour {
            return match badge {
                TokenBadge::Valid => style,
                _ => style.add_modifier(Modifier::REVERSED),
            };
        }
        let (fg, bg) = self.palette().badges[match badge {
            TokenBadge::None => 0,
            TokenBadge::Fetching => 1,
            TokenBadge::Valid => 2,
            TokenBadge::Expiring => 3,
            TokenBadge::Expired => 4,
            TokenBadge::Failed => 5,
        }];
        style.fg(fg).bg(bg)
    }

    pub fn gauge(&self, badge: TokenBadge) -> Style {
        match badge {
            TokenBadge::Valid => self.good(),
            TokenBadge::Expiring => self.warn(),
            _ => self.bad(),
        }
    }

    pub fn method(&self, method: Method) -> Style {
        let p = self.palette();
        let color = match method {
            Method::Get => p.good,
            Method::Post => p.warn,
            Method::Patch => p.patch,
            Method::Put => p.put,
            Method::Delete => p.bad,
        };
        self.fg(color).add_modifier(Modifier::BOLD)
    }

    pub fn status(&self, status: u16) -> Style {
        let p = self.palette();
        let color = match status {
            200..=299 => p.good,
            300..=399 => p.redirect,
            400..=499 => p.warn,
            _ => p.bad,
        };
        self.fg(color).add_modifier(Modifier::BOLD)
    }

    /// A syntect colour (from the syntax theme of this background) as a terminal colour
    /// (foreground only: the terminal keeps its background).
    pub fn syntax(&self, style: syntect::highlighting::Style) -> Style {
        // Italic marks what the viewer adds, such as a fold's `… 3 items`.
        let italic = style
            .font_style
            .contains(syntect::highlighting::FontStyle::ITALIC);
        let base = if italic {
            Style::new().add_modifier(Modifier::ITALIC)
        } else {
            Style::new()
        };
        if !self.colour {
            return base;
        }
        let c = style.foreground;
        base.fg(Color::Rgb(c.r, c.g, c.b))
    }
}

/// The terminal's background, asked of the terminal when stdin and stdout are one, else (or
/// when it does not answer in [`QUERY_TIMEOUT`]) guessed from `COLORFGBG`, else dark.
pub fn detect_background() -> Background {
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let hint = std::env::var("COLORFGBG").ok();
    choose_background(
        || terminal.then(query_background).flatten(),
        hint.as_deref(),
    )
}

/// Whether colours are wanted at all: not when `NO_COLOR` is set to something. The one place
/// the UI and the headless commands decide it.
pub fn colour_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The background for a headless command's coloured output: the resolved theme (`--theme`,
/// `YOUNIUM_TUI_THEME`, the config file's `theme`) when it names one, else the `COLORFGBG`
/// hint, else dark. The terminal is never asked: a command leaves nothing behind, and an
/// answer arriving after it ended would land at the shell prompt.
pub fn headless_background(choice: ThemeChoice) -> Background {
    choice
        .fixed()
        .unwrap_or_else(|| choose_background(|| None, std::env::var("COLORFGBG").ok().as_deref()))
}

/// The terminal's answer to the background query, if it gave one in time.
fn query_background() -> Option<Background> {
    let mut options = terminal_colorsaurus::QueryOptions::default();
    options.timeout = QUERY_TIMEOUT;
    match terminal_colorsaurus::theme_mode(options) {
        Ok(terminal_colorsaurus::ThemeMode::Dark) => Some(Background::Dark),
        Ok(terminal_colorsaurus::ThemeMode::Light) => Some(Background::Light),
        Err(error) => {
            tracing::debug!(%error, "the terminal did not say its background colour");
            None
        }
    }
}

/// The background from the terminal's answer (`query`), else the `COLORFGBG` hint, else
/// dark.
pub fn choose_background(
    query: impl FnOnce() -> Option<Background>,
    colorfgbg: Option<&str>,
) -> Background {
    query()
        .or_else(|| colorfgbg.and_then(background_from_colorfgbg))
        .unwrap_or_default()
}

/// `COLORFGBG` (`"15;0"`, `"0;default;15"`: foreground, maybe more, then background, as
/// indexes into the 16-colour palette, set by rxvt, Konsole and others): light when the
/// background is white or light grey (7, 9–15), dark for the others; `None` when unreadable.
pub fn background_from_colorfgbg(value: &str) -> Option<Background> {
    let index: u8 = value.rsplit(';').next()?.trim().parse().ok()?;
    match index {
        7 | 9..=15 => Some(Background::Light),
        0..=6 | 8 => Some(Background::Dark),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_wins_then_the_hint_then_dark() {
        let light = || Some(Background::Light);
        let none = || None;
        assert_eq!(choose_background(light, Some("15;0")), Background::Light);
        assert_eq!(choose_background(none, Some("0;15")), Background::Light);
        assert_eq!(choose_background(none, Some("15;0")), Background::Dark);
        assert_eq!(choose_background(none, Some("nonsense")), Background::Dark);
        assert_eq!(choose_background(none, None), Background::Dark);
    }

    #[test]
    fn colorfgbg_is_read_from_its_last_field() {
        assert_eq!(
            background_from_colorfgbg("0;default;15"),
            Some(Background::Light)
        );
        assert_eq!(background_from_colorfgbg("12;8"), Some(Background::Dark));
        assert_eq!(background_from_colorfgbg("0;7"), Some(Background::Light));
        assert_eq!(background_from_colorfgbg("15;default"), None);
        assert_eq!(background_from_colorfgbg("0;200"), None);
        assert_eq!(background_from_colorfgbg(""), None);
    }

    #[test]
    fn a_fixed_choice_is_not_asked_of_the_terminal() {
        // In a test stdin is no terminal, so nothing would be asked anyway; a fixed choice
        // must not even look.
        assert_eq!(
            Theme::for_terminal(ThemeChoice::Light).background,
            Background::Light
        );
        assert_eq!(
            Theme::for_terminal(ThemeChoice::Dark).background,
            Background::Dark
        );
    }
}
