//! The bookkeeping of a numbered run, apart from the network: which page may be sent next,
//! which has arrived and waits for the pages before it, and which is next to hand on. Pages are
//! handed on in order, each once; no more than `concurrency + 1` pages are held at once (in
//! flight or waiting), so at most `concurrency` wait for an earlier one and memory stays near a
//! few pages whatever the list's length; no page past the cap is sent or handed on. A proptest
//! below holds it to a model over random arrival orders.

use std::collections::{BTreeMap, BTreeSet};

pub(super) struct Schedule<T> {
    concurrency: usize,
    /// The most pages held at once, from the first one not handed on: `concurrency + 1`.
    window: u64,
    next_start: u64,
    next_emit: u64,
    /// A page the caller has already (the one on screen): never sent.
    had: Option<u64>,
    /// The last page, once known.
    last: Option<u64>,
    /// No page past this is sent.
    cap: u64,
    in_flight: BTreeSet<u64>,
    waiting: BTreeMap<u64, T>,
}

impl<T> Schedule<T> {
    /// A run of `concurrency` requests at once that sends no page past `cap`.
    pub fn new(concurrency: usize, cap: u64) -> Self {
        let concurrency = concurrency.max(1);
        Schedule {
            concurrency,
            window: concurrency as u64 + 1,
            next_start: 1,
            next_emit: 1,
            had: None,
            last: None,
            cap,
            in_flight: BTreeSet::new(),
            waiting: BTreeMap::new(),
        }
    }

    /// The caller has page `page` already (it waits for its turn like any other).
    pub fn had(&mut self, page: u64, item: T) {
        self.had = Some(page);
        self.waiting.insert(page, item);
    }

    /// The list ends at page `last` (the first word on it is kept; a page is always there).
    pub(crate) fn learn_last(&mut self, last: u64) {
        let last = last.max(1);
        self.last = Some(self.last.map_or(last, |known| known.min(last)));
    }

    pub fn last(&self) -> Option<u64> {
        self.last
    }

    pub fn cap(&self) -> u64 {
        self.cap
    }

    pub(crate) fn raise_cap(&mut self, cap: u64) {
        self.cap = self.cap.max(cap);
    }

    /// The next page to send, if one may start now. Without a known last page, one page goes
    /// after another until one says it is the last.
    pub fn start(&mut self) -> Option<u64> {
        loop {
            let page = self.next_start;
            if self.had == Some(page) {
                self.next_start += 1;
                continue;
            }
            let may = self.in_flight.len() < self.concurrency
                && page <= self.cap
                && page < self.next_emit + self.window
                && match self.last {
                    Some(last) => page <= last,
                    None => self.in_flight.is_empty() && self.next_emit == page,
                };
            if !may {
                return None;
            }
            self.next_start += 1;
            self.in_flight.insert(page);
            return Some(page);
        }
    }

    /// Page `page` came.
    pub fn arrived(&mut self, page: u64, item: T) {
        self.in_flight.remove(&page);
        if page >= self.next_emit {
            self.waiting.insert(page, item);
        }
    }

    /// Page `page` will not come (failed or aborted).
    pub(crate) fn gave_up(&mut self, page: u64) {
        self.in_flight.remove(&page);
    }

    /// The next page in turn, if it is here and not past the cap.
    pub fn pop(&mut self) -> Option<(u64, T)> {
        if self.next_emit > self.cap {
            return None;
        }
        let item = self.waiting.remove(&self.next_emit)?;
        self.next_emit += 1;
        Some((self.next_emit - 1, item))
    }

    pub fn waiting(&self) -> impl Iterator<Item = &T> {
        self.waiting.values()
    }

