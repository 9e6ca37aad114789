//! Finding text in lines as they are shown (a JSON body pretty-printed, so `"status": "Posted"`
//! is found with its space), with smart case: a query with no capital letter ignores case.
//!
//! Matches are counted and placed in characters (the columns [`Document::columns`] uses), and
//! do not overlap. Case is folded one character to one character (a character whose lower
//! case is longer stays as it is), so a column in the folded line is the same column in the
//! shown one.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Document;

/// What to look for, and whether case is ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matcher {
    needle: String,
    ignore_case: bool,
    chars: usize,
}

impl Matcher {
    /// `None` for an empty query. Smart case: all lower case ignores case.
    pub fn new(query: &str) -> Option<Matcher> {
        if query.is_empty() {
            return None;
        }
        let ignore_case = !query.chars().any(char::is_uppercase);
        let needle = if ignore_case {
            query.chars().map(fold).collect()
        } else {
            query.to_string()
        };
        Some(Matcher {
            chars: needle.chars().count(),
            needle,
            ignore_case,
        })
    }

    pub fn ignores_case(&self) -> bool {
        self.ignore_case
    }

    /// Whether every match lies inside one token of a body: the query is made of ASCII
    /// letters, digits and `_ - . @` only. Ignoring case, not with a `k`: the Kelvin sign
    /// (U+212A) folds to it, and a search over the bytes would miss it.
    fn inside_tokens(&self) -> bool {
        let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@');
        self.needle.chars().all(word) && !(self.ignore_case && self.needle.contains('k'))
    }

    /// The length of a match, in characters.
    pub fn chars(&self) -> usize {
        self.chars
    }

    /// `line` as compared: folded to lower case when case is ignored.
    fn haystack<'a>(&self, line: &'a str) -> Cow<'a, str> {
        if !self.ignore_case {
            Cow::Borrowed(line)
        } else if line.is_ascii() {
            Cow::Owned(line.to_ascii_lowercase())
        } else {
            Cow::Owned(line.chars().map(fold).collect())
        }
    }

    /// The character ranges of the matches in `line`, left to right.
    pub fn find(&self, line: &str) -> Vec<Range<usize>> {
        let hay = self.haystack(line);
        let ascii = hay.is_ascii();
        let mut out = Vec::new();
        let (mut byte, mut col) = (0, 0);
        for (at, _) in hay.match_indices(self.needle.as_str()) {
            col += if ascii {
                at - byte
            } else {
                hay[byte..at].chars().count()
            };
            byte = at;
            out.push(col..col + self.chars);
        }
        out
    }

    /// How many matches `line` holds.
    pub fn count(&self, line: &str) -> usize {
        self.haystack(line).matches(self.needle.as_str()).count()
    }

    /// [`count`](Self::count), folding `line` in place (or into `folded`) rather than into
    /// a new string: the count of a whole body allocates nothing per line.
    fn count_in(&self, line: &mut str, folded: &mut String) -> usize {
        let hay: &str = if !self.ignore_case {
            line
        } else if line.is_ascii() {
            line.make_ascii_lowercase();
            line
        } else {
            folded.clear();
            folded.extend(line.chars().map(fold));
            folded
        };
        hay.matches(self.needle.as_str()).count()
    }
}

/// One character's lower case, when that is one character.
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Where the matches of a whole document are: the lines that hold any, and how many come
/// before each. Costs 12 bytes per line with a match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchIndex {
    lines: Vec<u32>,
    before: Vec<u64>,
    total: u64,
}

impl MatchIndex {
    /// Every match.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The lines with a match.
    pub fn lines(&self) -> &[u32] {
        &self.lines
    }

    /// The first line with a match after `line` (`forward`) or before it, wrapping round.
    pub fn next_line(&self, line: usize, forward: bool) -> Option<usize> {
        if self.lines.is_empty() {
            return None;
        }
        let k = if forward {
            let k = self.lines.partition_point(|l| (*l as usize) <= line);
            k % self.lines.len()
        } else {
            let k = self.lines.partition_point(|l| (*l as usize) < line);
            k.checked_sub(1).unwrap_or(self.lines.len() - 1)
        };
        Some(self.lines[k] as usize)
    }

    /// The first line with a match at `line` or after it, wrapping round.
    pub fn line_from(&self, line: usize) -> Option<usize> {
        let k = self.lines.partition_point(|l| (*l as usize) < line);
        self.lines
            .get(k)
            .or(self.lines.first())
            .map(|l| *l as usize)
    }

