//! Find in the response viewer (`/`, `n`, `N`): the find line, the current match, and the
//! count. The first match is looked for on the UI thread a bounded stretch at a time; the
//! count (and with it the place of every match) comes from a background task that a newer
//! search cancels, and whose stale result is dropped by id.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{ResponseEvent, ResponsePane, ResponseTab, header_lines, request_lines};
use crate::pretty::Document;
use crate::pretty::find::{Hit, Lines, MatchIndex, Matcher, find_forward, index_matches};
use crate::tui::input::{InputOutcome, LineInput};
use crate::tui::theme::Theme;

/// Bytes of lines read on the UI thread per key while looking for the next match (a few
/// milliseconds); further than that, the count finds it.
pub const BUDGET: usize = 2 << 20;

/// A search in one tab. Headers and the request are short: counted at once, on the key.
#[derive(Debug)]
pub struct Find {
    pub query: String,
    /// The find line, while it is open.
    pub input: Option<LineInput>,
    /// The search's id: a count for another one is stale.
    pub id: u64,
    pub matcher: Option<Matcher>,
    /// The tab searched.
    pub tab: ResponseTab,
    /// Where the view was when `/` was pressed: the search starts there; Esc goes back.
    pub origin: (usize, usize),
    pub current: Option<Hit>,
    /// Every match, once counted.
    pub index: Option<Arc<MatchIndex>>,
    /// Set to stop the count of this search.
    pub cancel: Arc<AtomicBool>,
}

/// A count to start in the background.
#[derive(Debug)]
pub struct CountRequest {
    pub id: u64,
    pub matcher: Matcher,
    pub cancel: Arc<AtomicBool>,
}

/// What a key in the find line did.
#[derive(Debug, PartialEq, Eq)]
pub enum FindKey {
    /// The query changed: search again.
    Changed,
    /// Enter: the line closes, the search stays.
    Kept,
    /// Esc: the search is over.
    Cleared,
    Edited,
}

impl Find {
    pub fn new(id: u64, tab: ResponseTab, origin: (usize, usize)) -> Self {
        Self {
            query: String::new(),
            input: Some(LineInput::new("", false)),
            id,
            matcher: None,
            tab,
            origin,
            current: None,
            index: None,
            cancel: Arc::default(),
        }
    }

    pub fn is_editing(&self) -> bool {
        self.input.is_some()
    }

    /// A key typed in the find line.
    pub fn key(&mut self, key: KeyEvent) -> FindKey {
        let Some(input) = &mut self.input else {
            return FindKey::Edited;
        };
        match input.handle(key) {
            InputOutcome::Submit(_) => {
                self.input = None;
                FindKey::Kept
            }
            InputOutcome::Cancel => FindKey::Cleared,
            InputOutcome::Edited => self.take_text(),
        }
    }

    pub fn paste(&mut self, text: &str) -> FindKey {
        match &mut self.input {
            Some(input) => {
                input.paste(text);
                self.take_text()
            }
            None => FindKey::Edited,
        }
    }

    fn take_text(&mut self) -> FindKey {
        let text = self.input.as_ref().map_or("", |i| i.text());
        if text == self.query {
            return FindKey::Edited;
        }
        self.query = text.to_string();
        FindKey::Changed
    }

