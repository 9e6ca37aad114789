//! Drawing the catalogue: the filter line, the rows (saved requests, flows, operations by
//! tag) and two lines about the selected row.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use super::{CatalogPane, Row, StepMark};
use crate::sanitize;
use crate::tui::theme::Theme;
use crate::younium::catalog::V3_TAG;

impl CatalogPane {
    pub fn render(
        &mut self,
        frame: &mut Frame<'_>,
        area: Rect,
        block: Block<'_>,
        focused: bool,
        theme: &Theme,
    ) {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [filter_area, list_area, detail_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(2),
        ])
        .areas(inner);
        match &self.filtering {
            Some(input) => {
                frame.render_widget(Paragraph::new(Span::styled("/", theme.key())), filter_area);
                let rect = Rect {
                    x: filter_area.x + 1,
                    width: filter_area.width.saturating_sub(1),
                    ..filter_area
                };
                input.render(frame, rect, theme);
            }
            None if self.filter.is_empty() => frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("/", theme.key()),
                    Span::styled(
                        format!(" filter {} operations", self.catalog.operations.len()),
                        theme.dim(),
                    ),
                ])),
                filter_area,
            ),
            None => frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("/", theme.key()),
                    Span::raw(self.filter.clone()),
                    Span::styled(format!("  {} match", self.match_count()), theme.dim()),
                ])),
                filter_area,
            ),
        }
        if self.rows.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "No operation matches; Esc clears the filter.",
                    theme.dim(),
                )),
                list_area,
            );
        } else {
            // Only the visible rows become list items.
            let height = list_area.height.max(1) as usize;
            self.offset = visible_offset(self.offset, self.selected, height, &self.rows);
            let end = (self.offset + height).min(self.rows.len());
            let items: Vec<ListItem<'_>> = self.rows[self.offset..end]
                .iter()
                .map(|row| ListItem::new(self.row_line(*row, theme)))
                .collect();
            let mut state = ListState::default().with_selected(Some(self.selected - self.offset));
            let list = List::new(items).highlight_style(if focused {
                theme.selected()
            } else {
                theme.text()
            });
            frame.render_stateful_widget(list, list_area, &mut state);
        }
        frame.render_widget(Paragraph::new(self.detail_lines(theme)), detail_area);
    }

    /// The line of one row.
    fn row_line(&self, row: Row, theme: &Theme) -> Line<'static> {
        let method =
            |m: crate::younium::Method| Span::styled(format!("{:<7}", m.as_str()), theme.method(m));
        let one_line = |text: &str| sanitize::one_line(text).into_owned();
        match row {
            Row::SavedHeading => Line::styled("Saved", theme.title()),
            Row::FlowsHeading => Line::styled("Flows", theme.title()),
            Row::Saved(i) => {
                let request = &self.saved[i].request;
                Line::from(vec![
                    Span::raw("  "),
                    method(request.method),
                    Span::raw(one_line(&request.name)),
                    Span::raw("  "),
                    Span::styled(one_line(&request.path), theme.dim()),
                ])
            }
            Row::Flow(i) => {
                let flow = &self.flows[i];
                let open = if self.open.contains(&i) {
                    "▾ "
                } else {
                    "▸ "
                };
                let about = match &flow.error {
                    Some(_) => Span::styled("  cannot be read", theme.bad()),
                    None => Span::styled(format!("  {} steps", flow.steps.len()), theme.dim()),
                };
                Line::from(vec![
                    Span::raw(format!("  {open}")),
                    Span::raw(one_line(&flow.name)),
                    about,
                ])
            }
            Row::Step(i, j) => {
                let step = &self.flows[i].steps[j];
                let (sign, style) = match &step.mark {
                    Some(mark @ StepMark::Passed(_)) => (mark.sign(), theme.good()),
                    Some(mark @ StepMark::Failed(_)) => (mark.sign(), theme.bad()),
                    Some(mark) => (mark.sign(), theme.warn()),
                    None => (" ", theme.dim()),
                };
                Line::from(vec![
                    Span::raw("    "),
                    Span::styled(format!("{sign} "), style),
                    method(step.method),
                    Span::raw(one_line(&step.name)),
                ])
            }
            Row::Tag(t) if self.tags[t] == V3_TAG => Line::from(vec![
                Span::styled(self.tags[t].to_string(), theme.title()),
                Span::styled("  partly guessed", theme.warn()),
            ]),
            Row::Tag(t) => Line::styled(self.tags[t].to_string(), theme.title()),
            Row::Op(i) => {
                let op = &self.catalog.operations[i];
                let mut spans = vec![
                    Span::raw("  "),
                    method(op.method),
                    Span::raw(op.path.clone()),
                ];
                if op.is_partly_guessed() {
                    spans.push(Span::styled(" ?", theme.warn()));
                }
                Line::from(spans)
            }
        }
    }

    /// The two lines under the list, about the selected row.
    fn detail_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        if let Some((flow, step)) = self.selected_flow() {
            return self.flow_lines(flow, step, theme);
        }
        if let Some(entry) = self.selected_saved() {
            let whose = match &entry.profile {
                Some(p) => format!("saved with profile {}", sanitize::one_line(p)),
                None => "saved for every profile".into(),
            };
            let query = entry.request.query.iter().filter(|q| q.enabled).count();
            let mut facts = vec![Span::styled(whose, theme.dim())];
            if query > 0 {
                facts.push(Span::styled(format!("  {query} query"), theme.dim()));
            }
            if entry.request.body.is_some() {
                facts.push(Span::styled("  JSON body", theme.dim()));
            }
            return vec![
                Line::from(facts),
                Line::styled("Enter loads it into the request", theme.dim()),
            ];
        }
        let Some(op) = self.selected_operation() else {
            return Vec::new();
        };
        let mut facts = vec![];
        if let Some(p) = &op.permission {
            facts.push(Span::styled("needs ", theme.dim()));
            facts.push(Span::styled(p.clone(), theme.warn()));
            facts.push(Span::raw("  "));
        }
        if op.is_paged() {
            facts.push(Span::styled("paged  ", theme.dim()));
        } else if op.is_cursor_paged() {
            facts.push(Span::styled("v3 paged by nextPage  ", theme.dim()));
        }
        if op.body.is_some() {
            facts.push(Span::styled("JSON body  ", theme.dim()));
        }
        let codes: Vec<String> = op.success.iter().map(u16::to_string).collect();
        facts.push(Span::styled(codes.join("/"), theme.dim()));
        let second = if op.is_partly_guessed() {
            vec![
                Span::styled("Enter loads it  ", theme.dim()),
                Span::styled("? partly guessed endpoint", theme.warn()),
            ]
        } else {
            vec![Span::styled("Enter loads it into the request", theme.dim())]
        };
        vec![Line::from(facts), Line::from(second)]
    }

    /// About a flow (its file, or why it cannot be read) or one of its steps (its path and
    /// how it last went).
    fn flow_lines(&self, flow: usize, step: Option<usize>, theme: &Theme) -> Vec<Line<'static>> {
        let item = &self.flows[flow];
        let one_line = |text: &str| sanitize::one_line(text).into_owned();
        if let Some(error) = &item.error {
            return vec![Line::styled(one_line(error), theme.bad())];
        }
        let Some(step) = step.and_then(|j| item.steps.get(j)) else {
            return vec![
                Line::styled(one_line(&item.file), theme.dim()),
                Line::styled("Enter shows its steps · R runs it", theme.dim()),
            ];
        };
        let second = match &step.mark {
            Some(StepMark::Passed(what)) => {
                Line::styled(format!("✓ {}", one_line(what)), theme.good())
            }
            Some(StepMark::Failed(why)) => {
                Line::styled(format!("✗ {}", one_line(why)), theme.bad())
            }
            _ => Line::styled("Enter loads it · R runs the flow", theme.dim()),
        };
        vec![
            Line::from(vec![
                Span::styled(format!("{} ", step.method), theme.method(step.method)),
                Span::styled(one_line(&step.path), theme.dim()),
            ]),
            second,
        ]
    }
}

/// The first row to show so the selection is visible, with its tag heading when it is the
/// first operation of a group.
fn visible_offset(offset: usize, selected: usize, height: usize, rows: &[Row]) -> usize {
    let mut offset = if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    };
    if offset == selected && selected > 0 && rows[selected - 1].is_heading() {
        offset -= 1;
    }
    offset.min(rows.len().saturating_sub(1))
}
