//! A one-line text field that edits by characters and measures by display
//! cells, so Chinese names and plates keep the cursor where it is drawn.

use unicode_width::UnicodeWidthChar;

use crate::domain::text::MAX_CHARS;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    chars: Vec<char>,
    /// Cursor position, in characters.
    cursor: usize,
}

impl TextInput {
    pub fn new(text: &str) -> TextInput {
        let chars: Vec<char> = text.chars().collect();
        let cursor = chars.len();
        TextInput { chars, cursor }
    }

    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Inserts a typed character; control characters and overlong text are
    /// not accepted (the field can never hold what validation would refuse
    /// for those reasons).
    pub fn insert(&mut self, c: char) {
        if c.is_control() || self.chars.len() >= MAX_CHARS {
            return;
        }
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.chars.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.chars.len() {
            self.chars.remove(self.cursor);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.chars.len();
    }

    /// Ctrl-W: deletes the word before the cursor (and the spaces after it).
    pub fn delete_word(&mut self) {
        let mut start = self.cursor;
        while start > 0 && self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        self.chars.drain(start..self.cursor);
        self.cursor = start;
    }

    /// An editing key (from the keymap) applied to the text.
    pub fn edit(&mut self, e: super::keymap::Edit) {
        use super::keymap::Edit;
        match e {
            Edit::Backspace => self.backspace(),
            Edit::Delete => self.delete(),
            Edit::Left => self.left(),
            Edit::Right => self.right(),
            Edit::Home => self.home(),
            Edit::End => self.end(),
            Edit::WordBack => self.delete_word(),
            Edit::Line => self.clear(),
        }
    }

    pub fn clear(&mut self) {
        self.chars.clear();
        self.cursor = 0;
    }

    /// The visible slice for a field `width` cells wide, and the cursor's
    /// cell offset within it. Scrolls so the cursor is always visible.
    pub fn view(&self, width: usize) -> (String, usize) {
        let w = |c: &char| c.width().unwrap_or(0);
        let width = width.max(1);
        // Start from the cursor and walk left while the text fits.
        let mut start = self.cursor;
        let mut used = 1; // room for the cursor cell itself
        while start > 0 && used + w(&self.chars[start - 1]) <= width {
            start -= 1;
            used += w(&self.chars[start]);
        }
        let cursor_x: usize = self.chars[start..self.cursor].iter().map(w).sum();
        let mut out = String::new();
        let mut cells = 0;
        for c in &self.chars[start..] {
            if cells + w(c) > width {
                break;
            }
            cells += w(c);
            out.push(*c);
        }
        (out, cursor_x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_characters() {
        let mut t = TextInput::new("晋D1234");
        t.insert('5');
        assert_eq!(t.text(), "晋D12345");
        t.home();
        t.delete();
        assert_eq!(t.text(), "D12345");
        t.insert('冀');
        t.end();
        t.backspace();
        assert_eq!(t.text(), "冀D1234");
        t.insert('\u{1b}');
        assert_eq!(t.text(), "冀D1234");
    }

    #[test]
    fn cursor_is_measured_in_cells_and_kept_visible() {
        let t = TextInput::new("张三丰");
        assert_eq!(t.view(10), ("张三丰".to_string(), 6));
        let (shown, x) = t.view(4);
        assert!(x < 4);
        assert!(shown.ends_with('丰'));
    }

    #[test]
    fn ctrl_w_deletes_a_word_and_ctrl_u_the_line() {
        let mut t = TextInput::new("张三 李四  ");
        t.delete_word();
        assert_eq!(t.text(), "张三 ");
        t.delete_word();
        assert_eq!(t.text(), "");
        let mut t = TextInput::new("ab cd");
        t.left();
        t.left();
        t.delete_word();
        assert_eq!(t.text(), "cd");
        t.clear();
        assert!(t.is_empty());
    }

    #[test]
    fn refuses_more_than_the_limit() {
        let mut t = TextInput::default();
        for _ in 0..MAX_CHARS + 10 {
            t.insert('x');
        }
        assert_eq!(t.text().chars().count(), MAX_CHARS);
    }
}
