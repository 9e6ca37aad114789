//! Folding: a view over a JSON document's line index in which chosen containers show as one
//! row (`"invoiceLines": [… 3 items],`). Nothing is re-parsed or re-highlighted: a fold is
//! the line that opens a container, and its closing line is found on the depths the index
//! already keeps. The rows the view leaves are kept as a short list of the folds that show
//! (a fold inside another one is remembered but hidden), so a row is turned into its line by
//! a binary search, and a toggle costs one pass over the lines the changed folds cover.

use std::ops::Range;

use super::Document;

/// A container shown as one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    /// The line that opens it (`"data": [`).
    pub line: usize,
    /// The line that closes it (`],`).
    pub close: usize,
    /// Its members (keys of an object, items of an array).
    pub members: usize,
    /// Whether it is an object.
    pub object: bool,
    /// The row it shows on.
    row: usize,
    /// Lines hidden by this fold and every fold before it.
    hidden: usize,
}

impl Fold {
    /// What stands for the hidden lines: `… 3 items` or `… 1 key`.
    pub fn summary(&self) -> String {
        let (one, many) = if self.object {
            ("key", "keys")
        } else {
            ("item", "items")
        };
        let noun = if self.members == 1 { one } else { many };
        format!("… {} {noun}", super::thousands(self.members as u64))
    }
}

/// The folds of one document. Empty: every line is a row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folds {
    /// Every folded opener, sorted, including folds hidden inside other folds.
    folded: Vec<usize>,
    /// The folds that show, in line order.
    shown: Vec<Fold>,
    /// Counts changes, so a view can tell that its rows moved.
    generation: u64,
}

impl Folds {
    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// A number that changes whenever the rows do.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Rows in the view of `doc`.
    pub fn rows(&self, doc: &Document) -> usize {
        doc.line_count() - self.shown.last().map_or(0, |f| f.hidden)
    }

    /// The fold showing on row `row`, if that row is one.
    pub fn fold_at_row(&self, row: usize) -> Option<&Fold> {
        let i = self.shown.partition_point(|f| f.row <= row);
        self.shown[..i].last().filter(|f| f.row == row)
    }

    /// The line on row `row`.
    pub fn line_of_row(&self, row: usize) -> usize {
        let i = self.shown.partition_point(|f| f.row <= row);
        match self.shown[..i].last() {
            None => row,
            Some(f) if f.row == row => f.line,
            Some(f) => row + f.hidden,
        }
    }

    /// The row line `line` shows on: a hidden line shows as its outermost fold's row.
    pub fn row_of_line(&self, line: usize) -> usize {
        let i = self.shown.partition_point(|f| f.line <= line);
        match self.shown[..i].last() {
            None => line,
            Some(f) if line <= f.close => f.row,
            Some(f) => line - f.hidden,
        }
    }

    /// Whether `line` opens a folded container.
    pub fn is_folded(&self, line: usize) -> bool {
        self.folded.binary_search(&line).is_ok()
    }

    /// Folds the container `line` opens, or unfolds it when it is folded. False (and nothing
    /// changes) when the line opens no container that spans lines. Only the folds the change
    /// covers are worked out again, so a toggle among 30,000 folds costs the lines it hides
    /// or shows, not a pass over the whole body.
    pub fn toggle(&mut self, doc: &Document, line: usize) -> bool {
        self.generation += 1;
        let at = self.shown.partition_point(|f| f.line < line);
        match self.folded.binary_search(&line) {
            Ok(i) => {
                self.folded.remove(i);
                if self.shown.get(at).is_some_and(|f| f.line == line) {
                    // The folds kept inside it show again.
                    let fold = self.shown.remove(at);
                    let inner = self.shown_in(doc, line + 1..fold.close + 1);
                    self.shown.splice(at..at, inner);
                    self.renumber();
                }
            }
            Err(i) => {
                if !opens(doc, line) {
                    return false;
                }
                let hidden = at
                    .checked_sub(1)
                    .is_some_and(|p| line <= self.shown[p].close);
                if !hidden {
                    // A container that never closes (a cut body) does not fold.
                    let Some(fold) = fold_at(doc, line) else {
                        return false;
                    };
                    let inside = self.shown[at..].partition_point(|f| f.line <= fold.close);
                    self.shown.splice(at..at + inside, [fold]);
                    self.renumber();
                }
                self.folded.insert(i, line);
            }
        }
        true
    }

    /// Unfolds whatever hides `line`, so that it shows on a row of its own.
    pub fn reveal(&mut self, doc: &Document, line: usize) {
        // The folds that show do not overlap: at most one hides the line. Opening it can
        // uncover a fold inside it that hides the line too, hence the loop.
        loop {
            let i = self.shown.partition_point(|f| f.line < line);
            let Some(hiding) = self.shown[..i].last().filter(|f| line <= f.close) else {
                return;
            };
            let open = hiding.line;
            self.toggle(doc, open);
        }
    }

