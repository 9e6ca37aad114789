//! The records of a run kept in memory as one JSON array (for the UI): pages appended in page
//! order, up to the body limit (`--max-body`, 512 MB by default): the page that would pass it
//! ends the run, and the summary names the pages kept and the limit.

use bytes::Bytes;
use tokio_util::sync::CancellationToken;

use super::{AllPagesError, Merged, Observer, Options, Sink, SinkStop, Target, fetch_all};
use crate::limit::ByteSize;
use crate::paging::PageInfo;
use crate::request::ApiResponse;

/// The growing array.
pub(super) struct Collector {
    buf: Vec<u8>,
    records: u64,
    limit: ByteSize,
}

impl Collector {
    /// A collector of at most `limit` bytes, with room for about `estimate` reserved.
    pub fn new(limit: ByteSize, estimate: u64) -> Collector {
        let reserve = estimate.min(limit.bytes()).min(usize::MAX as u64) as usize;
        let mut buf = Vec::with_capacity(reserve.max(2));
        buf.push(b'[');
        Collector {
            buf,
            records: 0,
            limit,
        }
    }

    /// The array of the pages taken.
    pub fn finish(mut self) -> Bytes {
        self.buf.push(b']');
        if self.buf.capacity() - self.buf.len() > self.buf.len() / 8 + 4096 {
            self.buf.shrink_to_fit();
        }
        Bytes::from(self.buf)
    }
}

impl Sink for Collector {
    fn page(&mut self, _page: u64, records: &[u8], count: u64) -> Result<(), SinkStop> {
        let inner = records
            .strip_prefix(b"[")
            .and_then(|r| r.strip_suffix(b"]"))
            .unwrap_or(records);
        if count == 0 || inner.is_empty() {
            return Ok(());
        }
        let comma = usize::from(self.records > 0);
        // The closing bracket counts too.
        let after = self.buf.len() + comma + inner.len() + 1;
        if self.limit.is_exceeded_by(after as u64) {
            return Err(SinkStop::Full { limit: self.limit });
        }
        if comma == 1 {
            self.buf.push(b',');
        }
        self.buf.extend_from_slice(inner);
        self.records += count;
        Ok(())
    }
}

/// Fetches every page of the list (see [`fetch_all`]) and keeps the records as one JSON array
/// of at most the client's body limit.
pub async fn collect(
    target: Target<'_>,
    options: Options,
    first: Option<&ApiResponse>,
    observer: &mut impl Observer,
    cancel: CancellationToken,
) -> Result<Merged, AllPagesError> {
    let limit = target.client.http.options().max_body;
    let estimate = first.map_or(0, |first| {
        let pages = PageInfo::probe(&first.body).and_then(|i| i.total_pages);
        (first.body.len() as u64).saturating_mul(pages.unwrap_or(2))
    });
    let mut sink = Collector::new(limit, estimate);
    let outcome = fetch_all(target, options, first, &mut sink, observer, cancel).await?;
    Ok(Merged {
        records: sink.finish(),
        record_count: outcome.record_count,
        pages: outcome.pages,
        pages_total: outcome.pages_total,
        finish: outcome.finish,
        elapsed: outcome.elapsed,
        head: outcome.head,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_appended_up_to_the_limit() {
        let mut c = Collector::new(ByteSize(14), 1 << 40);
        assert_eq!(c.page(1, b"[1,2]", 2), Ok(()));
        assert_eq!(c.page(2, b"[]", 0), Ok(()));
        assert_eq!(c.page(3, b"[3]", 1), Ok(()));
        // `[1,2,3,444444]` would be 14 bytes, the limit; one digit more passes it.
        assert_eq!(
            c.page(4, b"[4444444]", 1),
            Err(SinkStop::Full {
                limit: ByteSize(14)
            })
        );
        assert_eq!(c.page(4, b"[4444]", 1), Ok(()));
        assert_eq!(&c.finish()[..], b"[1,2,3,4444]");
        assert_eq!(&Collector::new(ByteSize(2), 0).finish()[..], b"[]");
    }
}
