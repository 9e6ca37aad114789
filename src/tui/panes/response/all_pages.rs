//! A run of "all pages" (`A`) as the Response pane shows it: a progress bar over the page it
//! started from, with pages and records done of their totals, the rate, the time left, and
//! the wait when the server asked for one (429).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::pretty::thousands;
use crate::tui::keymap::{Command, Keymap, Scope};
use crate::tui::theme::Theme;
use crate::younium::all_pages::{CapReached, Progress};
use crate::younium::{ApiRequest, ApiResponse};

/// Rows the bar takes at the top of the pane.
pub const BAR_HEIGHT: u16 = 2;

/// A run in progress.
#[derive(Debug)]
pub struct AllPagesRun {
    pub id: u64,
    /// The request of the page the run started from (as sent).
    pub request: ApiRequest,
    /// That page's answer: the merged records take its status line and request as sent.
    pub first: ApiResponse,
    /// `None` until the first report.
    pub progress: Option<Progress>,
    /// Esc was pressed: the pages in flight are dropped, the merged ones kept.
    pub stopping: bool,
    /// The run waits at its page cap for an answer (`A` asks it again).
    pub at_cap: Option<CapReached>,
}

impl AllPagesRun {
    /// Draws the bar in `area` (two rows).
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: &Theme, keymap: &Keymap) {
        let width = area.width as usize;
        let p = self.progress.as_ref();
        let fraction = p.and_then(|p| {
            let (done, total) = match p.records_total {
                Some(t) if t > 0 => (p.records_done, t),
                _ => (p.pages_done, p.pages_total?),
            };
            Some((done as f64 / total.max(1) as f64).clamp(0.0, 1.0))
        });
        let title = if self.stopping {
            "All pages: stopping… ".to_string()
        } else {
            "All pages ".to_string()
        };
        let bar_width = width
            .saturating_sub(title.chars().count() + 40)
            .clamp(4, 40);
        let filled = (fraction.unwrap_or(0.0) * bar_width as f64).round() as usize;
        let percent = fraction.map_or("  … ".to_string(), |f| {
            format!("{:>3}%", (f * 100.0) as u32)
        });
        let mut bar = vec![
            Span::styled(title, theme.title()),
            Span::styled("█".repeat(filled), theme.good()),
            Span::styled("░".repeat(bar_width - filled), theme.dim()),
            Span::raw(format!(" {percent}")),
        ];
        if let Some(cap) = self.at_cap.as_ref().filter(|_| !self.stopping) {
            bar.push(Span::styled(
                format!(
                    "   waiting at the {}-page cap: {} asks to go on, {} stops",
                    thousands(cap.cap),
                    keymap.hint_in(Scope::Response, Command::AllPages),
                    keymap.hint_in(Scope::Response, Command::Cancel)
                ),
                theme.warn(),
            ));
        } else if !self.stopping {
            bar.push(Span::styled(
                format!(
                    "   {} stops, keeping what arrived",
                    keymap.hint_in(Scope::Response, Command::Cancel)
                ),
                theme.dim(),
            ));
        }
        let bar = Line::from(bar);
        let mut details = vec![Span::raw(counts(p))];
        if let Some(p) = p {
            if let Some(rate) = p.rate() {
                details.push(Span::styled(
                    format!(" · {}/s", thousands(rate as u64)),
                    theme.dim(),
                ));
            }
            if let Some(wait) = p.waiting {
                details.push(Span::styled(
                    format!(" · the server asked to wait: {} s", wait.as_secs().max(1)),
                    theme.warn(),
                ));
            } else if let Some(left) = p.remaining() {
                details.push(Span::styled(
                    format!(" · {} left", duration(left)),
                    theme.dim(),
                ));
            }
            if p.retries > 0 {
                let retries = if p.retries == 1 { "retry" } else { "retries" };
                details.push(Span::styled(
                    format!(" · {} {retries}", p.retries),
                    theme.warn(),
                ));
            }
        }
        frame.render_widget(Paragraph::new(vec![bar, Line::from(details)]), area);
    }
}

/// `17/40 pages · 1,700/4,000 records`
fn counts(p: Option<&Progress>) -> String {
    let Some(p) = p else {
        return "starting…".into();
    };
    let of = |n: Option<u64>| n.map_or(String::new(), |n| format!("/{}", thousands(n)));
    format!(
        "{}{} pages · {}{} records",
        thousands(p.pages_done),
        of(p.pages_total),
        thousands(p.records_done),
        of(p.records_total)
    )
}

/// `42 s`, `3 min 5 s`.
fn duration(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    if secs < 60 {
        format!("{} s", secs.max(1))
    } else {
        format!("{} min {} s", secs / 60, secs % 60)
    }
}

/// The run as the app starts, steers and ends it; `id` says which run a report is about (a
/// report of a run that has ended changes nothing).
impl super::ResponsePane {
    pub fn all_pages(&self) -> Option<&AllPagesRun> {
        self.all_pages.as_ref()
    }

    pub fn begin_all_pages(&mut self, run: AllPagesRun) {
        self.all_pages = Some(run);
    }

    /// Esc: true when the run was going and now stops (the bar says so).
    pub fn stop_all_pages(&mut self) -> bool {
        match &mut self.all_pages {
            Some(run) if !run.stopping => {
                run.stopping = true;
                true
            }
            _ => false,
        }
    }

    pub fn all_pages_progress(&mut self, id: u64, progress: Progress) -> bool {
        self.run_mut(id)
            .map(|run| run.progress = Some(progress))
            .is_some()
    }

    /// Run `id` waits at its page cap (or, with `None`, goes on past it).
    pub fn all_pages_cap(&mut self, id: u64, cap: Option<CapReached>) -> bool {
        self.run_mut(id).map(|run| run.at_cap = cap).is_some()
    }

    /// Run `id` ended: the pane lets go of it and hands it back.
    pub fn end_all_pages(&mut self, id: u64) -> Option<AllPagesRun> {
        self.run_mut(id)?;
        self.all_pages.take()
    }

    /// Drops the run (a new request replaces the page it merges into).
    pub fn drop_all_pages(&mut self) -> bool {
        self.all_pages.take().is_some()
    }

    fn run_mut(&mut self, id: u64) -> Option<&mut AllPagesRun> {
        self.all_pages.as_mut().filter(|run| run.id == id)
    }
}
