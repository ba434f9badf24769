//! The results a stay carries from the truck's earlier stays.
//!
//! An arrival whose truck left its last stay with a positive that still
//! stood is flagged (`CheckFlag::PositiveBefore`, in the stay's findings).
//! That positive stands on the new stay too, until a negative PCR clears
//! it, recorded there (a late result) or here: so the last stay's results,
//! and what that stay carried in turn, count before the new stay's own.
//! Read for the rules (`StayState::carried`), for the clocks' trucks on
//! site with a positive, for the isolation board and for the map's
//! positive bays. What the rule is belongs to `domain::stay`; this module
//! only finds the rows.

use chrono::{DateTime, Utc};

use super::conn::{Db, args};
use super::queries::decode;
use super::{Result, parse_ts};
use crate::domain::event::{TestKind, TestResult};
use crate::domain::policy::{CheckFlag, Finding};
use crate::domain::stay::standing_positive;

/// The condition, on a stays row's `findings` column (a JSON list), that
/// its arrival carried a positive from the truck's last stay. The same text
/// keeps `stays.positive_at` (`apply::mark_positive`), so the clocks find
/// such a truck by its partial index.
pub(super) fn carries_positive(findings: &str) -> String {
    format!("{findings} LIKE '%\"positive_before\"%'")
}

/// A result with when it came.
pub(super) type Dated = (TestKind, TestResult, DateTime<Utc>);

/// The results that `stay`, whose arrival carried a positive (the caller
/// has read its findings), carries from the truck's earlier stays, oldest
/// first: the last stay's, preceded by what that one carried in turn.
pub(super) fn carried(db: Db<'_>, stay: i64) -> Result<Vec<Dated>> {
    let mut earlier = Vec::new();
    let mut at = stay;
    // Each step goes to a smaller id: the walk ends. A truck back many
    // times with its positive standing is still a short chain.
    loop {
        let previous = db.query_opt(
            &format!(
                "SELECT p.id, {} FROM stays p
                  WHERE p.plate = (SELECT plate FROM stays WHERE id = ?1) AND p.id < ?1
                  ORDER BY p.id DESC LIMIT 1",
                carries_positive("p.findings")
            ),
            args![at],
            |r| Ok((r.i64(0)?, r.bool(1)?)),
        )?;
        let Some((id, carries)) = previous else { break };
        earlier.push(id);
        at = id;
        if !carries {
            break;
        }
    }
    let mut out = Vec::new();
    for id in earlier.into_iter().rev() {
        out.extend(results(db, id)?);
    }
    Ok(out)
}

/// Every result the positive rule weighs for `stay`, oldest first, with
/// when each came: what it carries (if its arrival carried a positive),
/// then its own.
pub(super) fn weighed(db: Db<'_>, stay: i64) -> Result<Vec<Dated>> {
    let carries = db
        .query_opt(
            &format!(
                "SELECT {} FROM stays WHERE id = ?1",
                carries_positive("findings")
            ),
            args![stay],
            |r| r.bool(0),
        )?
        .unwrap_or(false);
    let mut out = if carries {
        carried(db, stay)?
    } else {
        Vec::new()
    };
    out.extend(results(db, stay)?);
    Ok(out)
}

/// Whether a positive stands for `stay` (the domain's rule, asked of what
/// `weighed` finds), now or, with `at`, as it stood then (the results
/// recorded by then): asked only of the few stays with a positive on
/// record, since most have none.
pub(super) fn positive_stands(db: Db<'_>, stay: i64, at: Option<DateTime<Utc>>) -> Result<bool> {
    let tests: Vec<_> = weighed(db, stay)?
        .into_iter()
        .filter(|&(_, _, when)| at.is_none_or(|at| when <= at))
        .map(|(test, result, _)| (test, result))
        .collect();
    Ok(standing_positive(&tests).is_some())
}

/// What a stay whose gate checks found `findings` carries (`carried`),
/// without the times, as recorded by `at` (`None`: now); nothing, without
/// a look, when its arrival carried no positive.
pub(super) fn carried_by(
    db: Db<'_>,
    stay: i64,
    findings: &[Finding],
    at: Option<DateTime<Utc>>,
) -> Result<Vec<(TestKind, TestResult)>> {
    if !findings.iter().any(|f| f.flag == CheckFlag::PositiveBefore) {
        return Ok(Vec::new());
    }
    Ok(carried(db, stay)?
        .into_iter()
        .filter(|&(_, _, when)| at.is_none_or(|at| when <= at))
        .map(|(test, result, _)| (test, result))
        .collect())
}

/// A stay's own results, oldest first, with when each came.
pub(super) fn results(db: Db<'_>, stay: i64) -> Result<Vec<Dated>> {
    db.query(
        "SELECT test, result, result_at FROM samples
          WHERE stay = ?1 AND result IS NOT NULL ORDER BY result_at, result_id",
        args![stay],
        |r| {
            Ok((
                decode(r.text(0)?.parse())?,
                decode(r.text(1)?.parse())?,
                parse_ts(r.text(2)?)?,
            ))
        },
    )
}
