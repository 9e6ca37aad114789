//! The growing array: pages appended in page order as soon as the pages before them are in;
//! pages that arrive early wait (a few at most, see the run's window).

use std::collections::BTreeMap;

use bytes::Bytes;

use super::page::Chunk;

/// The largest buffer reserved up front from an estimate (it grows past it if need be).
const MAX_RESERVE: usize = 1 << 30;

pub(super) struct Merger {
    buf: Vec<u8>,
    records: u64,
    /// The first page not merged yet.
    next: u64,
    early: BTreeMap<u64, Chunk>,
    early_records: u64,
}

impl Merger {
    /// A merger for `pages_total` pages of about `page_bytes` each.
    pub fn new(pages_total: Option<u64>, page_bytes: usize) -> Merger {
        let estimate = pages_total
            .map(|pages| (page_bytes as u64).saturating_mul(pages) + pages + 64)
            .unwrap_or(page_bytes as u64 * 2)
            .min(MAX_RESERVE as u64) as usize;
        let mut buf = Vec::with_capacity(estimate + estimate / 16);
        buf.push(b'[');
        Merger {
            buf,
            records: 0,
            next: 1,
            early: BTreeMap::new(),
            early_records: 0,
        }
    }

    /// One chunk as a whole array.
    pub fn single(chunk: Chunk) -> Bytes {
        let mut merger = Merger::new(Some(1), chunk.bytes.len());
        merger.offer(1, chunk);
        merger.finish().0
    }

    /// Takes page `page`; merges it and every early page after it that is now in turn.
    pub fn offer(&mut self, page: u64, chunk: Chunk) {
        if page < self.next {
            return; // already merged: never twice
        }
        self.early_records += chunk.count;
        self.early.insert(page, chunk);
        while let Some(chunk) = self.early.remove(&self.next) {
            self.early_records -= chunk.count;
            self.append(chunk);
            self.next += 1;
        }
    }

    fn append(&mut self, chunk: Chunk) {
        if chunk.count == 0 {
            return;
        }
        if self.records > 0 {
            self.buf.push(b',');
        }
        self.buf.extend_from_slice(&chunk.bytes);
        self.records += chunk.count;
    }

    /// The first page still missing.
    pub fn next_missing(&self) -> u64 {
        self.next
    }

    /// Pages merged (1..=pages, no gap).
    pub fn pages(&self) -> u64 {
        self.next - 1
    }

    /// Pages in, merged or waiting for an earlier one.
    pub fn pages_arrived(&self) -> u64 {
        self.pages() + self.early.len() as u64
    }

    pub fn records_arrived(&self) -> u64 {
        self.records + self.early_records
    }

    /// The array of the merged pages (early pages past a gap are dropped), its record count
    /// and its page count.
    pub fn finish(mut self) -> (Bytes, u64, u64) {
        self.early.clear();
        self.buf.push(b']');
        if self.buf.capacity() - self.buf.len() > self.buf.len() / 8 + 4096 {
            self.buf.shrink_to_fit();
        }
        let pages = self.pages();
        (Bytes::from(self.buf), self.records, pages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(text: &str, count: u64) -> Chunk {
        Chunk {
            bytes: text.as_bytes().to_vec(),
            count,
            info: None,
        }
    }

    #[test]
    fn pages_merge_in_order_whatever_order_they_come() {
        let mut m = Merger::new(Some(4), 8);
        m.offer(3, chunk("5,6", 2));
        m.offer(1, chunk("1,2", 2));
        assert_eq!(
            (m.pages(), m.pages_arrived(), m.records_arrived()),
            (1, 2, 4)
        );
        m.offer(2, chunk("3,4", 2));
        m.offer(2, chunk("3,4", 2));
        m.offer(5, chunk("9", 1));
        let (bytes, records, pages) = m.finish();
        assert_eq!(&bytes[..], b"[1,2,3,4,5,6]");
        assert_eq!((records, pages), (6, 3));
        assert_eq!(&Merger::single(chunk("", 0))[..], b"[]");
    }
}
