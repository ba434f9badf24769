//! The backend the interface draws through: crossterm's for everything but
//! the cells of a frame, which are encoded here.
//!
//! `CrosstermBackend::draw` writes each cell's text, cursor move and colour
//! change as a crossterm command through `fmt::Write`: on a full frame of
//! the map (7,200 cells at 160×45) that formatting was a tenth of the
//! interface's start. Here the same escape sequences are written straight
//! into a reused buffer, then handed to the writer at once. The bytes are
//! the same as crossterm's, down to the order of the codes (a test compares
//! them on every colour and modifier), so the terminal sees no difference.
//! Modifier changes, rare, still go through crossterm's commands, as do
//! colours when `NO_COLOR` makes crossterm leave them out.

use std::io::{self, Write};

use crossterm::queue;
use crossterm::style::{Attribute, Colored, SetAttribute, SetUnderlineColor};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, IntoCrossterm, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

/// `CrosstermBackend` with a hand-written `draw`.
pub struct FrameBackend<W: Write> {
    inner: CrosstermBackend<W>,
    /// One frame's bytes, kept between frames for its capacity.
    frame: Vec<u8>,
}

impl<W: Write> FrameBackend<W> {
    pub fn new(writer: W) -> Self {
        FrameBackend {
            inner: CrosstermBackend::new(writer),
            frame: Vec::new(),
        }
    }
}

/// `ESC [`, the start of every control sequence.
const CSI: &[u8] = b"\x1b[";

/// Appends `n` in decimal.
fn number(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(crate::domain::text::decimal(n.into(), 1, &mut [0; 20]));
}

/// The colour part of an SGR sequence as crossterm writes it: `base` is 38
/// (foreground) or 48 (background); reset is `base + 1`.
fn color(out: &mut Vec<u8>, base: u16, c: Color) {
    // crossterm names ratatui's colours by their 256-colour index.
    let indexed = match c {
        Color::Reset => {
            number(out, base + 1);
            return;
        }
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => i,
        Color::Rgb(r, g, b) => {
            number(out, base);
            out.extend_from_slice(b";2;");
            number(out, r.into());
            out.push(b';');
            number(out, g.into());
            out.push(b';');
            number(out, b.into());
            return;
        }
    };
    number(out, base);
    out.extend_from_slice(b";5;");
    number(out, indexed.into());
}

/// crossterm's `SetColors` for a foreground and a background.
fn set_colors(out: &mut Vec<u8>, fg: Color, bg: Color) {
    out.extend_from_slice(CSI);
    if !Colored::ansi_color_disabled_memoized() {
        color(out, 38, fg);
        out.push(b';');
        color(out, 48, bg);
    } else {
        out.push(b';');
    }
    out.push(b'm');
}

/// The attributes that change from `from` to `to`, as ratatui's crossterm
/// backend sends them (its `ModifierDiff`): what is removed first, then
/// what is added, bold and dim restored after a reset of intensity.
fn modifiers(out: &mut Vec<u8>, from: Modifier, to: Modifier) -> io::Result<()> {
    let mut set = |a: Attribute| queue!(out, SetAttribute(a));
    let removed = from - to;
    if removed.contains(Modifier::REVERSED) {
        set(Attribute::NoReverse)?;
    }
    let reset_intensity = removed.intersects(Modifier::BOLD | Modifier::DIM);
    if reset_intensity {
        set(Attribute::NormalIntensity)?;
        if to.contains(Modifier::DIM) {
            set(Attribute::Dim)?;
        }
        if to.contains(Modifier::BOLD) {
            set(Attribute::Bold)?;
        }
    }
    for (m, off) in [
        (Modifier::ITALIC, Attribute::NoItalic),
        (Modifier::UNDERLINED, Attribute::NoUnderline),
        (Modifier::CROSSED_OUT, Attribute::NotCrossedOut),
        (Modifier::HIDDEN, Attribute::NoHidden),
    ] {
        if removed.contains(m) {
            set(off)?;
        }
    }
    if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        set(Attribute::NoBlink)?;
    }
    let added = to - from;
    for (m, on, after_reset) in [
        (Modifier::REVERSED, Attribute::Reverse, true),
        (Modifier::BOLD, Attribute::Bold, false),
        (Modifier::ITALIC, Attribute::Italic, true),
        (Modifier::UNDERLINED, Attribute::Underlined, true),
        (Modifier::DIM, Attribute::Dim, false),
        (Modifier::CROSSED_OUT, Attribute::CrossedOut, true),
        (Modifier::HIDDEN, Attribute::Hidden, true),
        (Modifier::SLOW_BLINK, Attribute::SlowBlink, true),
        (Modifier::RAPID_BLINK, Attribute::RapidBlink, true),
    ] {
        // Bold and dim were put back with the intensity reset above.
        if added.contains(m) && (after_reset || !reset_intensity) {
            set(on)?;
        }
    }
    Ok(())
}

