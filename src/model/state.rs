//! What scoring reuses from statement to statement, owned by the caller: one `ScoreState` per
//! thread, and a `StatePool` to keep them warm between parallel passes.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

use crate::features::SparseVec;
use crate::parties::{Span, SpanScratch};
use crate::text::{self, Terms};

/// One thread's buffers for `Scorer::predict_with`. Its analysis scratch holds the word cache
/// that makes scoring fast, so keep one state for many statements.
#[derive(Default)]
pub struct ScoreState {
    pub(super) text: text::Scratch,
    pub(super) terms: Terms,
    pub(super) indices: Vec<u32>,
    /// Occurrences per vocabulary feature (see `Vocabulary::vectorize_unscaled`).
    pub(super) counts: Vec<u32>,
    pub(super) row: SparseVec,
    pub(super) dense: Vec<f32>,
    /// `pooling::pool_into`'s group sums.
    pub(super) sums: Vec<f32>,
    pub(super) spans: SpanBuffers,
}

impl ScoreState {
    /// The buffers that find parties' mentions, which keep the last statement's alias matches:
    /// finding the mentions a row reports with this state spares the scorer the walk.
    pub fn span_scratch(&mut self) -> &mut SpanScratch {
        &mut self.spans.scratch
    }
}

/// The spans of the target and of the other parties in a statement, and the registry's
/// buffers for finding them (`Registry::spans_into`).
#[derive(Default)]
pub(super) struct SpanBuffers {
    pub(super) target: Vec<Span>,
    pub(super) others: Vec<Span>,
    pub(super) scratch: SpanScratch,
}

/// States handed out to parallel jobs (`map_init(|| pool.take(), …)`) and taken back when a job
/// ends, so that the next pass starts with warm word caches rather than empty ones.
#[derive(Default)]
pub struct StatePool {
    free: Mutex<Vec<ScoreState>>,
}

impl StatePool {
    /// A free state, or a new one when all are in use.
    pub fn take(&self) -> PooledState<'_> {
        let state = self.lock().pop().unwrap_or_default();
        PooledState {
            pool: self,
            state: Some(state),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<ScoreState>> {
        // A panic while pushing or popping leaves the list whole.
        self.free.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A state taken from a `StatePool`, given back when dropped.
pub struct PooledState<'p> {
    pool: &'p StatePool,
    /// Always `Some` until dropped.
    state: Option<ScoreState>,
}

impl Deref for PooledState<'_> {
    type Target = ScoreState;
    fn deref(&self) -> &ScoreState {
        self.state.as_ref().expect("taken back only on drop")
    }
}

impl DerefMut for PooledState<'_> {
    fn deref_mut(&mut self) -> &mut ScoreState {
        self.state.as_mut().expect("taken back only on drop")
    }
}

impl Drop for PooledState<'_> {
    fn drop(&mut self) {
        if let Some(state) = self.state.take() {
            self.pool.lock().push(state);
        }
    }
}
