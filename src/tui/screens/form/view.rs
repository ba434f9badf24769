//! The arrival form on screen. Beside the map when the screen is wide
//! enough to keep the parking field in view; otherwise a strip at the
//! bottom under the suggested bay's zone.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::rows::field_row;
use super::{ArrivalForm, Field};
use crate::domain::gate::ArrivalPlan;
use crate::domain::text::fit;
use crate::i18n::Msg;
use crate::i18n::words::word;
use crate::tui::keymap;
use crate::tui::screens::Layer;
use crate::tui::screens::map::view as map_view;
use crate::tui::shared::Shared;
use crate::tui::view::{bad_style, bold, findings_text, frame_popup, ok_style, wrap};

/// The form's width beside the map, at most.
const FORM_W: u16 = 66;
/// Narrowest the form may get beside the map (the cargo choices fit).
const FORM_MIN_W: u16 = 60;
/// Lines of the map kept above the form on a small terminal: borders, the
/// ruler and five rows around the suggested bay.
const FOCUS_H: u16 = 8;

/// The arrival form. Beside the map when the screen is wide enough to keep
/// the parking field in view (160×45); otherwise a strip at the bottom with
/// the suggested bay's zone above it, scrolled to that bay, so the
/// suggestion and `Space` (pick on map) are never done blind (80×24).
/// When its fields do not fit they scroll with the focus.
pub fn render(sh: &Shared, form: &ArrivalForm, f: &mut Frame, body: Rect, top: bool) {
    let fields: Vec<Field> = form.fields().collect();
    let plan = form.plan.as_ref();
    let marked = plan.and_then(|p| p.bay);
    let beside = body.width.saturating_sub(map_view::map_width(sh, body));
    let strip = beside < FORM_MIN_W;
    // Beside the map it covers the bay panel, whole (up to a sane width).
    let w = if strip {
        body.width
    } else if beside <= FORM_W + 20 {
        beside
    } else {
        FORM_W
    };
    let inner_w = w.saturating_sub(2) as usize;
    let label_w = label_width(sh.session.lang);
    let value_w = inner_w.saturating_sub(label_w + 2);
    let summary = plan_summary(sh, form, plan);
    let summary_lines = wrap(&summary.0, inner_w);
    // The form's keys, from the keymap, for the field in focus.
    let key_lines = wrap(
        &keymap::hint(form.mode(), sh.session.lang, |m| sh.t(m)),
        inner_w,
    );

    // Every field's row, and the notes that will not fit on it.
    let mut text_cursor = None;
    let mut rows: Vec<(Line<'static>, Vec<Span<'static>>)> = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let focused = *field == form.focus;
        let row = field_row(sh, form, plan, *field, focused, value_w, &mut |cx| {
            text_cursor = Some((i, cx))
        });
        let label_text = field.label_text(sh.session.lang);
        let label = fit(&label_text, label_w);
        let pad = label_w.saturating_sub(label.width());
        let marker = match (focused, sh.session.ascii) {
            (false, _) => " ",
            (true, false) => "▸",
            (true, true) => ">",
        };
        let mut spans = vec![Span::styled(
            format!("{marker}{label}{} ", " ".repeat(pad)),
            if focused { bold() } else { Style::new() },
        )];
        let head_w: usize = label_w + 2 + row.value.iter().map(|s| s.width()).sum::<usize>();
        let notes_w: usize = row.notes.iter().map(|(_, s)| s.width()).sum();
        spans.extend(row.value);
        let mut below = Vec::new();
        if head_w + notes_w <= inner_w {
            spans.extend(row.notes.into_iter().map(|(_, s)| s));
        } else {
            // Too long for the row: a marker stays, the words go below
            // (for the field being filled in and the bay).
            for (mark, note) in row.notes {
                spans.push(Span::styled(format!(" {mark}"), note.style));
                if focused || *field == Field::Bay {
                    below.push(Span::styled(
                        note.content.trim_start().to_string(),
                        note.style,
                    ));
                }
            }
        }
        rows.push((Line::from(spans), below));
    }
    let mut notes: Vec<Line<'static>> = Vec::new();
    for (_, below) in &rows {
        for span in below {
            for l in wrap(&span.content, inner_w) {
                notes.push(Line::styled(l, span.style));
            }
        }
    }
    let summary_style = match summary.1 {
        Tone::Alarm => bad_style(sh),
        Tone::Clean => ok_style(sh),
        Tone::Incomplete => Style::new(),
    };
    let mut tail: Vec<Line<'static>> = notes;
    tail.extend(
        summary_lines
            .into_iter()
            .map(|l| Line::styled(l, summary_style)),
    );
    // The footer names the form's keys; the full list is for when there is room.
    // The suggestion, unless a bay is being picked on the map over it.
    let following = !top && form.picking;
    let focus = if following {
        None
    } else {
        plan.and_then(|p| p.bay)
    }
    .unwrap_or(sh.cursor);
    // A zone of two rows needs less than the parking field.
    let focus_block = sh.layout.zone(sh.layout.bays[focus].zone);
    let focus_h = FOCUS_H.min(focus_block.rows.len() as u16 + 3);
    let room = body.height.saturating_sub(if strip { focus_h } else { 0 });
    let want = |tail: &[Line]| fields.len() as u16 + tail.len() as u16 + 3;
    if want(&tail) + key_lines.len() as u16 <= room {
        tail.extend(
            key_lines
                .into_iter()
                .map(|l| Line::styled(l, Style::new().add_modifier(Modifier::DIM))),
        );
    }
    let h = want(&tail).min(room).max(6.min(body.height));
    let area = if strip {
        Rect {
            x: body.x,
            y: body.bottom().saturating_sub(h),
            width: w,
            height: h,
        }
    } else {
        Rect {
            x: body.right().saturating_sub(w),
            y: body.y,
            width: w,
            height: h,
        }
    };
    if strip {
        // Above the strip: the zone of the suggested bay around it (or of
        // the cursor, before there is a suggestion and while picking).
        let above = Rect {
            height: area.y.saturating_sub(body.y),
            ..body
        };
        if above.height >= 4 {
            map_view::focus_zone(sh, marked, f, above, focus);
        }
    }
    let inner = frame_popup(sh, f, area, sh.t(Msg::FormTitle));
    let tail_h = (tail.len() as u16 + 1).min(inner.height.saturating_sub(1));
    let rows_avail = (inner.height.saturating_sub(tail_h) as usize).max(1);
    let focus_i = fields.iter().position(|x| *x == form.focus).unwrap_or(0);
    let first = if fields.len() <= rows_avail {
        0
    } else {
        focus_i
            .saturating_sub(rows_avail / 2)
            .min(fields.len() - rows_avail)
    };
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(first)
        .take(rows_avail)
        .map(|(l, _)| l)
        .collect();
    let fields_h = lines.len() as u16;
    f.render_widget(Paragraph::new(lines), inner);
    let tail_area = Rect {
        y: inner.y + fields_h,
        height: inner.height.saturating_sub(fields_h),
        ..inner
    };
    // Fields out of view (a short screen) are said, not silently lost:
    // Tab and the arrows bring them in.
    let above = first;
    let below = fields.len().saturating_sub(first + fields_h as usize);
    let more = match (above, below) {
        (0, 0) => Line::raw(""),
        _ => {
            let (up, down) = if sh.session.ascii {
                ("^", "v")
            } else {
                ("↑", "↓")
            };
            let mut parts = Vec::new();
            if above > 0 {
                parts.push(format!("{up}{above}"));
            }
            if below > 0 {
                parts.push(format!("{down}{below}"));
            }
            Line::styled(
                format!("{} {}", parts.join(" "), sh.t(Msg::MoreFields)),
                Style::new().add_modifier(Modifier::DIM),
            )
        }
    };
    let mut tail_lines = vec![more];
    tail_lines.extend(tail);
    f.render_widget(Paragraph::new(tail_lines), tail_area);
    if let Some((i, cx)) = text_cursor
        && i >= first
        && i - first < rows_avail
    {
        let x = inner.x + label_w as u16 + 2 + cx as u16;
        f.set_cursor_position((
            x.min(inner.right().saturating_sub(1)),
            inner.y + (i - first) as u16,
        ));
    }
}

