//! Colours and styles. With `NO_COLOR` set every style keeps only its modifiers (bold,
//! reversed…), so states stay distinguishable without colour.

use ratatui::style::{Color, Modifier, Style};

use crate::younium::{Method, TokenBadge};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub colour: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value.
    pub fn from_env() -> Self {
        Self {
            colour: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
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
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn label(&self) -> Style {
        self.fg(Color::Gray)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.colour) {
            (true, true) => Style::new().fg(Color::Cyan),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    pub fn selected(&self) -> Style {
        if self.colour {
            Style::new()
                .bg(Color::Rgb(40, 60, 90))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The response body's cursor line: a background under the syntax colours.
    pub fn cursor_line(&self) -> Style {
        if self.colour {
            Style::new().bg(Color::Rgb(45, 45, 60))
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    /// A match of the search (`/`).
    pub fn find_match(&self) -> Style {
        if self.colour {
            Style::new().fg(Color::Black).bg(Color::Yellow)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The current match of the search.
    pub fn find_current(&self) -> Style {
        if self.colour {
            Style::new()
                .fg(Color::Black)
                .bg(Color::LightMagenta)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn editing(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::UNDERLINED)
    }

    /// Production, everywhere it appears.
    pub fn production(&self) -> Style {
        if self.colour {
            Style::new()
                .fg(Color::Black)
                .bg(Color::LightRed)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn bad(&self) -> Style {
        self.fg(Color::LightRed)
    }

    pub fn error_text(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    pub fn badge(&self, badge: TokenBadge) -> Style {
        let style = Style::new().add_modifier(Modifier::BOLD);
        if !self.colour {
            return match badge {
                TokenBadge::Valid => style,
                _ => style.add_modifier(Modifier::REVERSED),
            };
        }
        let (fg, bg) = match badge {
            TokenBadge::None => (Color::Black, Color::Gray),
            TokenBadge::Fetching => (Color::Black, Color::LightBlue),
            TokenBadge::Valid => (Color::Black, Color::Green),
            TokenBadge::Expiring => (Color::Black, Color::Yellow),
            TokenBadge::Expired => (Color::White, Color::Red),
            TokenBadge::Failed => (Color::White, Color::Magenta),
        };
        style.fg(fg).bg(bg)
    }

    pub fn gauge(&self, badge: TokenBadge) -> Style {
        match badge {
            TokenBadge::Valid => self.fg(Color::Green),
            TokenBadge::Expiring => self.fg(Color::Yellow),
            _ => self.fg(Color::Red),
        }
    }

    pub fn method(&self, method: Method) -> Style {
        let color = match method {
            Method::Get => Color::Green,
            Method::Post => Color::Yellow,
            Method::Patch => Color::Magenta,
            Method::Put => Color::Blue,
            Method::Delete => Color::LightRed,
        };
        self.fg(color).add_modifier(Modifier::BOLD)
    }

    pub fn status(&self, status: u16) -> Style {
        let color = match status {
            200..=299 => Color::Green,
            300..=399 => Color::Cyan,
            400..=499 => Color::Yellow,
            _ => Color::LightRed,
        };
        self.fg(color).add_modifier(Modifier::BOLD)
    }

    /// A syntect colour as a terminal colour (foreground only: the terminal keeps its background).
    pub fn syntax(&self, style: syntect::highlighting::Style) -> Style {
        if !self.colour {
            return Style::new();
        }
        let c = style.foreground;
        Style::new().fg(Color::Rgb(c.r, c.g, c.b))
    }
}
