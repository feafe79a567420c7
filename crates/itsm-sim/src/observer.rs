//! How the full path watches the event loop: the fast path's observer does nothing and
//! compiles away.

use crate::error::Error;
use crate::report::Attainment;

/// What the full path hooks into. Times are hours from the start; `counted` says whether
/// the ticket arrived after the warm-up.
pub(crate) trait Observer {
    fn arrived(&mut self, ticket: u64, class: usize, counted: bool, t: f64) -> Result<(), Error>;
    fn started(
        &mut self,
        ticket: u64,
        class: usize,
        agent: u32,
        group: u32,
        t: f64,
    ) -> Result<(), Error>;
    /// A ticket whose work started before (pre-empted, back from hold, or reopened) is
    /// taken up again, by `agent`.
    fn resumed(
        &mut self,
        ticket: u64,
        class: usize,
        agent: u32,
        group: u32,
        t: f64,
    ) -> Result<(), Error>;
    /// The agent puts the ticket on hold awaiting its caller.
    fn held(&mut self, ticket: u64, class: usize, t: f64) -> Result<(), Error>;
    /// The caller answered: the ticket is off hold and back in its queue.
    fn released(&mut self, ticket: u64, class: usize, t: f64) -> Result<(), Error>;
    /// The agent resolves the ticket; `reopens` says whether its caller reopens it later
    /// (before the horizon).
    fn finished(&mut self, ticket: u64, class: usize, t: f64, reopens: bool) -> Result<(), Error>;
    /// The caller reopens the resolved ticket: it is back in its queue.
    fn reopened(&mut self, ticket: u64, class: usize, t: f64) -> Result<(), Error>;
    /// After triage, the ticket is passed on to group `to` (an index in the model's
    /// groups): it is in that group's queue.
    fn reassigned(&mut self, ticket: u64, class: usize, to: u32, t: f64) -> Result<(), Error>;
    /// The horizon: the attainment per class (response, resolution), or `None` to use the
    /// core's own.
    #[allow(clippy::type_complexity)]
    fn end(&mut self, t: f64) -> Result<Option<Vec<(Attainment, Attainment)>>, Error>;
}

/// The fast path's observer.
pub(crate) struct Nothing;

impl Observer for Nothing {
    #[inline]
    fn arrived(&mut self, _: u64, _: usize, _: bool, _: f64) -> Result<(), Error> {
        Ok(())
    }
    #[inline]
    fn started(&mut self, _: u64, _: usize, _: u32, _: u32, _: f64) -> Result<(), Error> {
        Ok(())
    }
    #[inline]
    fn resumed(&mut self, _: u64, _: usize, _: u32, _: u32, _: f64) -> Result<(), Error> {
        Ok(())
    }
    #[inline]
    fn held(&mut self, _: u64, _: usize, _: f64) -> Result<(), Error> {
        Ok(())
    }
    #[inline]
    fn released(&mut self, _: u64, _: usize, _: f64) -> Result<(), Error> {
        Ok(())
    }
    #[inline]
    fn finished(&mut self, _: u64, _: usize, _: f64, _: bool) -> Result<(), Error> {
        Ok(())
    }
    #[inline]
    fn reopened(&mut self, _: u64, _: usize, _: f64) -> Result<(), Error> {
        Ok(())
    }
    #[inline]
    fn reassigned(&mut self, _: u64, _: usize, _: u32, _: f64) -> Result<(), Error> {
        Ok(())
    }
    fn end(&mut self, _: f64) -> Result<Option<Vec<(Attainment, Attainment)>>, Error> {
        Ok(None)
    }
}