/// The labels' column: as wide as the longest label the form can show in
/// the language ("Override reason"), so no label is ever cut and the
/// column stays put when the override or a passenger's fields appear.
pub(super) fn label_width(lang: crate::i18n::Lang) -> usize {
    Field::HEAD
        .into_iter()
        .chain([
            Field::PName(0),
            Field::PPhone(0),
            Field::PTemp(0),
            Field::PCode(0),
            Field::Bay,
            Field::Override,
        ])
        .map(|f| f.label_text(lang).width())
        .max()
        .unwrap_or(0)
}

/// How the summary line reads: flagged or against the checks in the alarm
/// colour, clean in the calm one, incomplete plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tone {
    Clean,
    Incomplete,
    Alarm,
}

/// Where the arrival goes and why: the zone and bay it will take (the
/// bay's own zone: a work lane for a truck on the holding list, parking
/// for a fever parked by override), then who the checks flagged, or what
/// is still to be checked, or that the checks are clean; an override says
/// so and what the checks said instead.
pub(super) fn plan_summary(
    sh: &Shared,
    form: &ArrivalForm,
    plan: Option<&ArrivalPlan>,
) -> (String, Tone) {
    let Some(p) = plan else {
        return (String::new(), Tone::Incomplete);
    };
    // A plate already on site cannot arrive: no bay is offered for it.
    if let Some(bay) = form.on_site(sh) {
        let x = if sh.session.ascii { "x" } else { "✗" };
        let text = format!(
            "{x} {} {}: {}",
            sh.t(Msg::AlreadyOnSiteIn),
            sh.layout.bays[bay].id,
            sh.t(Msg::NotAnArrival)
        );
        return (text, Tone::Alarm);
    }
    let arrow = if sh.session.ascii { "->" } else { "→" };
    // The zone, and the bay with the map's mark for it.
    let head = match p.bay {
        Some(b) => {
            let bay = &sh.layout.bays[b];
            format!(
                "{arrow} {} {} {}",
                sh.t(word(bay.zone)),
                crate::tui::bay_state::BayState::suggested_glyph(sh.session.ascii),
                bay.id
            )
        }
        None => format!("{arrow} {} {}", sh.t(Msg::NoFreeBay), sh.t(word(p.zone))),
    };
    let missing = missing_checks(sh, form);
    let missing = (!missing.is_empty()).then(|| {
        format!(
            "{} {}",
            sh.t(Msg::ChecksMissing),
            missing.join(sh.t(Msg::ListSep))
        )
    });
    let (checks, tone) = match (p.findings.is_empty(), missing) {
        // Flagged already, and what is still to be given after it.
        (false, missing) => {
            let who = findings_text(sh, &p.findings, |n| form.name_of(n));
            let text = match missing {
                Some(m) => format!("{who} · {m}"),
                None => who,
            };
            (text, Tone::Alarm)
        }
        (true, Some(m)) => (m, Tone::Incomplete),
        (true, None) => (sh.t(Msg::ChecksClean).to_string(), Tone::Clean),
    };
    let mut text = if p.against {
        format!(
            "{head}: {} {} ({checks})",
            sh.t(Msg::OverrideChecksSay),
            sh.t(word(p.zone))
        )
    } else {
        format!("{head}: {checks}")
    };
    if p.holding {
        text.push_str(&format!(" · {}", sh.t(Msg::HoldingWait)));
    }
    let tone = if p.against { Tone::Alarm } else { tone };
    (text, tone)
}

/// What an arrival still lacks, driver first: a valid plate, a temperature
/// or a health code not given (or not a valid temperature), the venue code
/// not answered.
fn missing_checks(sh: &Shared, form: &ArrivalForm) -> Vec<String> {
    let lang = sh.session.lang;
    form.fields()
        .filter(|f| form.problem(*f).is_some())
        .filter_map(|f| {
            let (person, what) = match f {
                Field::Plate => (None, Msg::CheckPlate),
                Field::Temp => (None, Msg::CheckTemp),
                Field::Code => (None, Msg::CheckCode),
                Field::Venue => (None, Msg::CheckVenue),
                Field::PTemp(n) => (Some(n), Msg::CheckTemp),
                Field::PCode(n) => (Some(n), Msg::CheckCode),
                _ => return None,
            };
            Some(match person {
                Some(n) => format!(
                    "{} {}",
                    crate::i18n::words::person_in(lang, n as u8 + 1, None),
                    sh.t(what)
                ),
                None => sh.t(what).to_string(),
            })
        })
        .collect()
}
