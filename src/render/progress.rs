//! The two ways people watch an apply: a progress bar with rate and time
//! left on a terminal; otherwise one log line per finished step plus, every
//! few seconds, a line with the rate and the time left (for CI logs). Both
//! are observers of apply's [`Event`]s and draw only on the writer or draw
//! target the command gives them.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::text::purpose as verb;
use crate::apply::{Event, Observer};
use crate::diff::StepId;

/// How often the log says how far the apply is.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// Writes one line per finished or skipped step, and a progress line (done,
/// rate, time left) at most every few seconds (for logs and CI).
pub struct LogObserver {
    out: Mutex<LogState>,
    total: usize,
    every: Duration,
}

/// What the log observer keeps between events.
struct LogState {
    out: Box<dyn Write + Send>,
    done: usize,
    started: Instant,
    last_progress: Instant,
}

impl LogObserver {
    /// Logs to `out` for a plan of `total` steps.
    pub fn new(out: Box<dyn Write + Send>, total: usize) -> Self {
        Self::with_interval(out, total, PROGRESS_EVERY)
    }

    /// Logs to `out`, with a progress line at most every `every`.
    pub fn with_interval(out: Box<dyn Write + Send>, total: usize, every: Duration) -> Self {
        let now = Instant::now();
        LogObserver {
            out: Mutex::new(LogState {
                out,
                done: 0,
                started: now,
                last_progress: now,
            }),
            total,
            every,
        }
    }
}

impl LogObserver {
    /// `step 7 ` padded to the width of the largest id, so that the verbs
    /// line up; the same numbers as `plan --sql` and the closing summary.
    fn step(&self, id: StepId) -> String {
        let width = self.total.to_string().len();
        format!("step {id:<width$}")
    }
}

/// `12/40 steps done in 3 s (4.0 steps/s), about 7 s left`.
fn progress_line(done: usize, total: usize, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
    let left = if rate > 0.0 {
        format!(
            "about {} left",
            duration_text(Duration::from_secs_f64((total - done) as f64 / rate))
        )
    } else {
        "time left unknown".to_string()
    };
    format!(
        "progress: {done}/{total} steps done in {} ({rate:.1} steps/s), {left}",
        duration_text(elapsed)
    )
}

/// `45 s`, `3 min 12 s`.
fn duration_text(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min {} s", s / 60, s % 60)
    }
}

impl Observer for LogObserver {
    fn on_event(&self, event: &Event) {
        let line = match event {
            Event::StepFinished {
                id,
                address,
                purpose,
                error: None,
                ..
            } => format!("ok    {} {:<8} {address}", self.step(*id), verb(*purpose)),
            Event::StepFinished {
                id,
                address,
                purpose,
                error: Some(error),
                ..
            } => format!(
                "FAIL  {} {:<8} {address}: {error}",
                self.step(*id),
                verb(*purpose)
            ),
            Event::StepSkipped {
                id,
                address,
                purpose,
                cause,
                ..
            } => format!(
                "skip  {} {:<8} {address}: {cause}",
                self.step(*id),
                verb(*purpose)
            ),
            Event::StepStarted { .. } | Event::Done { .. } => return,
        };
        // A poisoned lock only means another observer call panicked; the
        // writer itself is still usable.
        let mut guard = self.out.lock().unwrap_or_else(|p| p.into_inner());
        let state = &mut *guard;
        state.done += 1;
        let _ = writeln!(state.out, "[{}/{}] {line}", state.done, self.total);
        let now = Instant::now();
        if state.done < self.total && now.duration_since(state.last_progress) >= self.every {
            state.last_progress = now;
            let progress = progress_line(state.done, self.total, now - state.started);
            let _ = writeln!(state.out, "{progress}");
        }
    }
}

/// An indicatif bar on a terminal: steps done, rate, time left, and how
/// many steps are running, redrawn steadily even while no step ends.
pub struct ProgressObserver {
    bar: ProgressBar,
    running: Mutex<BTreeSet<StepId>>,
}

impl ProgressObserver {
    /// A display on stderr for a plan of `total` steps.
    pub fn new(total: usize) -> Self {
        Self::with_target(total, ProgressDrawTarget::stderr())
    }

    /// A display drawn to `target` (hidden in tests).
    pub fn with_target(total: usize, target: ProgressDrawTarget) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} steps  {per_sec}  {eta} left  {msg}")
        {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        ProgressObserver {
            bar,
            running: Mutex::new(BTreeSet::new()),
        }
    }
}

impl Observer for ProgressObserver {
    fn on_event(&self, event: &Event) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        match event {
            Event::StepStarted {
                id,
                address,
                purpose,
            } => {
                running.insert(*id);
                self.bar.set_message(format!(
                    "{} running, last: step {id} {} {address}",
                    running.len(),
                    verb(*purpose)
                ));
            }
            Event::StepFinished { id, ok, .. } => {
                running.remove(id);
                if !ok {
                    self.bar.set_message("(a step failed)");
                }
                self.bar.inc(1);
            }
            Event::StepSkipped { .. } => self.bar.inc(1),
            Event::Done { .. } => self.bar.finish_and_clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::StepPurpose;
    use crate::model::Address;
    use std::sync::Arc;

    /// A writer the test can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_log_says_how_far_the_apply_is_until_it_ends() {
        let out = Shared::default();
        let log = LogObserver::with_interval(Box::new(out.clone()), 2, Duration::ZERO);
        for id in 1..=2 {
            log.on_event(&Event::StepFinished {
                id,
                address: "warehouse.A".parse::<Address>().expect("an address"),
                purpose: StepPurpose::Create,
                ok: true,
                error: None,
            });
        }
        let text = String::from_utf8(out.0.lock().expect("the log").clone()).expect("text");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(lines[0], "[1/2] ok    step 1 create   warehouse.A");
        assert!(
            lines[1].starts_with("progress: 1/2 steps done in ") && lines[1].contains("steps/s"),
            "{text}"
        );
        assert_eq!(lines[2], "[2/2] ok    step 2 create   warehouse.A");
    }

    #[test]
    fn progress_lines_give_the_rate_and_the_time_left() {
        assert_eq!(
            progress_line(30, 120, Duration::from_secs(10)),
            "progress: 30/120 steps done in 10 s (3.0 steps/s), about 30 s left"
        );
        assert_eq!(
            progress_line(100, 4000, Duration::from_secs(20)),
            "progress: 100/4000 steps done in 20 s (5.0 steps/s), about 13 min 0 s left"
        );
        assert!(progress_line(0, 5, Duration::ZERO).ends_with("time left unknown"));
    }
}
