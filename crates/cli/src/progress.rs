//! Progress bars on the terminal (nothing when standard error is not one).

use frontera_app::transfer::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Mutex;

/// A bar per phase.
pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
    bytes: bool,
}

impl Bar {
    /// A bar counting bytes (`true`) or items.
    pub fn new(bytes: bool) -> Bar {
        Bar { bar: Mutex::new(None), bytes }
    }

    /// Clear the bar.
    pub fn finish(&self) {
        if let Ok(mut guard) = self.bar.lock()
            && let Some(bar) = guard.take()
        {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn phase(&self, name: &str, total: u64) {
        let template = if self.bytes {
            "{msg:>10} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})"
        } else {
            "{msg:>10} [{bar:40}] {pos}/{len} ({per_sec}, {eta})"
        };
        let bar = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(name.to_string());
        if let Ok(mut guard) = self.bar.lock()
            && let Some(old) = guard.replace(bar)
        {
            old.finish_and_clear();
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(guard) = self.bar.lock()
            && let Some(bar) = guard.as_ref()
        {
            bar.inc(n);
        }
    }
}