impl<W: Write> Backend for FrameBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let out = &mut self.frame;
        out.clear();
        let (mut fg, mut bg, mut underline) = (Color::Reset, Color::Reset, Color::Reset);
        let mut modifier = Modifier::empty();
        let mut last: Option<(u16, u16)> = None;
        for (x, y, cell) in content {
            if !matches!(last, Some((lx, ly)) if x == lx.wrapping_add(1) && y == ly) {
                out.extend_from_slice(CSI);
                number(out, y.saturating_add(1));
                out.push(b';');
                number(out, x.saturating_add(1));
                out.push(b'H');
            }
            last = Some((x, y));
            if cell.modifier != modifier {
                modifiers(out, modifier, cell.modifier)?;
                modifier = cell.modifier;
            }
            if cell.fg != fg || cell.bg != bg {
                set_colors(out, cell.fg, cell.bg);
                fg = cell.fg;
                bg = cell.bg;
            }
            if cell.underline_color != underline {
                queue!(
                    out,
                    SetUnderlineColor(cell.underline_color.into_crossterm())
                )?;
                underline = cell.underline_color;
            }
            out.extend_from_slice(cell.symbol().as_bytes());
        }
        // What crossterm ends every draw with: colours and attributes reset.
        queue!(
            out,
            crossterm::style::SetForegroundColor(crossterm::style::Color::Reset),
            crossterm::style::SetBackgroundColor(crossterm::style::Color::Reset),
            SetUnderlineColor(crossterm::style::Color::Reset),
            SetAttribute(Attribute::Reset),
        )?;
        self.inner.write_all(out)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    /// A writer both backends can write into and the test can read.
    #[derive(Clone, Default)]
    struct Tap(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Tap {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn every_colour() -> Vec<Color> {
        let mut all = vec![
            Color::Reset,
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Yellow,
            Color::Blue,
            Color::Magenta,
            Color::Cyan,
            Color::Gray,
            Color::DarkGray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::White,
            Color::Rgb(0, 128, 255),
            Color::Rgb(7, 0, 99),
        ];
        all.extend([0u8, 9, 16, 99, 231, 255].map(Color::Indexed));
        all
    }

    /// A buffer whose cells walk through every colour pair and a run of
    /// modifier changes, with wide characters and gaps between cells.
    fn busy_buffer() -> Buffer {
        let colours = every_colour();
        let mods = [
            Modifier::empty(),
            Modifier::BOLD,
            Modifier::BOLD | Modifier::DIM,
            Modifier::DIM | Modifier::ITALIC,
            Modifier::REVERSED | Modifier::UNDERLINED,
            Modifier::CROSSED_OUT | Modifier::HIDDEN | Modifier::SLOW_BLINK,
            Modifier::RAPID_BLINK | Modifier::BOLD,
            Modifier::empty(),
            Modifier::all(),
            Modifier::ITALIC,
        ];
        let area = Rect::new(0, 0, 60, 24);
        let mut buf = Buffer::empty(area);
        let mut n = 0usize;
        for y in 0..area.height {
            for x in (0..area.width).step_by(2) {
                let fg = colours[n % colours.len()];
                let bg = colours[(n / colours.len()) % colours.len()];
                let style = Style::default()
                    .fg(fg)
                    .bg(bg)
                    .underline_color(colours[(n * 7) % colours.len()])
                    .add_modifier(mods[(n / 3) % mods.len()]);
                let text = if n.is_multiple_of(5) { "晋" } else { "█" };
                buf.set_string(x, y, text, style);
                n += 1;
            }
        }
        buf
    }

    fn drawn<B: Backend<Error = io::Error>>(backend: &mut B, buf: &Buffer) {
        let empty = Buffer::empty(buf.area);
        backend.draw(empty.diff(buf).into_iter()).unwrap();
        // A second frame that changes a scattered few cells.
        let mut next = buf.clone();
        for (i, cell) in next.content.iter_mut().enumerate() {
            if i.is_multiple_of(37) {
                cell.set_symbol("·").set_fg(Color::LightRed);
            }
        }
        backend.draw(buf.diff(&next).into_iter()).unwrap();
    }

    #[test]
    fn frames_are_encoded_byte_for_byte_as_crossterm_does() {
        let buf = busy_buffer();
        let (ours, theirs) = (Tap::default(), Tap::default());
        drawn(&mut FrameBackend::new(ours.clone()), &buf);
        drawn(&mut CrosstermBackend::new(theirs.clone()), &buf);
        let (ours, theirs) = (ours.0.borrow(), theirs.0.borrow());
        assert!(
            theirs.len() > 10_000,
            "a busy frame: {} bytes",
            theirs.len()
        );
        if *ours != *theirs {
            let at = ours
                .iter()
                .zip(theirs.iter())
                .take_while(|(a, b)| a == b)
                .count();
            let show = |b: &[u8]| {
                String::from_utf8_lossy(&b[at.saturating_sub(40)..(at + 40).min(b.len())])
                    .into_owned()
            };
            panic!(
                "differ at byte {at}:\n ours:   {:?}\n theirs: {:?}",
                show(&ours),
                show(&theirs)
            );
        }
    }
}