    /// The place (from 1) of the `nth` match (from 0) of `line` among all matches.
    pub fn ordinal(&self, line: usize, nth: usize) -> Option<u64> {
        let k = self.lines.binary_search(&(line as u32)).ok()?;
        Some(self.before[k] + nth as u64 + 1)
    }
}

/// Lines to search: a document, or short texts (the headers, the request). Shared by the
/// threads of a count.
pub trait Lines: Sync {
    fn count(&self) -> usize;
    /// Line `i` as shown.
    fn text(&self, i: usize) -> Cow<'_, str>;
    /// About how much reading line `i` costs, in bytes.
    fn cost(&self, i: usize) -> usize;
    /// Line `i` written into `out` (cleared first).
    fn text_into(&self, i: usize, out: &mut String) {
        out.clear();
        out.push_str(&self.text(i));
    }

    /// The lines of `range` that may hold a match, in order, when that can be told without
    /// reading every line; `None`: read them all.
    fn candidates(&self, _matcher: &Matcher, _range: Range<usize>) -> Option<Vec<usize>> {
        None
    }
}

impl Lines for Document {
    fn count(&self) -> usize {
        self.line_count()
    }

    fn text(&self, i: usize) -> Cow<'_, str> {
        Cow::Owned(self.line(i))
    }

    fn cost(&self, i: usize) -> usize {
        self.line_bytes(i) + 1
    }

    fn text_into(&self, i: usize, out: &mut String) {
        self.line_into(i, out);
    }

    /// A query of letters, digits and `_ - . @` can only match inside one token (a string,
    /// a number, a word of text), and a token is shown byte for byte as the body has it: so
    /// the lines that hold the query as shown are among those whose bytes hold it, found
    /// with a SIMD search over the body instead of showing every line.
    fn candidates(&self, matcher: &Matcher, range: Range<usize>) -> Option<Vec<usize>> {
        if !matcher.inside_tokens() || range.is_empty() {
            return None;
        }
        let search = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(matcher.ignore_case)
            .build([matcher.needle.as_str()])
            .ok()?;
        let (from, to) = self.byte_range(range.clone());
        let mut lines: Vec<usize> = Vec::new();
        for found in search.find_iter(&self.body()[from..to]) {
            let line = self.line_at(from + found.start());
            if lines.last() != Some(&line) {
                lines.push(line);
            }
        }
        Some(lines)
    }
}

impl Lines for Vec<String> {
    fn count(&self) -> usize {
        self.len()
    }

    fn text(&self, i: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.get(i).map_or("", String::as_str))
    }

    fn cost(&self, i: usize) -> usize {
        self.get(i).map_or(1, |s| s.len() + 1)
    }
}

/// How often the count looks at its cancel flag, in lines.
const CANCEL_EVERY: usize = 4096;

/// Below this many lines the count runs on one thread.
const PARALLEL_FROM: usize = 100_000;

/// Counts every match in `lines`; `None` once `cancel` is set (a newer search took over).
/// For a large body this runs off the UI thread, split over the cores (at most four).
pub fn index_matches<L: Lines + ?Sized>(
    lines: &L,
    matcher: &Matcher,
    cancel: &AtomicBool,
) -> Option<MatchIndex> {
    let count = lines.count();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    if threads == 1 || count < PARALLEL_FROM {
        return index_range(lines, matcher, cancel, 0..count);
    }
    let chunk = count.div_ceil(threads);
    let parts: Vec<Option<MatchIndex>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = t * chunk..((t + 1) * chunk).min(count);
                s.spawn(move || index_range(lines, matcher, cancel, range))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let mut index = MatchIndex::default();
    for part in parts {
        let part = part?;
        index
            .before
            .extend(part.before.iter().map(|b| b + index.total));
        index.lines.extend(part.lines);
        index.total += part.total;
    }
    Some(index)
}

/// The matches of lines `range`.
fn index_range<L: Lines + ?Sized>(
    lines: &L,
    matcher: &Matcher,
    cancel: &AtomicBool,
    range: Range<usize>,
) -> Option<MatchIndex> {
    let mut index = MatchIndex::default();
    let (mut line, mut folded) = (String::new(), String::new());
    let lines_to_read: Box<dyn Iterator<Item = usize>> =
        match lines.candidates(matcher, range.clone()) {
            Some(candidates) => Box::new(candidates.into_iter()),
            None => Box::new(range),
        };
    for (k, i) in lines_to_read.enumerate() {
        if k % CANCEL_EVERY == 0 && cancel.load(Ordering::Relaxed) {
            return None;
        }
        lines.text_into(i, &mut line);
        let n = matcher.count_in(&mut line, &mut folded) as u64;
        if n > 0 {
            index.lines.push(i as u32);
            index.before.push(index.total);
            index.total += n;
        }
    }
    Some(index)
}