    #[cfg(test)]
    pub fn in_flight(&self) -> impl Iterator<Item = u64> + '_ {
        self.in_flight.iter().copied()
    }

    /// Every page up to the cap is handed on and the list may go on: the run must ask.
    pub fn at_cap(&self) -> bool {
        self.in_flight.is_empty()
            && self.next_emit == self.cap.saturating_add(1)
            && self.last.is_none_or(|last| last > self.cap)
    }

    /// Every page of the list is handed on.
    pub(crate) fn is_complete(&self) -> bool {
        self.last.is_some_and(|last| self.next_emit > last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Drives a schedule over a list of `pages` pages (`told`: whether page 1 says how many),
    /// completing the pages in flight in the order `picks` chooses, page `fails` failing, `had`
    /// given up front. Checks the invariants at each step and returns the pages handed on and
    /// whether the cap stopped it.
    fn drive(
        pages: u64,
        told: bool,
        concurrency: usize,
        cap: u64,
        had: Option<u64>,
        fails: Option<u64>,
        picks: &[usize],
    ) -> (Vec<u64>, bool) {
        let mut s: Schedule<u64> = Schedule::new(concurrency, cap);
        let mut emitted = Vec::new();
        let mut failed = false;
        let mut picks = picks.iter().cycle();
        if let Some(page) = had.filter(|p| *p <= pages) {
            s.had(page, page);
            if told || page == pages {
                s.learn_last(pages);
            }
        }
        loop {
            while let Some((page, item)) = s.pop() {
                assert_eq!(page, item);
                emitted.push(page);
            }
            if s.at_cap() {
                return (emitted, true);
            }
            if !failed {
                while let Some(page) = s.start() {
                    assert!(page <= cap && Some(page) != had, "{page}");
                }
            }
            let flying: Vec<u64> = s.in_flight().collect();
            assert!(flying.len() <= concurrency);
            let held = flying.len() + s.waiting().count();
            let slack = usize::from(had.is_some());
            assert!(held as u64 <= s.window + slack as u64, "{held} held");
            if flying.is_empty() {
                return (emitted, false);
            }
            let page = flying[*picks.next().unwrap() % flying.len()];
            if Some(page) == fails {
                s.gave_up(page);
                failed = true;
            } else if page <= pages {
                if told || page == pages {
                    s.learn_last(pages);
                }
                s.arrived(page, page);
            } else {
                // Past the end (a guess that overshot): the list says where it ends.
                s.learn_last(pages);
                s.gave_up(page);
            }
        }
    }

    proptest! {
        #[test]
        fn pages_are_handed_on_in_order_each_once_and_held_within_the_window(
            pages in 1u64..40,
            told in any::<bool>(),
            concurrency in 1usize..=8,
            cap in 1u64..50,
            had in proptest::option::of(1u64..40),
            fails in proptest::option::of(1u64..40),
            picks in proptest::collection::vec(0usize..64, 1..64),
        ) {
            let (emitted, capped) = drive(pages, told, concurrency, cap, had, fails, &picks);
            let expected_end = pages.min(cap);
            let stop = fails.filter(|f| *f <= expected_end && Some(*f) != had);
            // A prefix of 1..: in order, each once, no gap.
            prop_assert!(emitted.iter().copied().eq(1..=emitted.len() as u64), "{emitted:?}");
            match stop {
                Some(failed) => prop_assert!((emitted.len() as u64) < failed),
                None => {
                    prop_assert_eq!(emitted.len() as u64, expected_end);
                    prop_assert_eq!(capped, pages > cap);
                }
            }
        }
    }

    #[test]
    fn an_unknown_length_goes_one_page_at_a_time() {
        let mut s: Schedule<()> = Schedule::new(4, 100);
        assert_eq!(s.start(), Some(1));
        assert_eq!(s.start(), None);
        s.arrived(1, ());
        assert!(s.pop().is_some());
        assert_eq!(s.start(), Some(2));
        s.learn_last(5);
        assert_eq!(
            (s.start(), s.start(), s.start(), s.start()),
            (Some(3), Some(4), Some(5), None)
        );
    }
}