    /// Stops this search's count (the search is replaced or over).
    pub fn stop(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Searches `lines` again for the query, as search `id`, from the origin: the first match
    /// at or below it within the budget. A short text is counted here; for a long one the
    /// count to start is returned.
    pub fn research<L: Lines + ?Sized>(
        &mut self,
        id: u64,
        lines: &L,
        short: bool,
    ) -> Option<CountRequest> {
        self.stop();
        self.id = id;
        self.cancel = Arc::default();
        self.index = None;
        self.matcher = Matcher::new(&self.query);
        let matcher = self.matcher.clone()?;
        self.current = find_forward(lines, &matcher, self.origin.0, None, BUDGET);
        if short {
            self.counted(
                index_matches(lines, &matcher, &self.cancel).map(Arc::new),
                lines,
            );
            return None;
        }
        Some(CountRequest {
            id,
            matcher,
            cancel: self.cancel.clone(),
        })
    }

    /// The count arrived: when nothing was found near the origin, the first match at or
    /// below it (or from the top) becomes the current one.
    pub fn counted<L: Lines + ?Sized>(&mut self, index: Option<Arc<MatchIndex>>, lines: &L) {
        self.index = index;
        if self.current.is_none()
            && let (Some(index), Some(matcher)) = (&self.index, &self.matcher)
            && let Some(line) = index.line_from(self.origin.0)
        {
            self.current = find_forward(lines, matcher, line, None, usize::MAX);
        }
    }

    /// `n` / `N`: the next or previous match from the current one (or the origin). With the
    /// count in, it jumps straight to the line; before, it reads forward within the budget.
    /// False when there was nowhere to go.
    pub fn step<L: Lines + ?Sized>(&mut self, lines: &L, forward: bool) -> bool {
        let Some(matcher) = &self.matcher else {
            return false;
        };
        let (line, col) = match &self.current {
            Some(hit) => (hit.line, Some(hit.cols.start)),
            None => (self.origin.0, None),
        };
        let on_line: Vec<(usize, Range<usize>)> = matcher
            .find(&lines.text(line))
            .into_iter()
            .enumerate()
            .collect();
        let here = if forward {
            on_line
                .into_iter()
                .find(|(_, r)| col.is_none_or(|c| r.start > c))
        } else {
            on_line
                .into_iter()
                .rev()
                .find(|(_, r)| col.is_some_and(|c| r.start < c))
        };
        let next = match (here, &self.index) {
            (Some((nth, cols)), _) => Some(Hit { line, cols, nth }),
            (None, Some(index)) => index.next_line(line, forward).and_then(|l| {
                let all = matcher.find(&lines.text(l));
                let nth = if forward {
                    0
                } else {
                    all.len().checked_sub(1)?
                };
                all.get(nth).map(|cols| Hit {
                    line: l,
                    cols: cols.clone(),
                    nth,
                })
            }),
            (None, None) if forward => find_forward(lines, matcher, line + 1, None, BUDGET),
            (None, None) => None,
        };
        match next {
            Some(hit) => {
                self.current = Some(hit);
                true
            }
            None => false,
        }
    }

    /// `3 of 1,204`, `no match`, `counting…`; empty with no query.
    pub fn summary(&self) -> String {
        if self.matcher.is_none() {
            return String::new();
        }
        match (&self.index, &self.current) {
            (Some(index), _) if index.total() == 0 => "no match".into(),
            (Some(index), Some(hit)) => {
                let place = index.ordinal(hit.line, hit.nth).unwrap_or(0);
                format!("{} of {}", thousands(place), thousands(index.total()))
            }
            (Some(index), None) => format!("{} matches", thousands(index.total())),
            (None, _) => "counting…".into(),
        }
    }

    /// The matches among columns `cols` of a line whose text there is `window` (which starts
    /// at column `from`), as columns of the line.
    pub fn in_window(&self, window: &str, from: usize, cols: &Range<usize>) -> Vec<Range<usize>> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        matcher
            .find(window)
            .into_iter()
            .map(|r| r.start + from..r.end + from)
            .filter(|r| r.end > cols.start && r.start < cols.end)
            .collect()
    }
}

pub use crate::pretty::thousands;

/// The text searched in a tab: the body's document, or the lines of the headers or the
/// request as shown.
enum Source {
    Doc(Arc<Document>),
    Texts(Vec<String>),
}

impl Source {
    fn lines(&self) -> &dyn Lines {
        match self {
            Source::Doc(doc) => doc.as_ref(),
            Source::Texts(texts) => texts,
        }
    }
}

impl ResponsePane {
    /// The find line or the filter line is open.
    pub fn is_editing(&self) -> bool {
        self.jq_line.is_some() || self.find.as_ref().is_some_and(Find::is_editing)
    }