/// A match: its line, its characters there, and which match of the line it is (from 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub line: usize,
    pub cols: Range<usize>,
    pub nth: usize,
}

/// The first match after column `after` of line `from` (`None`: from the line's start), then
/// on the lines below, reading at most `budget` bytes (a line that would go over it is not
/// read: a 43 MB line is left to the count). Not wrapping. For the first match near the
/// cursor without waiting for the count.
pub fn find_forward<L: Lines + ?Sized>(
    lines: &L,
    matcher: &Matcher,
    from: usize,
    after: Option<usize>,
    budget: usize,
) -> Option<Hit> {
    let mut spent = 0;
    for i in from..lines.count() {
        spent += lines.cost(i);
        if spent > budget {
            return None;
        }
        let skip = if i == from { after } else { None };
        let hit = matcher
            .find(&lines.text(i))
            .into_iter()
            .enumerate()
            .find(|(_, r)| skip.is_none_or(|c| r.start > c));
        if let Some((nth, cols)) = hit {
            return Some(Hit { line: i, cols, nth });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    fn m(q: &str) -> Matcher {
        Matcher::new(q).unwrap()
    }

    /// One match's columns.
    fn one(cols: Range<usize>) -> Vec<Range<usize>> {
        vec![cols; 1]
    }

    #[test]
    fn smart_case() {
        assert!(Matcher::new("").is_none());
        assert!(m("posted").ignores_case());
        assert!(!m("Posted").ignores_case());
        assert_eq!(
            m("posted").find("Posted POSTED posted"),
            [0..6, 7..13, 14..20]
        );
        assert_eq!(m("Posted").find("Posted POSTED posted"), one(0..6));
        assert_eq!(m("posted").count("Posted POSTED posted"), 3);
        assert_eq!(
            m("123").find("a123b123"),
            [1..4, 5..8],
            "digits ignore case"
        );
    }

    #[test]
    fn several_matches_on_a_line_do_not_overlap() {
        assert_eq!(m("aa").find("aaaaa"), [0..2, 2..4]);
        assert_eq!(m("aa").count("aaaaa"), 2);
        assert_eq!(m("x").find("no"), Vec::<Range<usize>>::new());
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(m("wörld").find("héllo WÖRLD wörld"), [6..11, 12..17]);
        assert_eq!(m("ÉTÉ").find("été ÉTÉ"), one(4..7));
        assert_eq!(m("😀b").find("a😀b😀B"), [1..3, 3..5]);
        // İ lower-cases to two characters: it stays itself, so columns keep their place.
        assert_eq!(m("x").find("İx"), one(1..2));
        assert_eq!(m("i̇").count("İ"), 0);
    }

    #[test]
    fn finds_json_as_shown() {
        let doc = Document::new(
            Bytes::from_static(br#"{"data":[{"status":"Posted","n":1},{"status" : "Draft"}]}"#),
            true,
        );
        let matcher = m(r#""status": "posted""#);
        let none = AtomicBool::new(false);
        let index = index_matches(&doc, &matcher, &none).unwrap();
        assert_eq!(index.total(), 1);
        assert_eq!(index.lines(), [3]);
        assert_eq!(doc.line(3), r#"      "status": "Posted","#);
        let hit = find_forward(&doc, &matcher, 0, None, usize::MAX).unwrap();
        assert_eq!(
            hit,
            Hit {
                line: 3,
                cols: 6..24,
                nth: 0
            }
        );
        let status = index_matches(&doc, &m("status"), &none).unwrap();
        assert_eq!((status.total(), status.lines()), (2, &[3, 7][..]));
    }

    #[test]
    fn the_index_walks_round_and_numbers_matches() {
        let lines: Vec<String> = ["a b a", "", "b", "a", "aaa"].map(String::from).to_vec();
        let none = AtomicBool::new(false);
        let index = index_matches(&lines, &m("a"), &none).unwrap();
        assert_eq!(index.total(), 6);
        assert_eq!(index.lines(), [0, 3, 4]);
        assert_eq!(index.next_line(0, true), Some(3));
        assert_eq!(index.next_line(4, true), Some(0));
        assert_eq!(index.next_line(0, false), Some(4));
        assert_eq!(index.next_line(3, false), Some(0));
        assert_eq!(index.line_from(1), Some(3));
        assert_eq!(index.line_from(0), Some(0));
        assert_eq!(index.ordinal(3, 0), Some(3));
        assert_eq!(index.ordinal(4, 2), Some(6));
        assert_eq!(index.ordinal(1, 0), None);
        let cancelled = AtomicBool::new(true);
        assert_eq!(index_matches(&lines, &m("a"), &cancelled), None);
    }

    #[test]
    fn a_count_split_over_threads_is_the_count_in_one() {
        let lines: Vec<String> = (0..250_000)
            .map(|i| format!("Row {i} row{}", if i % 7 == 0 { " ROW" } else { "" }))
            .collect();
        let none = AtomicBool::new(false);
        let split = index_matches(&lines, &m("row"), &none).unwrap();
        let whole = index_range(&lines, &m("row"), &none, 0..lines.len()).unwrap();
        assert_eq!(split, whole);
        assert_eq!(split.total(), 500_000 + 250_000_u64.div_ceil(7));
    }

    #[test]
    fn lines_written_into_a_buffer_are_the_lines() {
        let json = Document::new(
            Bytes::from_static(br#"{"a" : [1, {"b":"x\"y: z"}], "c":"\u00e9"}"#),
            true,
        );
        let text = Document::new(Bytes::from_static(b"a\tb\r\n\xffc\n"), false);
        let mut buf = String::from("left over");
        for doc in [json, text] {
            for i in 0..doc.line_count() + 1 {
                doc.line_into(i, &mut buf);
                assert_eq!(buf, doc.line(i));
            }
        }
    }

    #[test]
    fn the_forward_search_keeps_to_its_budget() {
        let lines: Vec<String> = ["x", "yy", "yy", "x x"].map(String::from).to_vec();
        let x = m("x");
        let found = |from, after, budget| find_forward(&lines, &x, from, after, budget);
        assert_eq!(
            found(0, Some(0), 100),
            Some(Hit {
                line: 3,
                cols: 0..1,
                nth: 0
            })
        );
        assert_eq!(found(0, Some(0), 8), None, "three lines read");
        assert_eq!(found(0, Some(0), 12).map(|h| h.line), Some(3));
        assert_eq!(
            found(3, None, 3),
            None,
            "a line over the budget is not read"
        );
        assert_eq!(
            found(3, Some(0), 4),
            Some(Hit {
                line: 3,
                cols: 2..3,
                nth: 1
            })
        );
        assert_eq!(found(3, Some(2), 100), None, "does not wrap");
    }

    /// Counting through the byte search gives what reading every line as shown gives, for
    /// JSON laid out in odd ways, text with tabs and bad bytes, and a cut body.
    #[test]
    fn the_byte_search_finds_what_the_lines_show() {
        let bodies: [(&[u8], bool); 5] = [
            (
                br#"{"Key":"KEY-1","v":[1.5e3,true,null],"k2":{"name":"Ke\u00efly"}}"#,
                true,
            ),
            (b"{ \"a\" :\t1 ,\n \"b\": [ \"x-1\" , \"x.2@y\" ] }", true),
            (
                b"tab\tKey key\r\nbad \xff\xfeKey\n\xe2\x84\xaaey Kelvin\n",
                false,
            ),
            (
                br#"{"data":[{"name":"Key one"},{"name":"Key two","cut"#,
                true,
            ),
            (b"", false),
        ];
        let queries = [
            "key", "Key", "KEY", "ey", "1.5e3", "x-1", "x.2@y", "true", "a", "kelvin", "1 ,",
            "\"b\"", "k",
        ];
        for (body, json) in bodies {
            let doc = Document::new(bytes::Bytes::from_static(body), json);
            let shown: Vec<String> = (0..doc.line_count()).map(|i| doc.line(i)).collect();
            for query in queries {
                let matcher = Matcher::new(query).unwrap();
                let cancel = AtomicBool::new(false);
                assert_eq!(
                    index_matches(&doc, &matcher, &cancel),
                    index_matches(&shown, &matcher, &cancel),
                    "{query:?} in {:?}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }

    /// The only character that is not ASCII and folds to ASCII is the Kelvin sign, which is
    /// why a case-ignoring query with a `k` reads every line.
    #[test]
    fn only_the_kelvin_sign_folds_into_ascii() {
        let odd: Vec<char> = (0..=0x10ffff_u32)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && fold(*c).is_ascii())
            .collect();
        assert_eq!(odd, ['\u{212a}']);
    }
}
