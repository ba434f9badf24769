//! The terminal the interface draws on: raw mode, the alternate screen, a
//! panic hook that puts the terminal back, and a buffered writer so that a
//! frame leaves in one write.
//!
//! `ratatui::try_init` writes to `Stdout` itself, which is line-buffered in
//! 1 KiB and takes its lock on every write: a full frame of the map (some
//! 40 KB of cells and colour codes) went out as dozens of writes, each
//! escape sequence behind a lock. Here the frame collects in memory and
//! ratatui's flush at the end of each draw sends it whole (and its cells
//! are encoded by `backend`). Restoring is
//! still `ratatui::restore`, which writes to `Stdout` directly; nothing is
//! left in the buffer between two draws.

use std::io::{self, BufWriter, Stdout, Write};

use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::Terminal;

use super::backend::FrameBackend;

/// The interface's terminal.
pub type Term = Terminal<FrameBackend<BufWriter<Stdout>>>;

/// Room for the largest frame drawn whole (a full 240×70 map is under this).
const FRAME_BUFFER: usize = 128 * 1024;

/// Takes over the terminal as `ratatui::try_init` does, with a buffered
/// writer.
pub fn init() -> io::Result<Term> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        ratatui::restore();
        hook(info);
    }));
    enable_raw_mode()?;
    let mut out = io::stdout();
    crossterm::execute!(out, EnterAlternateScreen)?;
    out.flush()?;
    Terminal::new(FrameBackend::new(BufWriter::with_capacity(
        FRAME_BUFFER,
        io::stdout(),
    )))
}