    fn source(&self, tab: ResponseTab) -> Source {
        let theme = Theme::mono();
        let texts = |lines: Vec<Line<'_>>| lines.iter().map(ToString::to_string).collect();
        match (self.shown(), tab) {
            (Some(_), ResponseTab::Body) => match self.doc() {
                Some(doc) => Source::Doc(doc),
                None => Source::Texts(Vec::new()),
            },
            (Some(s), ResponseTab::Headers) => {
                Source::Texts(texts(header_lines(s, &self.schema, &theme)))
            }
            (Some(s), ResponseTab::Request) => Source::Texts(texts(request_lines(s, &theme))),
            (None, _) => Source::Texts(Vec::new()),
        }
    }

    /// `/`: opens the find line; the search starts from the view as it is. Not while the
    /// body is still being indexed.
    pub(super) fn open_find(&mut self) {
        let indexing = self.tab == ResponseTab::Body && self.doc().is_none();
        if self.shown().is_none() || indexing {
            return;
        }
        self.end_find();
        self.find = Some(Find::new(0, self.tab, (self.scroll, self.hscroll)));
    }

    /// Ends the search (its count stops); the view stays where it is.
    pub(super) fn end_find(&mut self) {
        if let Some(find) = self.find.take() {
            find.stop();
        }
    }

    /// A key typed while the find line is open.
    pub fn find_key(&mut self, key: KeyEvent) -> ResponseEvent {
        let Some(find) = &mut self.find else {
            return ResponseEvent::Ignored;
        };
        match find.key(key) {
            FindKey::Changed => self.search_again(),
            FindKey::Kept if find.matcher.is_none() => {
                self.end_find();
                ResponseEvent::Handled
            }
            FindKey::Kept | FindKey::Edited => ResponseEvent::Handled,
            FindKey::Cleared => {
                (self.scroll, self.hscroll) = find.origin;
                self.end_find();
                ResponseEvent::Handled
            }
        }
    }

    /// Pasted text goes into the filter line or the find line when it is open.
    pub fn paste(&mut self, text: &str) -> ResponseEvent {
        if self.jq_line.is_some() {
            self.jq_paste(text);
            return ResponseEvent::Handled;
        }
        let changed = match &mut self.find {
            Some(find) if find.is_editing() => find.paste(text) == FindKey::Changed,
            _ => false,
        };
        if changed {
            self.search_again()
        } else {
            ResponseEvent::Ignored
        }
    }

    /// The query changed: a new search from the origin, the old one's count stopped.
    fn search_again(&mut self) -> ResponseEvent {
        let Some(mut find) = self.find.take() else {
            return ResponseEvent::Ignored;
        };
        self.find_seq += 1;
        let source = self.source(find.tab);
        let short = matches!(source, Source::Texts(_));
        let count = find.research(self.find_seq, source.lines(), short);
        (self.scroll, self.hscroll) = find.origin;
        self.find = Some(find);
        self.reveal();
        count.map_or(ResponseEvent::Handled, ResponseEvent::Count)
    }

    /// `n` / `N`.
    pub(super) fn find_step(&mut self, forward: bool) {
        let Some(mut find) = self.find.take() else {
            return;
        };
        let source = self.source(find.tab);
        find.step(source.lines(), forward);
        self.find = Some(find);
        self.reveal();
    }

    /// The count of search `id` arrived; false when it is stale.
    pub fn counted(&mut self, id: u64, index: Option<Arc<MatchIndex>>) -> bool {
        let Some(mut find) = self.find.take_if(|f| f.id == id && index.is_some()) else {
            return false;
        };
        let had = find.current.is_some();
        let source = self.source(find.tab);
        find.counted(index, source.lines());
        self.find = Some(find);
        if !had {
            self.reveal();
        }
        true
    }