    /// `zM`: folds every container below the top level.
    pub fn fold_all(&mut self, doc: &Document) {
        self.generation += 1;
        self.folded = (0..doc.line_count())
            .filter(|&i| doc.depths[i] >= 1 && opens(doc, i))
            .collect();
        self.shown = self.shown_in(doc, 0..doc.line_count());
        self.renumber();
    }

    /// `zR`: unfolds everything.
    pub fn unfold_all(&mut self) {
        self.folded.clear();
        self.shown.clear();
        self.generation += 1;
    }

    /// The folds that show among the folded openers in `lines` (outermost only); openers that
    /// never close are dropped from the folds.
    fn shown_in(&mut self, doc: &Document, lines: Range<usize>) -> Vec<Fold> {
        let from = self.folded.partition_point(|&l| l < lines.start);
        let to = self.folded.partition_point(|&l| l < lines.end);
        let mut shown: Vec<Fold> = Vec::new();
        let mut never_close = Vec::new();
        for &line in &self.folded[from..to] {
            if shown.last().is_some_and(|f| line <= f.close) {
                continue;
            }
            match fold_at(doc, line) {
                Some(fold) => shown.push(fold),
                None => never_close.push(line),
            }
        }
        self.folded.retain(|l| !never_close.contains(l));
        shown
    }

    /// Sets each fold's row and the lines hidden up to it, in line order.
    fn renumber(&mut self) {
        let mut hidden = 0;
        for fold in &mut self.shown {
            fold.row = fold.line - hidden;
            hidden += fold.close - fold.line;
            fold.hidden = hidden;
        }
    }
}

/// The fold of the container line `open` opens, rows not yet numbered.
fn fold_at(doc: &Document, open: usize) -> Option<Fold> {
    let (close, members) = closing_line(doc, open)?;
    Some(Fold {
        line: open,
        close,
        members,
        object: doc.body[doc.span(open).1 - 1] == b'{',
        row: 0,
        hidden: 0,
    })
}

/// Whether line `i` ends by opening a container (so the container spans lines).
pub(super) fn opens(doc: &Document, i: usize) -> bool {
    // The JSON lines: all of a JSON body, those before the error of a broken one.
    if i >= doc.json_lines {
        return false;
    }
    let (start, end) = doc.span(i);
    end > start && matches!(doc.body[end - 1], b'{' | b'[')
}

/// Whether line `i` starts by closing a container.
pub(super) fn closes(doc: &Document, i: usize) -> bool {
    matches!(doc.body.get(doc.starts[i] as usize), Some(b'}' | b']'))
}

