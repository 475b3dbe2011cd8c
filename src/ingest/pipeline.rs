//! Parsing on a second thread while the calling thread stages what was parsed.
//!
//! A big import spends its first phase in two steps that each want a core: parsing lines into
//! [`Meeting`]s and staging them (encoding, buffering). [`pipelined`] runs the parser on a new
//! thread and hands its records, in batches of [`BATCH`], through a channel bounded to
//! [`DEPTH`] batches to the sink on the calling thread (which may own things that cannot move
//! to another thread, such as a storage import holding a lock).
//!
//! What the sink and the reject callback see is what a serial read would give them, in the
//! same order, and the result is the same:
//!
//! * a parse error is returned after the sink has had every record before it (and the reject
//!   callback every line rejected before it), as a serial read does;
//! * an error from the sink is returned as is and stops the parser: the calling thread drops
//!   its end of the channel, the parser's next hand-over fails and it stops reading, so it is at
//!   most `DEPTH + 2` batches ahead of the failing record.

use std::cell::{Cell, RefCell};
use std::sync::mpsc;
use std::thread;

use super::Reject;
use crate::error::{DataError, Error};
use crate::model::Meeting;

/// Records (and rejected lines) handed over at once: enough to make the channel's cost per
/// record negligible, few enough that the stager starts at once.
pub(crate) const BATCH: usize = 512;

/// Batches the channel holds: the parser runs at most this many batches (plus the one it is
/// filling and the one the stager is draining) ahead of the stager, so memory stays bounded.
pub(crate) const DEPTH: usize = 4;

/// What the parser hands over, in input order.
// Nearly every item is a record: boxing it would cost an allocation a record and save nothing.
#[allow(clippy::large_enum_variant)]
enum Item {
    Record(Meeting),
    Rejected(DataError),
}

/// Runs `parse` on a new thread and hands the records it gives to `sink` (and the lines it
/// rejects to `rejected`, when skipping bad lines) on this thread; returns what `parse`
/// returns, or the first error of `sink`. `parse` gets the sink and reject callback to read
/// into, as [`super::read_records`] and [`super::read_records_skipping`] take them.
pub(crate) fn pipelined<P>(
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
    mut rejected: Reject<'_>,
    parse: P,
) -> Result<usize, Error>
where
    P: FnOnce(&mut dyn FnMut(Meeting) -> Result<(), Error>, Reject<'_>) -> Result<usize, Error> + Send,
{
    let skipping = rejected.is_some();
    let (tx, rx) = mpsc::sync_channel::<Vec<Item>>(DEPTH);
    thread::scope(|scope| {
        let parser = thread::Builder::new()
            .name("meetql-parse".into())
            .spawn_scoped(scope, move || {
                let batch = RefCell::new(Vec::with_capacity(BATCH));
                // Set once the stager has hung up: nothing more is wanted.
                let stopped = Cell::new(false);
                let hand_over = || {
                    let full = batch.replace(Vec::with_capacity(BATCH));
                    if !stopped.get() && tx.send(full).is_err() {
                        stopped.set(true);
                    }
                };
                let mut on_record = |m: Meeting| {
                    batch.borrow_mut().push(Item::Record(m));
                    if batch.borrow().len() >= BATCH {
                        hand_over();
                    }
                    if stopped.get() {
                        // The stager failed and returns its own error; this one is dropped.
                        return Err(Error::Interrupted);
                    }
                    Ok(())
                };
                let mut on_reject = |e: DataError| {
                    batch.borrow_mut().push(Item::Rejected(e));
                    if batch.borrow().len() >= BATCH {
                        hand_over();
                    }
                };
                let result = parse(&mut on_record, if skipping { Some(&mut on_reject) } else { None });
                // What was read before the end or an error goes over too, as a serial read
                // would have handed it to the sink before returning.
                if !batch.borrow().is_empty() {
                    hand_over();
                }
                result
            })
            .map_err(|source| Error::Io { path: "<parser thread>".into(), source })?;
        let mut failed = None;
        'batches: for items in rx.iter() {
            for item in items {
                match item {
                    Item::Record(m) => {
                        if let Err(e) = sink(m) {
                            failed = Some(e);
                            break 'batches;
                        }
                    }
                    Item::Rejected(e) => {
                        if let Some(reject) = rejected.as_mut() {
                            reject(e);
                        }
                    }
                }
            }
        }
        // Hanging up stops the parser at its next hand-over.
        drop(rx);
        let parsed = parser.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match failed {
            Some(e) => Err(e),
            None => parsed,
        }
    })
}