    /// Scrolls the current match to the middle of the view, and sideways into it.
    fn reveal(&mut self) {
        let Some(hit) = self.find.as_ref().and_then(|f| f.current.clone()) else {
            return;
        };
        let row = if self.tab == ResponseTab::Body {
            self.show_line(hit.line);
            self.cursor_row()
        } else {
            hit.line
        };
        let max = self.line_count().saturating_sub(1);
        self.scroll = row.saturating_sub(self.viewport / 2).min(max);
        let width = self.columns.max(1);
        if hit.cols.start < self.hscroll || hit.cols.end > self.hscroll + width {
            self.hscroll = if hit.cols.end <= width {
                0
            } else {
                hit.cols.start.saturating_sub(width / 3)
            };
        }
    }

    /// `/query 3 of 1,204` for the pane's title; empty with no search.
    pub fn find_title(&self) -> String {
        match &self.find {
            Some(f) if !f.query.is_empty() => {
                let summary = f.summary();
                format!("/{} {summary} ", f.query)
            }
            _ => String::new(),
        }
    }

    /// The find line while it is open.
    pub(super) fn render_find_line(&self, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
        let Some(input) = self.find.as_ref().and_then(|f| f.input.as_ref()) else {
            return;
        };
        let [slash, text] =
            Layout::horizontal([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        frame.render_widget(Paragraph::new(Span::styled("/", theme.key())), slash);
        input.render(frame, text, theme);
    }

    /// Marks the matches in the visible `lines` (each a gutter span, then the text from
    /// column `hscroll`; after `skip` note rows, row `r` shows line `rows[r]`).
    pub(super) fn mark_matches(
        &self,
        lines: &mut [Line<'static>],
        rows: &[usize],
        skip: usize,
        theme: &Theme,
    ) {
        let Some(find) = self
            .find
            .as_ref()
            .filter(|f| f.matcher.is_some() && f.tab == self.tab)
        else {
            return;
        };
        let shown = self.hscroll..self.hscroll + self.columns;
        let reach = find.matcher.as_ref().map_or(0, |m| m.chars()) - 1;
        let source = self.source(self.tab);
        for (line, &i) in lines.iter_mut().skip(skip).zip(rows) {
            let hits = match &source {
                // Only the columns around the visible ones: a line can be 43 MB long.
                Source::Doc(doc) => {
                    let from = shown.start.saturating_sub(reach);
                    let window = doc.columns(i, from..shown.end + reach);
                    find.in_window(&window, from, &shown)
                }
                Source::Texts(texts) => {
                    find.in_window(texts.get(i).map_or("", String::as_str), 0, &shown)
                }
            };
            if hits.is_empty() {
                continue;
            }
            let current = find
                .current
                .as_ref()
                .filter(|h| h.line == i)
                .map(|h| h.cols.clone());
            let marks: Vec<(Range<usize>, Style)> = hits
                .into_iter()
                .map(|r| {
                    let style = if Some(&r) == current.as_ref() {
                        theme.find_current()
                    } else {
                        theme.find_match()
                    };
                    (
                        r.start.saturating_sub(self.hscroll)..r.end - self.hscroll,
                        style,
                    )
                })
                .collect();
            *line = mark(std::mem::take(line), &marks);
        }
    }
}

/// Patches `marks` (columns of the text after the gutter) onto `line`'s styles.
fn mark(line: Line<'static>, marks: &[(Range<usize>, Style)]) -> Line<'static> {
    let line_style = line.style;
    let mut spans = line.spans.into_iter();
    let Some(gutter) = spans.next() else {
        return Line::default();
    };
    let mut out = vec![gutter];
    let mut col = 0;
    for span in spans {
        let mut run = String::new();
        let mut run_style = None;
        for c in span.content.chars() {
            let style = marks
                .iter()
                .find(|(r, _)| r.contains(&col))
                .map_or(span.style, |(_, m)| span.style.patch(*m));
            if run_style.is_some_and(|s| s != style) {
                out.push(Span::styled(
                    std::mem::take(&mut run),
                    run_style.unwrap_or_default(),
                ));
            }
            run_style = Some(style);
            run.push(c);
            col += 1;
        }
        if let Some(style) = run_style {
            out.push(Span::styled(run, style));
        }
    }
    Line::from(out).style(line_style)
}