/// The line that closes the container line `open` opens, and the container's member count.
pub fn closing_line(doc: &Document, open: usize) -> Option<(usize, usize)> {
    if !opens(doc, open) {
        return None;
    }
    let depth = doc.depths[open];
    // Every line inside is deeper: the first that is not closes it. Tight passes over the
    // depths (the search, then the count of members) run at memory speed on a 65 MB body.
    let inside = &doc.depths[open + 1..];
    let len = inside.iter().position(|&d| d <= depth)?;
    let close = open + 1 + len;
    if close >= doc.json_lines || doc.depths[close] != depth || !closes(doc, close) {
        return None;
    }
    // Its members are its lines one level down, less the closing lines of the members that
    // span lines (each opens with a line followed by a deeper one).
    let inside = &inside[..len];
    let lines = inside.iter().filter(|&&d| d == depth + 1).count();
    let spanning = inside
        .windows(2)
        .filter(|w| w[0] == depth + 1 && w[1] > depth + 1)
        .count();
    Some((close, lines - spanning))
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    fn doc(s: &str) -> Document {
        Document::new(Bytes::from(s.to_string()), true)
    }

    const BODY: &str = r#"{"a":[1,2,{"b":{"c":1}}],"d":{"e":[]},"f":3}"#;
    //  0 {
    //  1   "a": [
    //  2     1,
    //  3     2,
    //  4     {
    //  5       "b": {
    //  6         "c": 1
    //  7       }
    //  8     }
    //  9   ],
    // 10   "d": {
    // 11     "e": []
    // 12   },
    // 13   "f": 3
    // 14 }

    fn rows(folds: &Folds, d: &Document) -> Vec<usize> {
        (0..folds.rows(d)).map(|r| folds.line_of_row(r)).collect()
    }

    #[test]
    fn a_fold_hides_its_lines_and_counts_its_members() {
        let d = doc(BODY);
        assert_eq!(d.line_count(), 15);
        let mut f = Folds::default();
        assert!(f.toggle(&d, 1));
        assert_eq!(rows(&f, &d), [0, 1, 10, 11, 12, 13, 14]);
        let fold = *f.fold_at_row(1).unwrap();
        assert_eq!((fold.close, fold.members, fold.object), (9, 3, false));
        assert_eq!(fold.summary(), "… 3 items");
        assert_eq!(f.row_of_line(5), 1, "a hidden line shows as its fold");
        assert_eq!(f.row_of_line(10), 2);
        assert!(f.toggle(&d, 10));
        assert_eq!(f.fold_at_row(2).unwrap().summary(), "… 1 key");
        assert_eq!(rows(&f, &d), [0, 1, 10, 13, 14]);
        assert!(f.toggle(&d, 1), "again unfolds");
        assert_eq!(rows(&f, &d), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14]);
    }

    #[test]
    fn only_openers_fold() {
        let d = doc(BODY);
        let mut f = Folds::default();
        for line in [2, 6, 7, 9, 11, 13, 14] {
            assert!(!f.toggle(&d, line), "line {line}");
        }
        assert!(f.is_empty());
        let text = Document::new(Bytes::from_static(b"{\n[\n"), false);
        assert!(!f.toggle(&text, 0));
    }

    #[test]
    fn a_fold_inside_a_fold_is_kept_for_when_the_outer_one_opens() {
        let d = doc(BODY);
        let mut f = Folds::default();
        f.toggle(&d, 5);
        f.toggle(&d, 1);
        assert_eq!(rows(&f, &d), [0, 1, 10, 11, 12, 13, 14]);
        f.toggle(&d, 1);
        assert_eq!(rows(&f, &d), [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14]);
    }

    #[test]
    fn fold_all_keeps_the_top_level_open_and_reveal_opens_the_way() {
        let d = doc(BODY);
        let mut f = Folds::default();
        f.fold_all(&d);
        assert_eq!(rows(&f, &d), [0, 1, 10, 13, 14]);
        f.reveal(&d, 6);
        assert_eq!(rows(&f, &d), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14]);
        assert!(f.is_folded(10));
        f.unfold_all();
        assert_eq!(f.rows(&d), 15);
    }

    #[test]
    fn a_cut_body_folds_what_closes_before_the_error() {
        let d = doc(r#"{"a":[1,2],"b":{"c":"#);
        let lines: Vec<String> = (0..d.line_count()).map(|i| d.line(i)).collect();
        assert_eq!(lines[1], "  \"a\": [", "{lines:?}");
        let mut f = Folds::default();
        assert!(f.toggle(&d, 1), "the list closes before the cut");
        assert_eq!(f.fold_at_row(1).unwrap().summary(), "… 2 items");
        let open = (0..d.line_count()).find(|&i| d.line(i).ends_with("\"b\": {"));
        let open = open.expect("the cut object's line");
        assert!(!f.toggle(&d, open), "it never closes");
        let path = crate::pretty::path::path_of(&d, 2).unwrap().to_string();
        assert_eq!(path, ".a[0]");
    }

    /// The rows as a plain walk over the lines gives them: a folded opener that closes is
    /// one row and its lines are skipped.
    fn model_rows(d: &Document, folded: &std::collections::BTreeSet<usize>) -> Vec<usize> {
        let mut rows = Vec::new();
        let mut i = 0;
        while i < d.line_count() {
            rows.push(i);
            i = match closing_line(d, i) {
                Some((close, _)) if folded.contains(&i) => close + 1,
                _ => i + 1,
            };
        }
        rows
    }

    proptest::proptest! {
        /// Any sequence of toggles, z M, z R and reveals leaves the rows a plain walk gives.
        #[test]
        fn toggles_keep_the_rows_of_a_plain_walk(
            ops in proptest::collection::vec((0u8..8, 0usize..40), 1..40)
        ) {
            let d = doc(r#"{"a":[1,{"b":[2,3,{"c":{}}],"d":{"e":[4]}}],"f":{"g":[5,6],"h":{"i":7}},"j":[[8],[9,[10]]]}"#);
            let n = d.line_count();
            let mut folds = Folds::default();
            let mut model = std::collections::BTreeSet::new();
            for (op, at) in ops {
                let line = at % n;
                match op {
                    0 => {
                        folds.fold_all(&d);
                        model = (0..n).filter(|&i| d.depths[i] >= 1 && opens(&d, i)).collect();
                    }
                    1 => {
                        folds.unfold_all();
                        model.clear();
                    }
                    2 => {
                        folds.reveal(&d, line);
                        // Open every folded container that holds the line.
                        model.retain(|&o| !closing_line(&d, o).is_some_and(|(c, _)| o < line && line <= c));
                    }
                    _ => {
                        if folds.toggle(&d, line) && !model.remove(&line) {
                            model.insert(line);
                        }
                    }
                }
                let rows: Vec<usize> = (0..folds.rows(&d)).map(|r| folds.line_of_row(r)).collect();
                proptest::prop_assert_eq!(&rows, &model_rows(&d, &model));
                for (r, l) in rows.iter().enumerate() {
                    proptest::prop_assert_eq!(folds.row_of_line(*l), r);
                }
            }
        }
    }
}
